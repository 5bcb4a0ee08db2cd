"""Two application servers serve one consistent site (docs/deploy.md): gunicorn twice with
production settings on the suite's kind of database, one Redis (Debian's redis-server, started
here unless REDIS_URL names one) and one shared folder for files. Each server is the production
set-up of docs/deploy.md: several workers, static files from WhiteNoise, HTTPS behind a proxy."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from .drills import drill_environment

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: apt-get install redis-server"
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - Debian's Redis on loopback
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    for _attempt in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_two_servers_serve_one_consistent_site(drill_database, redis_url):
    url = drill_database("servers")
    run = subprocess.run(  # noqa: S603 - the project's own drill
        [
            sys.executable,
            "-m",
            "nollvision.devtools.servers",
            "--database-url",
            url,
            "--redis-url",
            redis_url,
        ],
        env=drill_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout[run.stdout.index("{") :])
    production = result["production"]
    assert production["home"] == 200
    assert production["names_the_plan"]
    assert production["hsts"].startswith("max-age=31536000")
    assert production["csp_inline"] is False
    assert production["referrer"] == "no-referrer"
    assert production["plain_http"] == [301, "https://loadtest.invalid/"]
    css, status, has_quick_exit = production["static"]
    assert ".css" in css  # a hashed name from the manifest
    assert css != "/static/nollvision/site.css"
    assert (status, has_quick_exit) == (200, True)
    assert production["wrong_host"] == 400
    assert result["goal_before"] == [False, False]  # nothing published: both cached that
    assert result["second_factor"] == [200, 302]
    assert result["session_on_second"] == 200  # the session from the first server
    assert result["publish_on_second"] == 302
    assert result["goal_after"] == [True, True]  # the first server's cache was made stale
    assert result["pdf_from_first"]["status"] == 200
    assert result["pdf_from_first"]["is_pdf"]
    assert result["pdf_from_first"]["sha256"] == result["stored_pdf_sha256"]
    assert any(name.endswith(".pdf") for name in result["media_files"])
    # Five requests a minute from one address, counted over both servers: the sixth is refused.
    assert result["api_statuses"] == [200, 200, 200, 200, 200, 429]
