"""Production settings refuse to start without a secret; development makes one."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit


def run_settings(module: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.DEBUG, len(settings.SECRET_KEY) >= 32, settings.MIDDLEWARE[1])",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_settings("nollvision.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_production_reads_secret_from_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 40)
    result = run_settings("nollvision.settings.production", SECRET_KEY_FILE=str(secret))
    assert result.stdout.split() == ["False", "True", "whitenoise.middleware.WhiteNoiseMiddleware"]


def test_development_generates_a_secret_into_the_data_folder(tmp_path):
    result = run_settings("nollvision.settings.development", NOLLVISION_DATA_DIR=str(tmp_path))
    assert result.stdout.split()[:2] == ["True", "True"]
    assert len((tmp_path / "secret_key").read_text()) >= 32


def test_two_saves_on_the_sqlite_file_queue_and_readers_do_not_wait(tmp_path):
    """The embedded database: a save takes the write lock when it begins and waits for another
    (busy timeout), in write-ahead-log mode, so a reader never waits for a writer."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="nollvision.settings.development", NOLLVISION_DATA_DIR=str(tmp_path)
    )
    probe = (
        "import django; django.setup(); from django.db import connection as c;"
        "o = c.settings_dict['OPTIONS']; c.ensure_connection();"
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); mode = cur.fetchone()[0];"
        "print(o['transaction_mode'], o['timeout'] >= 10, mode)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter on our own settings
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "True", "wal"]


def test_a_drills_database_url_may_name_a_socket_folder_or_a_host():
    from nollvision.devtools.bench_scale import _server

    name, server = _server("postgres://postgres@%2Fvar%2Frun%2FPostgres:5433/drill_x")
    assert (name, server["host"], server["port"]) == ("drill_x", "/var/run/Postgres", 5433)
    name, server = _server("postgres://nv:hemligt@db.example.invalid/nollvision")
    assert (name, server["host"], server["port"], server["password"]) == (
        "nollvision",
        "db.example.invalid",
        5432,
        "hemligt",
    )


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(None, "True 5"), ("off", "True None"), ("12", "True 12"), ("²", None), ("fem", None)],
)
def test_postgresql_binds_on_the_server_and_prepares_unless_turned_off(threshold, expected):
    """Prepared statements need a pooler that keeps them: DATABASE_PREPARE_THRESHOLD=off."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_PREPARE_THRESHOLD"}
    environment["DATABASE_URL"] = "postgres://nollvision@127.0.0.1:1/nollvision"
    environment["DJANGO_SETTINGS_MODULE"] = "nollvision.settings.test"
    if threshold is not None:
        environment["DATABASE_PREPARE_THRESHOLD"] = threshold
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "o = settings.DATABASES['default']['OPTIONS'];"
            "print(o['server_side_binding'], o['prepare_threshold'])",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if expected is None:  # refused at start, with what to write instead
        assert result.returncode != 0
        assert "DATABASE_PREPARE_THRESHOLD must be a whole number of runs, or off" in result.stderr
    else:
        assert result.stdout.split() == expected.split(), result.stderr
