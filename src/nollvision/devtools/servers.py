"""Two application servers, one site: gunicorn twice with production settings on one database,
one Redis and one shared folder for files, as docs/deploy.md lays out.

    python -m nollvision.devtools.servers --database-url URL --redis-url redis://127.0.0.1:6379/0

It checks, through the servers' HTTP ports only:
- a session started on one server is valid on the other (sessions live in the database);
- the coordinator publishes the annual report through one server, and the public goal page that
  the *other* server had cached shows the published figures at once (the cache and its
  generation live in Redis);
- the published files written by one server download from the other (the shared folder);
- the open data API's rate limit counts the requests to both servers together (Redis).

Prints a JSON summary; `src/tests/test_two_servers.py` runs it on the suite's database.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from nollvision.devtools.loadtest import HOST, PASSWORD, Session, _free_port, collect_static

API_RATE = 5  # requests per minute and address, for both servers together


def setup() -> dict:
    """The default plan, a follow-up of 2025 with Sundsvall's answer accepted (not yet
    published), and a coordinator with a password and a second factor."""
    import django

    django.setup()
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from nollvision.accounts.models import Membership, Organisation, Role, User
    from nollvision.devtools.demo.followup import complete_body
    from nollvision.followup.enums import Action
    from nollvision.followup.services import (
        MeasureChange,
        campaign_create,
        campaign_open,
        response_save,
        response_transition,
    )
    from nollvision.plans.models import Plan

    call_command("migrate", verbosity=0)
    call_command("import_plan", verbosity=0)
    plan = Plan.objects.get()

    def person(username: str, slug: str, role: str) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(slug=slug), role=role
        )
        return user

    coordinator = person("samordnare", "lansstyrelsen-vasternorrland", Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=coordinator, name="drill", confirmed=True)
    reporter = person("rapportor", "sundsvalls-kommun", Role.REPORTER)
    approver = person("godkannare", "sundsvalls-kommun", Role.APPROVER)
    sundsvall = Organisation.objects.get(slug="sundsvalls-kommun")
    campaign = campaign_create(plan=plan, year=2025, deadline=date(2026, 2, 15))
    (response,) = campaign_open(campaign=campaign, organisations=[sundsvall])
    response_save(
        response=response,
        user=reporter,
        measures=[
            MeasureChange(a.pk, a.version, {"status": "implemented", "done": "Rutin antagen."})
            for a in response.measure_answers.all()
        ],
        body=complete_body(response),
    )
    response_transition(response=response, user=reporter, action=Action.SUBMIT)
    response_transition(response=response, user=approver, action=Action.APPROVE)
    response_transition(response=response, user=coordinator, action=Action.ACCEPT)
    return {
        "plan": plan.slug,
        "campaign": campaign.pk,
        "device": {
            "key": device.key,
            "step": device.step,
            "t0": device.t0,
            "digits": device.digits,
        },
    }


def _token(device: dict) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(device["key"]), device["step"], device["t0"], device["digits"])
    totp.time = time.time()
    return f"{totp.token():0{device['digits']}d}"


def _start(environment: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the project's own server
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "nollvision.wsgi",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=environment,
    )


def _wait(base: str) -> None:
    for _attempt in range(300):
        try:
            httpx.get(base + "/", headers={"Host": HOST, "X-Forwarded-Proto": "https"}, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{base} did not start")


def _anonymous(base: str, path: str) -> httpx.Response:
    """A visitor without cookies (served from the shared cache when it has the page)."""
    return httpx.get(base + path, headers={"Host": HOST, "X-Forwarded-Proto": "https"}, timeout=30)


def production_checks(base: str) -> dict:
    """What docs/deploy.md promises of one server with production settings: HTTPS only, the
    security headers, static files from the manifest, unknown hosts refused."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    page = httpx.get(base + "/", headers=headers, timeout=30)
    plain = httpx.get(base + "/", headers={"Host": HOST}, timeout=30)
    css = page.text.split('rel="stylesheet" href="')[1].split('"')[0]
    static = httpx.get(base + css, headers=headers, timeout=30)
    wrong = httpx.get(base + "/", headers={"Host": "evil.test", "X-Forwarded-Proto": "https"})
    return {
        "home": page.status_code,
        "names_the_plan": "Västernorrland" in page.text,
        "hsts": page.headers.get("Strict-Transport-Security", ""),
        "csp_inline": "unsafe-inline"
        in page.headers.get("Content-Security-Policy", "unsafe-inline"),
        "referrer": page.headers.get("Referrer-Policy", ""),
        "plain_http": [plain.status_code, plain.headers.get("Location", "")],
        "static": [css, static.status_code, "quick-exit" in static.text],
        "wrong_host": wrong.status_code,
    }


def drill(first: str, second: str, prepared: dict) -> dict:
    goal = f"/planer/{prepared['plan']}/v1/mal/2/"
    published_marker = 'class="progress-table"'
    result: dict = {"production": production_checks(first)}
    # Both servers render the goal page before publication; the shared cache keeps it.
    result["goal_before"] = [
        published_marker in _anonymous(base, goal).text for base in (first, second)
    ]
    # The coordinator logs in (password, then the second factor) on the first server...
    session = Session(first)
    session.log_in("samordnare")
    verify = session.request("GET", "/konto/tvastegs/kod/")
    answer = session.request(
        "POST",
        "/konto/tvastegs/kod/",
        data={
            "token": _token(prepared["device"]),
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    result["second_factor"] = [verify.status_code, answer.status_code]
    # ... and the same session works on the second server.
    session.client = httpx.Client(base_url=second, timeout=120)
    work = session.request("GET", f"/arbete/uppfoljningar/{prepared['campaign']}/rapport/")
    result["session_on_second"] = work.status_code
    published = session.request(
        "POST",
        f"/arbete/uppfoljningar/{prepared['campaign']}/rapport/publicera/",
        # `confirmed=1`: the same POST the confirmation page's button sends (and the tick that
        # publishes although the check before publishing lists empty sections).
        data={
            "confirmed": "1",
            "publish_anyway": "on",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    result["publish_on_second"] = published.status_code
    # The request queued the work; the worker (docs/deploy.md) builds and switches it public.
    job_page = published.headers.get("Location", "")
    for _attempt in range(1200):
        if "data-job-poll=" not in session.request("GET", job_page).text:
            break
        time.sleep(0.1)
    # The first server's visitors see the publication at once: the cache it read was made stale.
    result["goal_after"] = [
        published_marker in _anonymous(base, goal).text for base in (first, second)
    ]
    # The files the second server wrote are read by the first.
    session.client = httpx.Client(base_url=first, timeout=120)
    pdf = session.request("GET", f"/arbete/uppfoljningar/{prepared['campaign']}/rapport/1.pdf")
    result["pdf_from_first"] = {
        "status": pdf.status_code,
        "is_pdf": pdf.content.startswith(b"%PDF"),
        "sha256": hashlib.sha256(pdf.content).hexdigest(),
    }
    # The API's limit counts both servers' requests from one address together.
    statuses = []
    for n in range(API_RATE + 1):
        base = first if n % 2 == 0 else second
        statuses.append(_anonymous(base, "/api/v1/plans/").status_code)
    result["api_statuses"] = statuses
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    args = parser.parse_args()
    shared = tempfile.mkdtemp(prefix="nollvision-shared-")
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "MEDIA_ROOT": str(Path(shared) / "media"),
        "DJANGO_SETTINGS_MODULE": "nollvision.settings.production",
        "SECRET_KEY": "two-servers-only-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "API_RATE": f"{API_RATE}/m",
        "LOG_LEVEL": "WARNING",
    }
    servers = []
    for name in ("first", "second"):
        # Each server has a data folder of its own (static files, a would-be local cache):
        # only the database, Redis and MEDIA_ROOT are shared.
        own = {**environment, "NOLLVISION_DATA_DIR": tempfile.mkdtemp(prefix=f"nv-{name}-")}
        servers.append(own)
    os.environ.update(servers[0])
    from nollvision.devtools.bench_scale import ensure_database

    started = time.monotonic()
    phases = {}
    ensure_database(args.database_url)
    prepared = setup()
    phases["database"] = time.monotonic() - started
    # The static files are collected once (compressing them is most of the work) and each
    # server gets its own copy in its own data folder.
    collect_static(servers[0])
    for own in servers[1:]:
        shutil.copytree(
            Path(servers[0]["NOLLVISION_DATA_DIR"]) / "static",
            Path(own["NOLLVISION_DATA_DIR"]) / "static",
        )
    ports = [_free_port(), _free_port()]
    processes = [_start(own, port) for own, port in zip(servers, ports, strict=True)]
    # One background worker beside them, on the same database (the task queue's broker).
    processes.append(
        subprocess.Popen(
            [sys.executable, "-m", "nollvision", "qcluster"], env=servers[0], stdout=sys.stderr
        )
    )
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    phases["static files"] = time.monotonic() - started - phases["database"]
    try:
        for base in bases:
            _wait(base)
        phases["servers up"] = time.monotonic() - started - sum(phases.values())
        result = drill(bases[0], bases[1], prepared)
        phases["drill"] = time.monotonic() - started - sum(phases.values())
        result["seconds"] = {name: round(value, 2) for name, value in phases.items()}
        from nollvision.reports.models import PublishedReport

        publication = PublishedReport.objects.get()
        result["stored_pdf_sha256"] = publication.checksums.get("pdf")
        result["media_files"] = sorted(
            p.name for p in (Path(shared) / "media").rglob("*") if p.is_file()
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
