"""`nollvision backup` and `restore` round-trip every row, on SQLite and on PostgreSQL."""

import hashlib
import sqlite3
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _digest(rows) -> str:
    return hashlib.sha256(repr(sorted(rows, key=repr)).encode()).hexdigest()


def _snapshot(cursor, tables) -> dict[str, tuple[int, str]]:
    """Rows and a digest of every table; on PostgreSQL each row as PostgreSQL's own text, so
    that two client connections with different type loaders compare."""
    row = "t::text" if connection.vendor == "postgresql" else "*"
    result = {}
    for table in tables:
        cursor.execute(f'SELECT {row} FROM "{table}" AS t')  # noqa: S608 - names from introspection
        rows = cursor.fetchall()
        result[table] = (len(rows), _digest(rows))
    return result


def _source():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        return tables, _snapshot(cursor, tables)


@pytest.fixture
def data(world):
    answer_everything(world.response_a, world.reporter_a)
    call_command("load_support", verbosity=0)
    return world


def test_backup_and_restore_into_an_empty_database_finds_every_row(data, tmp_path):
    tables, before = _source()
    assert before["followup_measureanswer"][0] > 0
    backup = tmp_path / "nollvision.backup"
    call_command("backup", output=str(backup), verbosity=0)
    assert backup.stat().st_size > 0
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(backup), verbosity=0)
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        call_command("restore", str(backup), database_url=f"sqlite:///{target}")
        # Read with the same type conversions as Django's own connection.
        restored = sqlite3.connect(
            target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
        after = _snapshot(restored.cursor(), tables)
        restored.close()
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(backup), database_url=f"sqlite:///{target}")
    else:
        import psycopg

        settings = connection.settings_dict
        name = f"restore_{uuid.uuid4().hex[:8]}"
        server = {
            "host": settings["HOST"],
            "port": settings["PORT"] or 5432,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname=settings["NAME"], autocommit=True, **server) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
            url = (
                f"postgresql://{settings['USER']}{password}@{settings['HOST']}:"
                f"{server['port']}/{name}"
            )
            call_command("restore", str(backup), database_url=url)
            with psycopg.connect(dbname=name, **server) as restored:
                after = _snapshot(restored.cursor(), tables)
            with pytest.raises(CommandError, match="not empty"):
                call_command("restore", str(backup), database_url=url)
        finally:
            with psycopg.connect(dbname=settings["NAME"], autocommit=True, **server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert after == before


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "none.backup"))
