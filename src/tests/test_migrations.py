"""The suite's databases are made from the models (conftest.django_db_setup); production's are
made by the migrations. Both must be the same database: the same tables, the same columns, and
the same rows before anything is added (what a data migration loads must be loaded in the tests
too, or a test would pass on data production never has)."""

import sqlite3

import pytest
from django.db import connection

from .conftest import _areas_of_sweden

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _shape(cursor, vendor: str) -> dict[str, tuple[frozenset, int]]:
    """{table: (its columns, its number of rows)} of the database behind `cursor`."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    shape = {}
    for (table,) in cursor.fetchall():
        if vendor == "sqlite":
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = frozenset(row[1] for row in cursor.fetchall())
        else:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
            columns = frozenset(row[0] for row in cursor.fetchall())
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        shape[table] = (columns, cursor.fetchone()[0])
    return shape


def _migrated_shape(url: str) -> dict:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as migrated:
            return _shape(migrated.cursor(), "sqlite")
    import psycopg

    from nollvision.devtools.bench_scale import _server

    name, server = _server(url)
    with psycopg.connect(**{**server, "dbname": name}) as migrated:
        return _shape(migrated.cursor(), "postgresql")


def test_the_test_database_is_the_migrated_database(drill_database):
    _areas_of_sweden()  # what a browser test's emptying of the tables took, back
    migrated = _migrated_shape(drill_database("migrated"))
    with connection.cursor() as cursor:
        made = _shape(cursor, connection.vendor)
    assert sorted(migrated) == sorted(made)
    assert {t: c for t, (c, _n) in migrated.items()} == {t: c for t, (c, _n) in made.items()}
    assert {t: n for t, (_c, n) in migrated.items()} == {t: n for t, (_c, n) in made.items()}
    assert migrated["indicators_area"][1] > 300  # the areas are there, in both
