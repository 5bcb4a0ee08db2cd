"""Swedish alphabetical order (… X Y Z Å Ä Ö) on SQLite and PostgreSQL.

PostgreSQL uses ICU's `sv-SE-x-icu` collation. SQLite has no Swedish collation, so one is
registered on every new connection, built on `swedish_sort_key`.
"""

import unicodedata

from django.db.models import F
from django.db.models.functions import Collate
from django.utils.functional import cached_property

SQLITE_COLLATION = "swedish"
POSTGRESQL_COLLATION = "sv-SE-x-icu"

_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Letters outside the Swedish alphabet that Swedish sorts as a variant of one of its own.
_EQUIVALENT = {"ü": "y", "æ": "ä", "ø": "ö", "œ": "ö"}
_DIGIT_BASE = 100
_LETTER_BASE = 200
_OTHER_BASE = 1000


def _weights(char: str) -> tuple[int, int]:
    """(primary, secondary) weight: variants such as é and ü differ from e and y only secondarily."""
    if char.isdigit() and char.isascii():
        return _DIGIT_BASE + int(char), 0
    if char in _RANK:
        return _LETTER_BASE + _RANK[char], 0
    if char in _EQUIVALENT:
        return _LETTER_BASE + _RANK[_EQUIVALENT[char]], 1
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and base in _RANK:
        return _LETTER_BASE + _RANK[base], 1
    if char.isspace() or not char.isalnum():
        return 0, 0
    return _OTHER_BASE + ord(char), 0


def swedish_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts strings as a Swedish dictionary does.

    Letters decide first (å, ä, ö after z; é with e, ü with y), then accents, then case
    (lower case first, as ICU does).
    """
    weights = [_weights(char) for char in text.casefold()]
    primary = tuple(weight for weight, _secondary in weights if weight)
    secondary = tuple(secondary for _weight, secondary in weights)
    return primary, secondary, text.swapcase()


def swedish_compare(left: str, right: str) -> int:
    left_key, right_key = swedish_sort_key(left), swedish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, swedish_compare)


class SwedishCollate(Collate):
    """`Collate` that picks the Swedish collation of whichever database runs the query."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    @cached_property
    def identity(self):
        """What Django's `Expression.identity` gives, without binding the constructor's
        signature: every query ordered in Swedish makes a new instance and hashes it, and the
        signature binding was most of the cost of ordering."""
        (expression,), _kwargs = self._constructor_args
        return (self.__class__, ("expression", self._identity(expression)))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation=SQLITE_COLLATION, **extra_context)


def swedish(field_name: str) -> SwedishCollate:
    """Order by `field_name` in Swedish order: `.order_by(swedish("name"))`."""
    return SwedishCollate(F(field_name))
