"""Guards on what bodies write: no Swedish personal identity or coordination numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer

# 6 or 8 digits of date, an optional separator (-, + or a space), 4 digits; not inside a longer
# run of digits.
_CANDIDATE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")


def find_personal_numbers(text: str) -> list[str]:
    """Every valid personal identity or coordination number written in `text`."""
    found = []
    for match in _CANDIDATE.finditer(text or ""):
        candidate = match.group(0).replace(" ", "-")
        try:
            if personnummer.valid(candidate):
                found.append(match.group(0))
        except (ValueError, TypeError):  # the library raises on some impossible dates
            continue
    return found


def validate_no_personal_numbers(text: str) -> None:
    if find_personal_numbers(text):
        raise ValidationError(
            _(
                "The text contains what looks like a personal identity number. Nollvision must "
                "never hold data about individual people or cases: describe your organisation's "
                "work without it."
            ),
            code="personal_number",
        )


def validate_https_url(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("Give the full address, starting with https://."), code="https")
