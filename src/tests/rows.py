"""The rows a setup step writes, taken once per test process and written again by later tests.

Importing the default plan writes about 350 rows through the ORM (a quarter of a second);
hundreds of tests start from it. The first test in a worker imports it for real; the rows it
wrote, and the rows it changed or removed, are read back table by table and kept. A later test
whose database is in the same state as before that first import (the same count and highest key
in every table, one query) gets the same rows written by a few `INSERT`s, in its own transaction
as before. A database in another state (after a browser test emptied every table, say) gets the
real import again, and its rows are kept for that state too. `test_rows.py` checks that a
replayed plan and an imported one are the same row for row.
"""

import json
from dataclasses import dataclass

from django.db import connection, transaction


def _tables() -> list[tuple[str, str | None]]:
    """Every table of the project's models, with its primary key column."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.django_table_names(only_existing=True))
        return [(n, connection.introspection.get_primary_key_column(cursor, n)) for n in names]


def _fingerprint(tables) -> tuple:
    """Each table's row count and highest key, in one query."""
    q = connection.ops.quote_name
    # The highest key as text: keys of different tables are of different types.
    highest = {name: f"CAST(MAX({q(pk)}) AS TEXT)" if pk else "''" for name, pk in tables}
    parts = [
        f"SELECT {i}, COUNT(*), {highest[name]} FROM {q(name)}"  # noqa: S608 - catalogue names
        for i, (name, _pk) in enumerate(tables)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(sorted(cursor.fetchall()))


def _rows(name: str) -> tuple[list[str], set[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608
        columns = [c[0] for c in cursor.description]
        return columns, {tuple(map(_plain, row)) for row in cursor.fetchall()}


def _plain(value):
    """A value as a row set can hold it and an INSERT can write it back."""
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


@dataclass
class _Change:
    table: str
    pk: str | None
    columns: list[str]
    removed: list  # keys of rows removed or changed in place
    added: list[tuple]  # rows added, or as they are after the change


class Replay:
    """`Replay(step)()` runs `step` (a function that writes to the database) or writes what it
    wrote the first time, when the database is in the state it was in then. What the step
    returns (None, a model object, or a namespace of them) is returned again, read afresh."""

    def __init__(self, step=None):
        self.step = step
        self.changes: dict[tuple, tuple[list[_Change], object]] = {}
        self.tables = None

    def __call__(self, step=None):
        if self.tables is None:
            self.tables = _tables()
        before = (connection.vendor, _fingerprint(self.tables))
        found = self.changes.get(before)
        if found is None:
            changes, result = self._record(step or self.step)
            self.changes[before] = (changes, _recipe(result))
            return result
        changes, recipe = found
        self._write(changes)
        return _rebuild(recipe)

    def _record(self, step) -> tuple[list[_Change], object]:
        old = {name: _rows(name) for name, _pk in self.tables}
        result = step()
        changes = []
        for name, pk in self.tables:
            columns, rows = _rows(name)
            gone, new = old[name][1] - rows, rows - old[name][1]
            if not (gone or new):
                continue
            if pk is None:  # never met: every model table has a key
                raise AssertionError(f"{name} has no primary key to replay changes by")
            key = columns.index(pk)
            added = sorted(new, key=lambda row: row[key])  # in the order the step wrote them
            changes.append(_Change(name, pk, columns, [r[key] for r in gone], added))
        return changes, result

    def _write(self, changes: list[_Change]) -> None:
        q = connection.ops.quote_name
        # Django's foreign keys are checked at commit on both databases, so the order of the
        # tables does not matter inside one transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            for change in changes:
                table = q(change.table)
                for key in change.removed:
                    cursor.execute(f"DELETE FROM {table} WHERE {q(change.pk)} = %s", [key])  # noqa: S608
                if not change.added:
                    continue
                columns = ", ".join(q(c) for c in change.columns)
                if connection.vendor == "postgresql":
                    # COPY: the rows in one stream, several times faster than an INSERT a row
                    # through psycopg.
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in change.added:
                            copy.write_row(row)
                    continue
                marks = ", ".join(["%s"] * len(change.columns))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, change.added)


def _recipe(value):
    """How to read `value` again: a model object by its class and key, a namespace attribute by
    attribute; anything else as it is."""
    from types import SimpleNamespace

    from django.db import models

    if isinstance(value, models.Model):
        return ("object", type(value), value.pk)
    if isinstance(value, SimpleNamespace):
        return ("namespace", {name: _recipe(item) for name, item in vars(value).items()})
    return ("value", value)


def _rebuild(recipe):
    from types import SimpleNamespace

    kind, *rest = recipe
    if kind == "object":
        model, pk = rest
        return model._default_manager.get(pk=pk)
    if kind == "namespace":
        return SimpleNamespace(**{name: _rebuild(item) for name, item in rest[0].items()})
    return rest[0]
