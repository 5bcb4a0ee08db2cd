"""`make load`: the production set-up (gunicorn, several workers, production settings) on
127.0.0.1 and a PostgreSQL database, under load.

1. Public pages at a sustained rate from many clients: the rate reached and every error.
2. 50 reporters, each in their own organisation's answer, saving (autosave) concurrently for
   60 s; afterwards every answer is read back from the database and compared with the last save
   the server acknowledged: zero server errors and zero lost writes are the target.

    python -m nollvision.devtools.loadtest --database-url postgres://... [--seconds 60] [--reporters 50]

3. With `--kill-drill` (also on SQLite): the fault drill of docs/faults.md. Reporters submit
   their answers and every gunicorn worker is killed (SIGKILL): once while the request's body
   is still arriving, then from 0 to 1.5 times an uncut submit's time after the submit starts,
   a different moment each round; afterwards each answer must be either fully submitted (status,
   status change and history all there) or still a draft with none of them.

    python -m nollvision.devtools.loadtest --database-url URL --kill-drill [--rounds 12]

Prints JSON; `--markdown FILE` appends the results.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import httpx

HOST = "loadtest.invalid"
PASSWORD = "load-test-password-long"  # noqa: S105 - a throw-away database's users


class Session:
    """An HTTP client that keeps its cookies by hand: production cookies are Secure, and the
    test talks plain HTTP to gunicorn behind a pretend TLS proxy."""

    def __init__(self, base: str):
        self.client = httpx.Client(base_url=base, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.client.request(method, path, headers=headers, **kwargs)
        for cookie in response.headers.get_list("set-cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def log_in(self, username: str) -> None:
        self.request("GET", "/konto/logga-in/")
        response = self.request(
            "POST",
            "/konto/logga-in/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )
        if response.status_code != 302:
            raise SystemExit(f"{username} could not log in: {response.status_code}")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def collect_static(environment: dict) -> None:
    """`collectstatic` with production settings into the data folder `environment` names.

    Compressing the files is most of a drill's start. With `NOLLVISION_STATIC_CACHE` set (the
    test suite sets it to a folder of its run), the first drill collects for real and leaves a
    copy there, and a later drill of the same run copies that instead: the same files, from the
    same sources and settings."""
    target = Path(
        environment.get("STATIC_ROOT") or Path(environment["NOLLVISION_DATA_DIR"]) / "static"
    )
    cache = os.environ.get("NOLLVISION_STATIC_CACHE")
    if cache and (Path(cache) / "staticfiles.json").is_file():
        shutil.copytree(cache, target, dirs_exist_ok=True)
        return
    subprocess.run(
        [sys.executable, "-m", "nollvision", "collectstatic", "--no-input", "-v0"],
        env=environment,
        check=True,
    )
    if cache:
        # Copied aside, then renamed into place: a drill running beside this one never sees
        # half a folder, and whichever finishes second keeps its own copy.
        aside = Path(tempfile.mkdtemp(prefix="static-", dir=Path(cache).parent))
        shutil.copytree(target, aside / "static")
        with contextlib.suppress(OSError):
            (aside / "static").rename(cache)
        shutil.rmtree(aside, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(reporters: int) -> list[dict]:
    """The plan, a follow-up with one organisation per reporter, and each reporter's form."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.http import QueryDict

    from nollvision.accounts.models import Membership, Organisation, OrganisationKind, Role, User
    from nollvision.backoffice.answer_page import fill_missing
    from nollvision.followup.selectors import response_form_data
    from nollvision.followup.services import campaign_create, campaign_open
    from nollvision.plans.models import Plan

    call_command("migrate", verbosity=0)
    call_command("import_plan", verbosity=0)
    call_command("import_indicators", "defaults", verbosity=0)
    call_command("load_support", verbosity=0)
    plan = Plan.objects.get()
    kind = OrganisationKind.objects.get(code="municipality")
    organisations = [
        Organisation.objects.get_or_create(
            slug=f"lasttest-{n:02d}",
            defaults={"name": f"Lasttest {n:02d}", "kind": kind, "region": plan.region},
        )[0]
        for n in range(reporters)
    ]
    campaign = campaign_create(plan=plan, year=2030, deadline=date(2031, 2, 15))
    responses = campaign_open(campaign=campaign, organisations=organisations)
    people = []
    for n, response in enumerate(responses):
        user = User.objects.create_user(username=f"lasttest{n:02d}", password=PASSWORD)
        Membership.objects.create(user=user, organisation=response.organisation, role=Role.REPORTER)
        post = QueryDict(mutable=True)
        fill_missing(post, response, response_form_data(response))
        answers = list(response.measure_answers.values_list("pk", flat=True))
        people.append(
            {"username": user.username, "response": response.pk, "post": post, "answers": answers}
        )
    return people


def prepare_submissions(people: list[dict]) -> None:
    """Every measure of each reporter's answer filled in and the answer a draft, so that it can
    be submitted."""
    from nollvision.followup.enums import ResponseStatus, RoutineState
    from nollvision.followup.models import (
        BodyAnswer,
        MeasureAnswer,
        ParticipationAnswer,
        Response,
        RoutineAnswer,
    )

    responses = [p["response"] for p in people]
    MeasureAnswer.objects.filter(response_id__in=responses).update(
        status="ongoing", done="Arbetet pågår enligt organisationens plan."
    )
    # "About your organisation" complete too: an answer is sent in only when whole.
    RoutineAnswer.objects.filter(response_id__in=responses).update(state=RoutineState.YES)
    ParticipationAnswer.objects.filter(response_id__in=responses).update(participates=True)
    BodyAnswer.objects.filter(response_id__in=responses).update(staff_concerned=30)
    Response.objects.filter(pk__in=responses).update(status=ResponseStatus.DRAFT)


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def worker_peak_memory_mb(master: int) -> int:
    """The highest resident memory any live gunicorn worker has reached (VmHWM), in MB."""
    peaks = []
    for pid in _workers(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) // 1024)
    return max(peaks, default=0)


def _wait_until_up(base: str, seconds: float = 60) -> None:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            response = httpx.get(
                base + "/", headers={"Host": HOST, "X-Forwarded-Proto": "https"}, timeout=5
            )
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not come back after its workers were killed")


def _submit(
    base: str,
    person: dict,
    reply: dict,
    ready: threading.Event | None = None,
    hold: threading.Event | None = None,
) -> None:
    """Log in as `person` and submit their answer; `reply` gets the outcome and the times.
    `ready` is set once the submit is about to go; with `hold`, once its first bytes are sent,
    and the rest of the request waits until `hold` is set."""
    session = Session(base)
    session.log_in(person["username"])
    # `confirmed=1`: the same POST the confirmation page's button sends.
    data = urlencode(
        {
            "action": "submit",
            "confirmed": "1",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        }
    )
    body = data.encode()

    def held_body():
        yield body[:10]
        ready.set()
        hold.wait(timeout=60)
        yield body[10:]

    if hold is None and ready is not None:
        ready.set()
    reply["logged_in"] = time.monotonic()
    try:
        answer = session.request(
            "POST",
            f"/arbete/svar/{person['response']}/status/",
            content=body if hold is None else held_body(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Content-Length": str(len(body)),
            },
        )
        reply["status"] = answer.status_code
    except httpx.TransportError as error:
        reply["error"] = type(error).__name__
    reply["done"] = time.monotonic()


def _kill_workers(master: int) -> None:
    for pid in _workers(master):
        os.kill(pid, signal.SIGKILL)


def _state(person: dict) -> dict:
    """The answer's status, its submit status changes and its submitted history rows."""
    from nollvision.followup.enums import Action, ResponseStatus
    from nollvision.followup.models import Response, StatusChange

    response = Response.objects.get(pk=person["response"])
    changes = StatusChange.objects.filter(response=response, action=Action.SUBMIT).count()
    history = response.history.filter(status=ResponseStatus.SUBMITTED).count()
    return {
        "status": response.status,
        "status_changes": changes,
        "history_rows": history,
        "whole": (response.status, changes, history)
        in {(ResponseStatus.SUBMITTED, 1, 1), (ResponseStatus.DRAFT, 0, 0)},
    }


def kill_drill(base: str, master: int, people: list[dict], rounds: int) -> dict:
    """Submit an answer, SIGKILL every worker during or after it, check the answer is whole.

    `people` holds rounds + 2 reporters. The first submit is timed without a kill. The first
    kill round is certain to land inside the request: the worker is killed while it waits for
    the rest of the request's body. The other rounds kill at moments from 0 to 1.5 times the
    timed submit, so some land in the view and its transaction however loaded the machine is.
    The last submit, after all the kills, must go through (the workers came back)."""
    from nollvision.followup.enums import ResponseStatus

    timing: dict = {}
    _submit(base, people[0], timing)
    took_ms = (timing["done"] - timing["logged_in"]) * 1000
    timed = rounds - 1
    delays_ms = [None, *(round(i * 1.5 * took_ms / max(timed - 1, 1)) for i in range(timed))]
    outcomes = []
    for person, delay in zip(people[1 : rounds + 1], delays_ms, strict=True):
        reply: dict = {}
        ready, hold = threading.Event(), threading.Event()
        held = hold if delay is None else None
        thread = threading.Thread(target=_submit, args=(base, person, reply, ready, held))
        thread.start()
        ready.wait(timeout=60)
        time.sleep(0.3 if delay is None else delay / 1000)  # held: the worker waits for the body
        _kill_workers(master)
        hold.set()
        thread.join()
        _wait_until_up(base)
        outcomes.append(
            {
                "delay_ms": "while the body arrives" if delay is None else delay,
                "client": reply.get("status") or reply.get("error"),
                **_state(person),
            }
        )
    control: dict = {}
    _submit(base, people[rounds + 1], control)
    return {
        "rounds": len(outcomes),
        "uncut_submit_ms": round(took_ms),
        "interrupted": sum(1 for o in outcomes if not isinstance(o["client"], int)),
        "submitted": sum(1 for o in outcomes if o["status"] == ResponseStatus.SUBMITTED),
        "still_draft": sum(1 for o in outcomes if o["status"] == ResponseStatus.DRAFT),
        "partial": sum(1 for o in outcomes if not o["whole"]),
        "before_and_after": [_state(people[0]), _state(people[rounds + 1])],
        "outcomes": outcomes,
    }


def _run_all(threads: list[threading.Thread]) -> float:
    """Start the threads together, wait for all of them; the seconds it took."""
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start


def public_load(base: str, seconds: float, clients: int) -> dict:
    paths = [
        "/",
        "/stod/2260/",
        "/planer/vasternorrland-2022-2026/v1/mal/2/",
        "/planer/vasternorrland-2022-2026/v1/ansvar/",
        "/api/v1/plans/vasternorrland-2022-2026/",
        "/lattlast/",
    ]
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        session = Session(base)
        session.cookies = {}  # public visitors have none
        while time.monotonic() < stop:
            path = random.choice(paths)  # noqa: S311 - load pattern
            response = session.client.get(
                path, headers={"Host": HOST, "X-Forwarded-Proto": "https"}
            )
            with lock:
                statuses[response.status_code] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    elapsed = _run_all(threads)
    total = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "statuses": dict(statuses),
        "errors": sum(n for code, n in statuses.items() if code >= 400),
    }


def reporter_load(base: str, people: list[dict], seconds: float) -> dict:
    acknowledged: dict[int, str] = {}
    statuses: Counter = Counter()
    lock = threading.Lock()
    sessions = []
    for person in people:
        session = Session(base)
        session.log_in(person["username"])
        sessions.append(session)
    stop = time.monotonic() + seconds

    def run(person, session):
        post = person["post"].copy()
        counter = 0
        while time.monotonic() < stop:
            counter += 1
            answer = random.choice(person["answers"])  # noqa: S311 - load pattern
            text = f"{person['username']} sparning {counter}"
            post[f"m{answer}-done"] = text
            post[f"m{answer}-status"] = "ongoing"
            response = session.request(
                "POST",
                f"/arbete/svar/{person['response']}/",
                data={**post.dict(), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                headers={"X-Autosave": "1"},
            )
            with lock:
                statuses[response.status_code] += 1
            if response.status_code == 200 and response.json().get("saved"):
                for key, version in response.json()["versions"].items():
                    post[key] = str(version)
                with lock:
                    acknowledged[answer] = text

    threads = [
        threading.Thread(target=run, args=(person, session))
        for person, session in zip(people, sessions, strict=True)
    ]
    elapsed = _run_all(threads)

    from nollvision.followup.models import MeasureAnswer

    stored = dict(MeasureAnswer.objects.filter(pk__in=acknowledged).values_list("pk", "done"))
    lost = [pk for pk, text in acknowledged.items() if stored.get(pk) != text]
    total = sum(statuses.values())
    return {
        "reporters": len(people),
        "seconds": round(elapsed, 1),
        "saves": total,
        "saves_per_s": round(total / elapsed, 1),
        "statuses": dict(statuses),
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "answers_acknowledged": len(acknowledged),
        "lost_writes": len(lost),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--markdown")
    parser.add_argument("--kill-drill", action="store_true", help="only the worker-kill drill")
    parser.add_argument("--rounds", type=int, default=12, help="rounds of the kill drill")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="nollvision-load-")
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "nollvision.settings.production",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "NOLLVISION_DATA_DIR": data_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Every simulated visitor comes from 127.0.0.1: the API's per-address limit would
        # measure itself, not the server.
        "API_RATE": "1000000/m",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    from nollvision.devtools.bench_scale import ensure_database

    ensure_database(args.database_url)
    people = setup(args.rounds + 2 if args.kill_drill else args.reporters)
    if args.kill_drill:
        prepare_submissions(people)
    collect_static(environment)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - the project's own server
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "nollvision.wsgi",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(2 if args.kill_drill else args.workers),
        ],
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(200):
            try:
                httpx.get(base + "/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        if args.kill_drill:
            result = {"date": time.strftime("%Y-%m-%d"), "database": _vendor()}
            result["kill_drill"] = kill_drill(base, server.pid, people, args.rounds)
        else:
            result = {
                "date": time.strftime("%Y-%m-%d"),
                "workers": args.workers,
                "cpus": os.cpu_count(),
                "public": public_load(base, min(args.seconds, 30), clients=16),
                "reporters": reporter_load(base, people, args.seconds),
                "worker_peak_memory_mb": worker_peak_memory_mb(server.pid),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.markdown and args.kill_drill:
        drill = result["kill_drill"]
        with open(args.markdown, "a", encoding="utf-8") as file:
            file.write(
                f"- {result['date']}, {result['database']}: {drill['rounds']} submits; every "
                "worker killed once while a request's body was arriving, then 0-"
                f"{round(1.5 * drill['uncut_submit_ms'])} ms after each submit (an uncut submit "
                f"took {drill['uncut_submit_ms']} ms); {drill['interrupted']} requests cut off, "
                f"{drill['submitted']} answers fully submitted, {drill['still_draft']} still "
                f"drafts, {drill['partial']} partly written.\n"
            )
    elif args.markdown:
        public, reporters = result["public"], result["reporters"]
        with open(args.markdown, "a", encoding="utf-8") as file:
            file.write(
                f"### Load, {result['date']} ({result['cpus']} CPUs, gunicorn {result['workers']} "
                "workers, PostgreSQL)\n\n"
                f"- Public pages, {public['clients']} clients for {public['seconds']} s: "
                f"{public['requests']} requests, {public['requests_per_s']} per second, "
                f"{public['errors']} errors ({public['statuses']}).\n"
                f"- {reporters['reporters']} reporters saving for {reporters['seconds']} s: "
                f"{reporters['saves']} saves ({reporters['saves_per_s']} per second), "
                f"{reporters['server_errors']} server errors, "
                f"{reporters['answers_acknowledged']} answers read back, "
                f"{reporters['lost_writes']} lost writes ({reporters['statuses']}).\n"
                f"- Peak resident memory of a worker: {result['worker_peak_memory_mb']} MB.\n\n"
            )


if __name__ == "__main__":
    main()
