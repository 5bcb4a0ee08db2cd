"""Background work with a real worker: the development server and `nollvision qcluster` as two
processes on the suite's kind of database (a SQLite file, or a PostgreSQL database of its own),
driven over HTTP by `nollvision.devtools.jobs_drill`. Not eager mode: the page queues the job,
the worker runs it, the page shows its progress and result."""

import json
import subprocess
import sys

import pytest

from .drills import drill_environment, forget, new_database

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def drill(tmp_path_factory, _drill_root):
    root, used = _drill_root
    url = new_database(root, tmp_path_factory.mktemp("jobs"), "jobs")
    used.append(url)
    try:
        run = subprocess.run(  # noqa: S603 - the project's own drill
            [sys.executable, "-m", "nollvision.devtools.jobs_drill", "--database-url", url],
            env=drill_environment(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        forget(url)
    assert run.returncode == 0, run.stderr[-5000:]
    return json.loads(run.stdout[run.stdout.index("{") :])


def test_publishing_runs_in_the_worker_and_the_page_shows_its_progress(drill):
    assert drill["confirmation"] == {
        "status": 200,
        "check_shown": True,  # the one body's texts are not cleared, the narrative is empty
        "asks_to_publish_anyway": True,
    }
    publish = drill["publish"]
    assert publish["state"] == "done"
    assert publish["refreshing"]  # the page followed the job while the worker was at it
    steps = publish["progress"]
    assert steps, "no progress was shown"
    assert all(total == 14 for _step, total in steps)
    assert [step for step, _total in steps] == sorted(step for step, _total in steps)
    assert publish["result_link"]
    published = drill["published"]
    assert published["files"] == {
        "html": True,
        "pdf": True,
        "docx": True,
        "xlsx": True,
        "annex_pdf": True,
        "public_pdf": True,
    }
    assert published["pdf"]
    assert published["public_lists"]
    assert published["attempts"] == 1
    assert drill["worker_stopped"]


def test_a_document_is_built_by_the_worker_and_downloaded_from_its_page(drill):
    document = drill["document"]
    assert document["state"] == "done"
    assert document["refreshing"]
    assert document["download_link"]
    assert document["pdf"]
    assert document["attachment"]


def test_a_failing_publication_is_retried_reported_and_never_half_made(drill):
    failure = drill["failure"]
    assert failure["state"] == "failed"
    assert failure["attempts"] == 3
    assert (
        "Nothing was published" in failure["error"] or "Ingenting publicerades" in failure["error"]
    )
    assert failure["error_shown"]
    assert failure["report_page_says_failed"]
    # The previous state stays: publication 1 only, on the public record too, and no file of
    # the failed one was left (the folder's place holds only the file that blocked it).
    assert failure["publications"] == [1]
    assert failure["public_has_1"]
    assert not failure["public_has_2"]
    assert [f for f in failure["stored_files"] if "/2025/1/" not in f] == [
        "reports/vasternorrland-2022-2026/2025/2"
    ]
    # Once the storage is mended the same publication goes through, and the public record
    # (read through the server's cache, which the worker's publication made stale) shows it.
    assert drill["after_repair"] == {"state": "done", "publications": [1, 2], "public_has_2": True}
