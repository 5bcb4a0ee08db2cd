"""Numbers from request data, read once and safely: a value that is not a plain whole number of
ASCII digits within range is None, never an exception. "²".isdigit() is true and int("²") fails,
so `str.isdigit` is no check; views use these (or forms) and never int() on request data."""

import re

_WHOLE = re.compile(r"[0-9]{1,18}", re.ASCII)
# Larger than any primary key or year the platform holds, smaller than any database's integer.
LARGEST = 2**31 - 1


def whole_number(value) -> int | None:
    """A whole number 0..LARGEST written in ASCII digits, else None."""
    if not isinstance(value, str) or not _WHOLE.fullmatch(value):
        return None
    number = int(value)
    return number if number <= LARGEST else None


def whole_numbers(values) -> set[int]:
    """The whole numbers among `values` (a query's list), the rest left out."""
    return {n for n in (whole_number(v) for v in values) if n is not None}
