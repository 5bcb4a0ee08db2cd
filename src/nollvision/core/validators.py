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

# The longest text the guard reads. Every guarded field is far shorter (core/translated.py), so a
# longer text is refused for its length at once: the patterns never run on megabytes.
SCAN_MAX = 100_000

# What a reader sees: text is read in its NFKC form, without format characters (zero-width
# joiners and non-joiners, soft hyphens, word joiners, the byte order mark, bidirectional
# controls), with every dash and minus as "-" and every kind of space and line break as one
# space (runs of them as one).
_DASH = "-"


def _as_space(character: str) -> bool:
    """A space or line break of the text (runs of them read as one), not a character whose
    compatibility form is a space."""
    return character.isspace() or unicodedata.category(character) in ("Zs", "Zl", "Zp")


def _as_read(character: str) -> str:
    """What one character becomes in the reading form ("" for a format character, " " for any
    space or line break, "-" for any dash, else its NFKC form with dashes as "-")."""
    category = unicodedata.category(character)
    if category == "Cf":
        return ""
    if _as_space(character):
        return " "
    if category == "Pd" or character in "\u2212\u2043\ufe63\uff0d":
        return _DASH
    return "".join(
        _DASH if unicodedata.category(piece) == "Pd" else piece
        for piece in unicodedata.normalize("NFKC", character)
    )


# `_as_read` of the characters met so far, and how many digits each leaves: a text is read with
# one lookup a character. Bounded: emptied when it holds more characters than any language's texts
# use.
_READ: dict[str, str] = {}
_DIGITS_OF: dict[str, int] = {}
_READ_KEPT = 20_000
_DIGITS = frozenset("0123456789")


def _count_digits(piece: str) -> int:
    return sum(one in _DIGITS for one in piece)


def _read(character: str) -> str:
    piece = _READ.get(character)
    if piece is None:
        if len(_READ) >= _READ_KEPT:
            _READ.clear()
            _DIGITS_OF.clear()
        piece = _READ[character] = _as_read(character)
        _DIGITS_OF[character] = _count_digits(piece)
    return piece


def reading_form(text: str) -> tuple[str, list[int]]:
    """`text` as a reader sees it, and for each of its characters the index in `text` it comes
    from (so a match is reported as written). Linear in the length of `text`."""
    out: list[str] = []
    where: list[int] = []
    for index, character in enumerate(text):
        piece = _read(character)
        if len(piece) == 1:
            if piece == " " and out and out[-1] == " " and _as_space(character):
                continue
            out.append(piece)
            where.append(index)
        elif piece:
            out.extend(piece)
            where.extend([index] * len(piece))
    return "".join(out), where


def _digits_read(text: str) -> int:
    """How many digits `text` holds as a reader sees it: what `reading_form` would hold, counted
    without building it (a count per distinct character)."""
    total = 0
    for character in set(text):
        digits = _DIGITS_OF.get(character)
        if digits is None:  # counted here too: another thread may empty the tables meanwhile
            digits = _count_digits(_read(character))
        if digits:
            total += digits * text.count(character)
    return total


# A date of 6 or 8 digits written as two-digit groups (YYYY MM DD or YY MM DD), then a separator
# and 4 digits (two groups of two allowed). Between any two groups: nothing, or up to three of
# space / . _ ; before the last four also "-" or "+" with spaces around. Candidates may overlap,
# so they are looked for at every position; none may continue a longer run of digits. Every
# quantifier is bounded, so the work per position is bounded and the search linear.
_GAP = r"[ ./_]{0,3}"
_DATE = rf"(?:\d{{2}}{_GAP})?\d{{2}}{_GAP}\d{{2}}{_GAP}\d{{2}}"
_SEPARATOR = rf"(?: ?[-+] ?|{_GAP})"
_LAST = rf"\d{{2}}{_GAP}\d{{2}}"
_CANDIDATE = re.compile(rf"(?<!\d)(?=({_DATE}{_SEPARATOR}{_LAST})(?!\d))", re.ASCII)
# The fewest digits a candidate holds (YYMMDD and the last four): a text with fewer, as a reader
# sees it, holds no personal number, and most texts are passed without being read character by
# character.
FEWEST_DIGITS = 10


def _normalised(candidate: str) -> str | None:
    """The candidate as the library reads it (YYMMDD-NNNN with + kept), or None."""
    separator = "+" if "+" in candidate else "-"
    digits = re.sub(r"\D", "", candidate)
    if len(digits) not in (10, 12):
        return None
    return f"{digits[:-4]}{separator}{digits[-4:]}"


def find_personal_numbers(text: str) -> list[str]:
    """Every valid personal identity or coordination number in `text`, read as a reader sees it
    (`reading_form`), each returned as written."""
    text = text or ""
    if _digits_read(text) < FEWEST_DIGITS:
        return []
    readable, where = reading_form(text)
    found: list[str] = []
    ends: set[int] = set()
    for match in _CANDIDATE.finditer(readable):
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
            found.append(text[where[match.start(1)] : where[end - 1] + 1])
            ends.add(end)
    return found


def _refuse_too_long(text: str) -> None:
    if len(text) > SCAN_MAX:
        raise ValidationError(
            _("The text is too long (%(length)s characters)."),
            params={"length": f"{len(text):,}".replace(",", "\u00a0")},
            code="too_long",
        )


def validate_no_personal_numbers(text) -> None:
    text = str(text or "")
    _refuse_too_long(text)
    if find_personal_numbers(text):
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


# Joiners the scripts and emoji that need them use (a Persian word, an emoji sequence); between
# digits or Latin letters they only hide what is written.
JOINERS = frozenset("\u200c\u200d")


def _plain(character: str) -> bool:
    """A digit or a Latin letter: where a joiner has no work to do."""
    return (character.isascii() and character.isalnum()) or (
        character.isalpha() and "LATIN" in unicodedata.name(character, "")
    )


def invisible_characters(text: str, *, multiline: bool) -> list[str]:
    """The control and invisible characters in `text` (line breaks and tabs are allowed in texts
    of several lines; joiners inside the scripts and emoji that need them), as "U+200D" codes."""
    text = text or ""
    present = set(text)  # each character is judged once, however often it is written
    found = {
        f"U+{ord(character):04X}"
        for character in present
        if character not in JOINERS
        and not (multiline and character in LINE_BREAKS)
        and (character in INVISIBLE or unicodedata.category(character) == "Cc")
    }
    for joiner in present & JOINERS:
        index = text.find(joiner)
        while index != -1:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if (before and _plain(before)) or (after and _plain(after)):
                found.add(f"U+{ord(joiner):04X}")
                break
            index = text.find(joiner, index + 1)
    return sorted(found)


def _refuse_invisible(text, multiline: bool) -> None:
    text = str(text or "")
    _refuse_too_long(text)
    found = invisible_characters(text, multiline=multiline)
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
