"""The plan's figures as people read them: "cirka 21 000", "cirka 1 miljard kronor".

The rule, as the plan rounds:

- two significant figures, a half rounded up, as taught in school (2 450 → 2 500, 8 549 → 8 500,
  1 032 691 677 → 1 000 000 000), never to the even neighbour;
- below a million the number in digits, grouped as the language groups them ("21 000");
- from a million the word for millions, from a thousand million the word for thousand millions
  ("1,5 miljoner", "1 miljard"; in English "1.5 million", "1 billion"), with the singular for
  exactly one and the plural otherwise (a fraction such as 1,5 takes the plural);
- an amount of money (unit `kronor`) carries its currency where the language puts it
  ("cirka 1 miljard kronor", "about SEK 1 billion").

Numbers are written by Django's localisation (`number_format`), never by hand.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

KRONOR = "kronor"
UNITS = ("", KRONOR)  # no unit: a number of people
SIGNIFICANT = 2
MILLION = Decimal(10) ** 6
BILLION = Decimal(10) ** 9


def significant(value, digits: int = SIGNIFICANT) -> Decimal:
    """`value` rounded to `digits` significant figures, a half rounded up (away from zero)."""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if number == 0:
        return Decimal(0)
    step = Decimal(1).scaleb(number.adjusted() - digits + 1)
    return number.quantize(step, rounding=ROUND_HALF_UP).normalize()


def digits(number: Decimal) -> str:
    """A number in the active language's digits, grouped, with only the decimals it has."""
    number = number.normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, force_grouping=True)


def _plural_count(amount: Decimal) -> int:
    """The count that chooses the singular or plural form: the number itself when whole; a
    fraction ("1,5 miljoner") takes the plural, the form Swedish and English use for it."""
    whole = amount.to_integral_value()
    return int(whole) if whole == amount else 2


def plain_figure(value, unit: str = "") -> str:
    """`value` rounded as the plan rounds and said in words: "cirka 21 000"."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(repr(u) for u in UNITS)}")
    rounded = significant(value)
    money = unit == KRONOR
    if abs(rounded) >= BILLION:
        amount = rounded / BILLION
        n = _plural_count(amount)
        if money:
            # Translators: a rounded amount of money; %(number)s is the number of thousand
            # millions in the language's digits ("1", "1,5"): "cirka 1 miljard kronor".
            text = ngettext("about SEK %(number)s billion", "about SEK %(number)s billion", n)
        else:
            # Translators: a rounded number; %(number)s is the number of thousand millions.
            text = ngettext("about %(number)s billion", "about %(number)s billion", n)
    elif abs(rounded) >= MILLION:
        amount = rounded / MILLION
        n = _plural_count(amount)
        if money:
            # Translators: a rounded amount of money; %(number)s is the number of millions.
            text = ngettext("about SEK %(number)s million", "about SEK %(number)s million", n)
        else:
            # Translators: a rounded number; %(number)s is the number of millions.
            text = ngettext("about %(number)s million", "about %(number)s million", n)
    else:
        amount = rounded
        if money:
            # Translators: a rounded amount of money below a million: "cirka 21 000 kronor".
            text = ngettext("about SEK %(number)s", "about SEK %(number)s", _plural_count(amount))
        else:
            # Translators: a rounded number below a million: "cirka 21 000".
            text = gettext("about %(number)s")
    return text % {"number": digits(amount)}
