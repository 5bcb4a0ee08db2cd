"""The test helper that writes the default plan's rows again (rows.Replay) writes what the
import wrote, and imports for real when the database is in another state."""

import pytest
from django.db import transaction

from nollvision.indicators.models import Area
from nollvision.plans.models import Measure

from .conftest import _import_default_plan
from .rows import Replay, _rows, _tables

pytestmark = pytest.mark.integration


def _everything() -> dict:
    return {name: _rows(name)[1] for name, _pk in _tables()}


def _in_a_rolled_back_transaction(step):
    with transaction.atomic():
        step()
        rows = _everything()
        transaction.set_rollback(True)
    return rows


def test_a_replayed_import_writes_every_row_the_import_wrote(db):
    replay = Replay(_import_default_plan)
    empty = _everything()

    imported = _in_a_rolled_back_transaction(replay)
    assert _everything() == empty  # the import was rolled back
    replayed = _in_a_rolled_back_transaction(replay)

    assert len(replay.changes) == 1  # one state, one real import
    assert replayed == imported
    assert sum(len(rows) for rows in imported.values()) > sum(len(r) for r in empty.values()) + 300


def test_a_database_in_another_state_gets_the_real_import(db):
    replay = Replay(_import_default_plan)
    _in_a_rolled_back_transaction(replay)
    Area.objects.create(code="9999", name="Provområde", level="municipality")

    replay()

    assert len(replay.changes) == 2
    assert Measure.objects.filter(plan__slug="vasternorrland-2022-2026").count() == 40


def test_what_the_step_returned_is_read_again_after_a_replay(db):
    from types import SimpleNamespace

    from nollvision.plans.models import Plan

    def step():
        _import_default_plan()
        plan = Plan.objects.get(slug="vasternorrland-2022-2026")
        return SimpleNamespace(plan=plan, measure=plan.measures.get(code="2.1"), year=2025)

    replay = Replay(step)
    with transaction.atomic():
        first = replay()
        transaction.set_rollback(True)
    assert not Plan.objects.exists()
    again = replay()
    assert len(replay.changes) == 1  # written again, not built again
    assert (again.plan.pk, again.measure.pk, again.year) == (first.plan.pk, first.measure.pk, 2025)
    assert again.measure.plan_id == again.plan.pk  # read from the database, not kept
    assert again.plan is not first.plan
