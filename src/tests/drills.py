"""Databases for the drills (a second process on the suite's kind of database: two servers, a
killed worker, the job worker). Each drill needs a freshly migrated database of its own; running
every migration again for each costs several seconds of CPU, so the first drill of a test run
migrates a template (for real, with `nollvision migrate`, which also checks the migrations on
this kind of database) and every drill gets a copy of it: a file copy on SQLite, CREATE DATABASE
... TEMPLATE on PostgreSQL. The drill's own `migrate` then finds nothing left to apply."""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from nollvision.devtools.bench_scale import clone_database, drop_database, ensure_database


def drill_environment() -> dict:
    """The environment a drill's process runs in: the suite's, without its database and
    settings (the drill names its own)."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }


def run_root(basetemp: Path, worker: bool) -> Path:
    """The folder every process of one test run shares (xdist's workers each have a folder in
    it; the controller's is the folder itself)."""
    return basetemp.parent if worker else basetemp


def template_name(root: Path) -> str:
    return "drill_template_" + hashlib.sha256(str(root).encode()).hexdigest()[:12]


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nollvision", "migrate", "--no-input", "-v0"],
        env={**drill_environment(), "DATABASE_URL": url},
        check=True,
        capture_output=True,
        timeout=600,
    )


def _template(root: Path) -> str:
    """The run's migrated template, made by whichever drill needs it first."""
    root.mkdir(parents=True, exist_ok=True)
    server = _server_url()
    name = template_name(root)
    url = f"{server.rsplit('/', 1)[0]}/{name}" if server else f"sqlite:///{root / name}.sqlite3"
    done = root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if server:
                drop_database(url)
                ensure_database(url)
            _migrate(url)
            done.touch()
    return url


def new_database(root: Path, folder: Path, label: str) -> str:
    """A database URL for one drill: a copy of the migrated template."""
    template = _template(root)
    if template.startswith("postgres"):
        url = f"{template.rsplit('/', 1)[0]}/{label}_{uuid.uuid4().hex[:12]}"
        clone_database(template, url)
        return url
    path = folder / f"{label}.sqlite3"
    shutil.copyfile(template.removeprefix("sqlite:///"), path)
    return f"sqlite:///{path}"


def forget(url: str) -> None:
    if url.startswith("postgres"):
        drop_database(url)


def release(root: Path) -> None:
    """At the end of a test process that used the template: it goes (a PostgreSQL database
    must not outlive the run); a drill of another process after this makes it again."""
    name = template_name(root)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{name}.done"
        if not done.exists():
            return
        server = _server_url()
        if server:
            drop_database(f"{server.rsplit('/', 1)[0]}/{name}")
        else:
            (root / f"{name}.sqlite3").unlink(missing_ok=True)
        done.unlink()
