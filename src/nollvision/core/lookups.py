"""`in` on an integer column leaves out the numbers the column cannot hold.

Django turns `exact`, `gt`, `lt`… with a number outside an integer column's range into an empty
(or full) result, but not `in`: a list of ids from a form (`?measure=99999999999999999999`, a
multiple choice posted with a huge number) ends on SQLite in OverflowError and on PostgreSQL in
a database error, that is a server error. Registered on every integer field and every foreign
key when the app starts, so every form, view and the admin go through it."""

from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _InRange:
    def process_rhs(self, compiler, connection):
        field = self.lhs.output_field
        field = getattr(field, "target_field", None) or field
        ranges = connection.ops.integer_field_ranges
        if self.rhs_is_direct_value() and field.get_internal_type() in ranges:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class IntegerIn(_InRange, In):
    pass


class ForeignKeyIn(_InRange, RelatedIn):
    pass


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignKey.register_lookup(ForeignKeyIn)
