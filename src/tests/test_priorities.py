"""Prioritised measures per period (#18, part 4): recorded by the county's coordinator with who
decided it and when, marked on the public plan page and shown alone with a filter."""

import re
from datetime import date

import pytest
from django.urls import reverse

from nollvision.plans.errors import PlanError
from nollvision.plans.models import Priority
from nollvision.plans.selectors import prioritised_periods
from nollvision.plans.services import plan_new_version, priority_save

from .test_public_face import SLUG

pytestmark = pytest.mark.django_db

DECIDED = {
    "title": "Prioriterade samverkansåtgärder",
    "first_year": 2022,
    "last_year": 2024,
    "decided_by": "Regional samverkansgrupp",
    "decided_on": date(2022, 3, 1),
}


def _prioritise(plan, codes=("1.1", "2.1")):
    return priority_save(plan=plan, data=DECIDED, measures=plan.measures.filter(code__in=codes))


def test_a_period_outside_the_plan_or_backwards_is_refused(default_plan):
    with pytest.raises(PlanError, match="2022–2026"):
        priority_save(
            plan=default_plan,
            data={**DECIDED, "last_year": 2030},
            measures=default_plan.measures.all()[:1],
        )
    with pytest.raises(PlanError, match="slutar innan"):
        priority_save(
            plan=default_plan,
            data={**DECIDED, "first_year": 2024, "last_year": 2023},
            measures=default_plan.measures.all()[:1],
        )
    with pytest.raises(PlanError, match="minst en"):
        priority_save(plan=default_plan, data=DECIDED, measures=[])
    assert not Priority.objects.exists()


def test_prioritised_measures_carry_over_to_a_later_version_by_key(default_plan):
    _prioritise(default_plan)
    later = plan_new_version(plan=default_plan)
    periods = prioritised_periods(later)
    keys = set(default_plan.measures.filter(code__in=("1.1", "2.1")).values_list("key", flat=True))
    assert set(periods) == keys
    assert all(value == ["2022–2024"] for value in periods.values())


def test_the_public_plan_page_marks_them_and_filters_on_them(client, default_plan):
    page = client.get("/").content.decode()
    assert "Bara prioriterade åtgärder" not in page  # nothing prioritised: no such filter
    _prioritise(default_plan)
    page = client.get(f"/planer/{SLUG}/v1/").content.decode()
    assert page.count("Prioriterad 2022–2024") == 2
    assert "Bara prioriterade åtgärder" in page
    only = client.get(f"/planer/{SLUG}/v1/?prioritised=on").content.decode()
    codes = re.findall(r'class="measure__code">([^<]+)<', only)
    assert codes == ["1.1", "2.1"]
    assert "Visar 2 åtgärder av 40." in only


def test_the_coordinator_records_and_corrects_a_prioritisation(client, world, other):
    url = reverse("backoffice:priorities", args=[SLUG])
    client.force_login(world.coordinator)
    assert f'href="{url}"' in client.get(reverse("backoffice:home")).content.decode()
    page = client.get(url).content.decode()
    assert "Inga åtgärder har prioriterats ännu." in page
    measures = list(world.plan.measures.filter(code__in=("1.1", "1.2", "3.4")))
    data = {
        **DECIDED,
        "decided_on": "2022-03-01",
        "measures": [m.pk for m in measures],
    }
    refused = client.post(url, {**data, "decided_by": "Beslut om 19121212-1212"})
    assert refused.status_code == 400  # the personal-number guard, shown in place
    assert not Priority.objects.exists()
    wrong = client.post(url, {**data, "measures": [other.plan.measures.first().pk]})
    assert wrong.status_code == 400  # another county's measure is not a choice
    assert client.post(url, data).status_code == 302
    priority = Priority.objects.get()
    assert sorted(m.code for m in priority.measures.all()) == ["1.1", "1.2", "3.4"]
    assert "1.1, 1.2, 3.4" in client.get(url).content.decode()
    # Correcting keeps one record.
    corrected = {**data, "priority": priority.pk, "measures": [measures[0].pk]}
    assert client.post(url, corrected).status_code == 302
    assert [m.code for m in Priority.objects.get().measures.all()] == ["1.1"]
    # Another county's coordinator can neither see nor change it: not found (backoffice/foreign.py).
    client.force_login(other.coordinator)
    assert client.get(url).status_code == 404
    assert client.post(url, corrected).status_code == 404
