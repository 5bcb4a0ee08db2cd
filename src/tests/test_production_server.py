"""The production set-up of docs/deploy.md: gunicorn with several workers, production settings,
static files from WhiteNoise, HTTPS behind a proxy. Started for real on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_site_with_production_settings(tmp_path):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="nollvision.settings.production",
        SECRET_KEY="p" * 20 + "q" * 20 + "0123456789",
        ALLOWED_HOSTS="stod.example.test",
        NOLLVISION_DATA_DIR=str(tmp_path),
    )
    manage = [sys.executable, "-m", "nollvision"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["import_plan"]):
        subprocess.run(  # noqa: S603 - the project's own commands
            [*manage, *command], env=environment, check=True, capture_output=True
        )
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - the project's own server
        [str(gunicorn), "nollvision.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Host": "stod.example.test", "X-Forwarded-Proto": "https"}
        for _attempt in range(100):
            try:
                httpx.get(base + "/", headers=headers, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        page = httpx.get(base + "/", headers=headers, timeout=10)
        assert page.status_code == 200
        assert "Västernorrland" in page.text
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
        assert page.headers["Referrer-Policy"] == "no-referrer"
        plain = httpx.get(base + "/", headers={"Host": "stod.example.test"}, timeout=10)
        assert plain.status_code == 301
        assert plain.headers["Location"] == "https://stod.example.test/"
        css = page.text.split('rel="stylesheet" href="')[1].split('"')[0]
        assert ".css" in css  # a hashed name from the manifest
        static = httpx.get(base + css, headers=headers, timeout=10)
        assert static.status_code == 200
        assert "quick-exit" in static.text
        wrong_host = httpx.get(
            base + "/", headers={"Host": "evil.test", "X-Forwarded-Proto": "https"}
        )
        assert wrong_host.status_code == 400
    finally:
        server.terminate()
        server.wait(timeout=20)
