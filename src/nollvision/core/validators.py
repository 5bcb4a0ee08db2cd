"""Guards on what people write, written once and used by the model fields (so forms, the admin,
uploads, imports and services all inherit them):

- no Swedish personal identity or coordination number, in any common spelling;
- no invisible control characters (bidirectional overrides, zero-width spaces, C0/C1 controls;
  single-line texts also no line breaks or tabs);
- no text longer than the field allows.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

# A date of 6 or 8 digits written as two-digit groups (YYYY MM DD or YY MM DD, spaces between
# the groups allowed), a separator (-, +, an en dash or a minus sign; with spaces around it) or
# a space or nothing, and 4 digits (a space in the middle allowed). Candidates may overlap, so
# they are looked for at every position; none may continue a longer run of digits.
_DATE = r"(?:\d{2} ?)?\d{2} ?\d{2} ?\d{2}"
_SEPARATOR = r"(?:\s*[-+\u2013\u2212]\s*|\s?)"
_LAST = r"\d{2} ?\d{2}"
_CANDIDATE = re.compile(rf"(?<!\d)(?=({_DATE}{_SEPARATOR}{_LAST})(?!\d))")
_DASHES = str.maketrans({"\u2013": "-", "\u2212": "-"})


def _normalised(candidate: str) -> str | None:
    """The candidate as the library reads it (YYMMDD-NNNN with + kept), or None."""
    text = candidate.translate(_DASHES)
    separator = "+" if "+" in text else "-"
    digits = re.sub(r"\D", "", text)
    if len(digits) not in (10, 12):
        return None
    return f"{digits[:-4]}{separator}{digits[-4:]}"


def find_personal_numbers(text: str) -> list[str]:
    """Every valid personal identity or coordination number written in `text`, as written."""
    found: list[str] = []
    ends: set[int] = set()
    for match in _CANDIDATE.finditer(text or ""):
        candidate = match.group(1)
        end = match.start(1) + len(candidate)
        if end in ends:  # the same number found from a later start (without the century)
            continue
        normalised = _normalised(candidate)
        try:
            valid = normalised is not None and personnummer.valid(normalised)
        except (ValueError, TypeError):  # the library raises on some impossible dates
            valid = False
        if valid:
            found.append(candidate)
            ends.add(end)
    return found


def validate_no_personal_numbers(text) -> None:
    if find_personal_numbers(str(text or "")):
        raise ValidationError(
            _(
                "The text contains what looks like a personal identity number. Nollvision must "
                "never hold data about individual people or cases: describe your organisation's "
                "work without it."
            ),
            code="personal_number",
        )


# Characters that change how text is shown without being seen: bidirectional embeddings,
# overrides and isolates, marks, zero-width spaces and the byte order mark.
INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
LINE_BREAKS = frozenset("\n\r\t")


def invisible_characters(text: str, *, multiline: bool) -> list[str]:
    """The control and invisible characters in `text` (line breaks and tabs are allowed in texts
    of several lines), as U+XXXX."""
    found = []
    for character in text or "":
        if multiline and character in LINE_BREAKS:
            continue
        if character in INVISIBLE or unicodedata.category(character) == "Cc":
            found.append(f"U+{ord(character):04X}")
    return sorted(set(found))


def _refuse_invisible(text, multiline: bool) -> None:
    found = invisible_characters(str(text or ""), multiline=multiline)
    if not found:
        return
    if not multiline and set(found) & {"U+000A", "U+000D"}:
        raise ValidationError(
            _("Write this on one line: it may not contain line breaks."), code="line_break"
        )
    raise ValidationError(
        _(
            "The text contains invisible control characters (%(characters)s), which can hide or "
            "reverse what others read. Remove them, for example by typing the text again."
        ),
        params={"characters": ", ".join(found)},
        code="control_characters",
    )


def guard_line(text) -> None:
    """The guard on a single-line text (a title, a name, a place)."""
    _refuse_invisible(text, multiline=False)
    validate_no_personal_numbers(text)


def guard_text(text) -> None:
    """The guard on a text of several lines (an answer, minutes, a decision)."""
    _refuse_invisible(text, multiline=True)
    validate_no_personal_numbers(text)


def one_line(text: str) -> str:
    """Text made safe for e-mail headers and other line-based formats: every line break and
    control character becomes a space."""
    cleaned = "".join(
        " " if character in LINE_BREAKS or unicodedata.category(character) == "Cc" else character
        for character in str(text or "")
        if character not in INVISIBLE
    )
    return " ".join(cleaned.split())


def validate_https_url(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Give the full address, starting with https://."), code="https")
