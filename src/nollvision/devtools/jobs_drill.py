"""Background work for real: the development server and one `nollvision qcluster` worker on one
database (a SQLite file or a PostgreSQL database), as `make run` starts them.

    python -m nollvision.devtools.jobs_drill --database-url URL

Through the server's HTTP port only, the coordinator:
- opens the publish confirmation (the check before publishing is on it) and publishes: the
  request answers at once with the job's page, which shows the steps (and follows them) until
  the worker has built every file and switched the publication public;
- has the plan built as a PDF by the worker and downloads it from the job's page;
- publishes again while the storage refuses to write: the worker tries three times, the job is
  reported as failed, and the public record still shows the first publication and nothing else;
- publishes once more after the storage is mended: number 2 is public.

Prints a JSON summary; `src/tests/test_jobs_worker.py` runs it on the suite's kind of database.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from nollvision.devtools.loadtest import HOST, Session, _free_port

SETTINGS = "nollvision.settings.development"


def _start(command: list[str], environment: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the project's own server and worker
        [sys.executable, "-m", "nollvision", *command],
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def _wait_for_server(base: str) -> None:
    for _attempt in range(300):
        try:
            httpx.get(base + "/", headers={"Host": HOST}, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{base} did not start")


def _job_id(response: httpx.Response) -> int:
    match = re.fullmatch(r"/arbete/jobb/(\d+)/", response.headers.get("Location", ""))
    if response.status_code != 302 or match is None:
        raise SystemExit(f"no job page: {response.status_code} {response.text[-2000:]}")
    return int(match.group(1))


def follow(session: Session, job: int, limit: float = 240) -> dict:
    """Read the job's page as a browser would (its refresh link, or its script) until the job
    has finished: what the page showed on the way (progress steps, following) and at the end."""
    seen = {"refreshing": False, "progress": [], "waiting_seen": False}
    started = time.monotonic()
    while time.monotonic() - started < limit:
        page = session.request("GET", f"/arbete/jobb/{job}/").text
        refreshing = "data-job-poll=" in page
        seen["refreshing"] |= refreshing
        progress = re.search(r'<progress id="job-progress" max="(\d+)" value="(\d+)"', page)
        if progress is not None:
            step = [int(progress.group(2)), int(progress.group(1))]
            if not seen["progress"] or seen["progress"][-1] != step:
                seen["progress"].append(step)
        seen["waiting_seen"] |= "job--waiting" in page and "job-progress" not in page
        if not refreshing:
            state = re.search(r'class="job job--(\w+)"', page)
            seen["state"] = state.group(1) if state else None
            seen["seconds"] = round(time.monotonic() - started, 2)
            seen["page"] = page
            return seen
        time.sleep(0.1)
    raise SystemExit(f"job {job} did not finish in {limit} s")


def _publish(session: Session, campaign: int, **extra) -> tuple[int, float]:
    url = f"/arbete/uppfoljningar/{campaign}/rapport/publicera/"
    start = time.monotonic()
    response = session.request(
        "POST",
        url,
        data={
            "confirmed": "1",
            "publish_anyway": "on",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            **extra,
        },
    )
    return _job_id(response), round(time.monotonic() - start, 3)


def drill(base: str, prepared: dict, media: Path) -> dict:
    from nollvision.jobs.models import Job
    from nollvision.reports.models import PublishedReport

    result: dict = {}
    session = Session(base)
    session.log_in("samordnare")
    campaign, plan = prepared["campaign"], prepared["plan"]
    ask = session.request(
        "POST",
        f"/arbete/uppfoljningar/{campaign}/rapport/publicera/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )
    result["confirmation"] = {
        "status": ask.status_code,
        "check_shown": 'id="publication-check"' in ask.text,
        "asks_to_publish_anyway": 'name="publish_anyway"' in ask.text,
    }
    # 1. Publishing: the request only queues the job; the worker does the rest.
    job, seconds = _publish(session, campaign)
    result["publish_request_s"] = seconds
    seen = follow(session, job)
    page = seen.pop("page")
    result["publish"] = {
        **seen,
        "result_link": f'href="/arbete/uppfoljningar/{campaign}/rapport/#published"' in page,
    }
    publication = PublishedReport.objects.get(number=1)
    files = {
        name: (media / getattr(publication, name).name).is_file()
        for name in ("html", "pdf", "docx", "xlsx", "annex_pdf", "public_pdf")
    }
    pdf = session.request("GET", f"/arbete/uppfoljningar/{campaign}/rapport/1.pdf")
    public = httpx.get(f"{base}/planer/{plan}/rapporter/", headers={"Host": HOST}).text
    result["published"] = {
        "files": files,
        "pdf": pdf.status_code == 200 and pdf.content.startswith(b"%PDF"),
        "public_lists": f"/planer/{plan}/rapporter/" in public and "/1.pdf" in public,
        "attempts": Job.objects.get(pk=job).attempts,
    }
    # 2. A document: the plan as PDF, built by the worker, downloaded from the job's page.
    response = session.request(
        "POST",
        f"/arbete/planer/{plan}/version/1/bygg-dokument.pdf",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )
    document_job = _job_id(response)
    seen = follow(session, document_job)
    page = seen.pop("page")
    download = session.request("GET", f"/arbete/jobb/{document_job}/fil/")
    result["document"] = {
        **seen,
        "download_link": f'href="/arbete/jobb/{document_job}/fil/"' in page,
        "pdf": download.status_code == 200 and download.content.startswith(b"%PDF"),
        "attachment": download.headers.get("Content-Disposition", "").startswith("attachment"),
    }
    # 3. The storage refuses to write the next publication's folder: every attempt fails.
    folder = media / "reports" / plan / str(prepared["year"]) / "2"
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")
    job, _seconds = _publish(session, campaign, reason="Ett svar till kom med.")
    seen = follow(session, job)
    page = seen.pop("page")
    failed = Job.objects.get(pk=job)
    public = httpx.get(f"{base}/planer/{plan}/rapporter/", headers={"Host": HOST}).text
    report_page = session.request("GET", f"/arbete/uppfoljningar/{campaign}/rapport/").text
    result["failure"] = {
        **seen,
        "attempts": failed.attempts,
        "error": failed.error,
        "error_shown": failed.error.split(" (")[0] in page,
        "publications": sorted(PublishedReport.objects.values_list("number", flat=True)),
        "public_has_2": "/2.pdf" in public,
        "public_has_1": "/1.pdf" in public,
        "report_page_says_failed": 'id="publish-job"' in report_page,
        "stored_files": sorted(
            str(p.relative_to(media)) for p in (media / "reports").rglob("*") if p.is_file()
        ),
    }
    # 4. The storage mended: the same publication goes through.
    folder.unlink()
    job, _seconds = _publish(session, campaign, reason="Ett svar till kom med.")
    seen = follow(session, job)
    seen.pop("page")
    public = httpx.get(f"{base}/planer/{plan}/rapporter/", headers={"Host": HOST}).text
    result["after_repair"] = {
        "state": seen["state"],
        "publications": sorted(PublishedReport.objects.values_list("number", flat=True)),
        "public_has_2": "/2.pdf" in public,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nollvision-jobs-"))
    media = folder / "media"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "NOLLVISION_DATA_DIR": str(folder / "data"),
        "MEDIA_ROOT": str(media),
        "SECRET_KEY": "jobs-drill-only-" + "x" * 40,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REQUIRE_TWO_FACTOR": "0",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    from nollvision.devtools.bench_scale import ensure_database
    from nollvision.devtools.servers import setup

    ensure_database(args.database_url)
    prepared = setup()
    from nollvision.followup.models import Campaign

    prepared["year"] = Campaign.objects.get(pk=prepared["campaign"]).year
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(["runserver", "--noreload", f"127.0.0.1:{port}"], environment, folder / "s.log")
    worker = _start(["qcluster"], environment, folder / "worker.log")
    try:
        _wait_for_server(base)
        result = drill(base, prepared, media)
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for name in ("s.log", "worker.log"):
            sys.stderr.write(f"--- {name}\n{(folder / name).read_text(errors='replace')[-4000:]}\n")
    result["worker_stopped"] = worker.returncode is not None
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
