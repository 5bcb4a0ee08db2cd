"""The fault drill of docs/faults.md, run for real: gunicorn with production settings on the
suite's kind of database, a reporter submits, and every worker is killed with SIGKILL a few
milliseconds later (from before the request is read to after it ends). Each answer must end
either fully submitted or still a draft."""

import json
import subprocess
import sys

import pytest

from .drills import drill_environment

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROUNDS = 4


def test_a_worker_killed_during_submit_leaves_the_answer_whole(drill_database):
    url = drill_database("kill_drill")
    run = subprocess.run(  # noqa: S603 - the project's own drill
        [
            sys.executable,
            "-m",
            "nollvision.devtools.loadtest",
            "--database-url",
            url,
            "--kill-drill",
            # Four rounds in the suite (the first certain to cut a request off, three spread
            # over the submit); `make load` and the drill's own default run twelve.
            "--rounds",
            str(ROUNDS),
        ],
        env=drill_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    drill = json.loads(run.stdout[run.stdout.index("{") :])["kill_drill"]
    assert drill["rounds"] == ROUNDS
    assert drill["partial"] == 0, drill["outcomes"]
    assert drill["submitted"] + drill["still_draft"] == drill["rounds"]
    # The drill did kill requests in flight (those answers stayed drafts), and the workers came
    # back: the submit after all the kills went all the way, like the one before them.
    held = drill["outcomes"][0]  # killed while the worker waited for the request's body
    assert not isinstance(held["client"], int), held
    assert held["status"] == "draft"
    assert drill["interrupted"] >= 1
    assert drill["still_draft"] >= 1
    before, after = drill["before_and_after"]
    submitted = {"status": "submitted", "status_changes": 1, "history_rows": 1, "whole": True}
    assert before == submitted
    assert after == submitted
    for outcome in drill["outcomes"]:
        if outcome["client"] == 302:
            assert outcome["status"] == "submitted"  # acknowledged means kept
