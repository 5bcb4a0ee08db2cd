"""Backups of the whole database: SQLite's online backup API, or pg_dump/pg_restore.

A backup is one file. `backup_create` writes it while the site keeps running; `backup_restore`
reads it into a database, by default the one in the settings, and refuses to overwrite a
database that already holds Nollvision's tables unless told to replace it."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.db import connection


class BackupError(RuntimeError):
    pass


def _pg_env(settings_dict: dict) -> dict:
    """libpq's variables, so that no password appears on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _pg_settings(url: str | None) -> dict:
    if url is None:
        return connection.settings_dict
    parsed = urlparse(url)
    return {
        "HOST": parsed.hostname or "",
        "PORT": parsed.port or "",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "NAME": parsed.path.lstrip("/"),
    }


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(command: list[str], env: dict) -> None:
    # The commands are fixed tools with arguments built here, never from user input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup_create(output: Path) -> Path:
    """Write a backup of the database in the settings to `output` (a new file)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already; choose a new file name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
            _run([*command, f"--file={partial}"], _pg_env(connection.settings_dict))
        else:
            raise BackupError(f"No backup for the {connection.vendor} database.")
        partial.replace(output)  # whole or nothing
    finally:
        partial.unlink(missing_ok=True)
    return output


def _has_tables_sqlite(target: sqlite3.Connection) -> bool:
    return (
        target.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='django_migrations'"
        ).fetchone()[0]
        > 0
    )


def backup_restore(source: Path, *, database_url: str | None = None, replace: bool = False):
    """Read a backup into the database of `database_url` (default: the settings' database)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file.")
    vendor = connection.vendor if database_url is None else urlparse(database_url).scheme
    if vendor == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if database_url is None:
                connection.ensure_connection()
                target, close = connection.connection, False
            else:
                target, close = sqlite3.connect(urlparse(database_url).path), True
            try:
                if _has_tables_sqlite(target) and not replace:
                    raise BackupError("The database is not empty; use --replace to overwrite it.")
                backup.backup(target)
            finally:
                if close:
                    target.close()
        finally:
            backup.close()
        return
    if vendor in ("postgresql", "postgres"):
        env = _pg_env(_pg_settings(database_url))
        check = subprocess.run(  # noqa: S603 - a fixed query through psql
            [_tool("psql"), "-At", "-c", "SELECT to_regclass('public.django_migrations')"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise BackupError(f"psql failed: {check.stderr.strip()}")
        if check.stdout.strip() and not replace:
            raise BackupError("The database is not empty; use --replace to overwrite it.")
        command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        if replace:
            command += ["--clean", "--if-exists"]
        _run([*command, f"--dbname={env['PGDATABASE']}", str(source)], env)
        return
    raise BackupError(f"No restore for the {vendor} database.")
