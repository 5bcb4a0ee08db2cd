"""The plan editor's pages (#18): the coordinator drafts, edits, splits, merges, retires and
adopts through the forms; refusals come back as messages with nothing changed; signatories'
approvers record their own body's signing and nobody else's."""

import pytest
from django.urls import reverse

from nollvision.accounts.models import Organisation
from nollvision.plans.enums import PlanStatus
from nollvision.plans.models import Plan, Signing

pytestmark = pytest.mark.django_db


def _url(name, plan, *args):
    return reverse(f"backoffice:{name}", args=[plan.slug, *args])


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


def _start(client, plan) -> Plan:
    response = client.post(_url("plan-editor", plan), {"start": "1"})
    assert response.status_code == 302
    return Plan.objects.get(slug=plan.slug, status=PlanStatus.DRAFT)


def test_the_coordinator_drafts_through_the_pages(coordinator, world):
    page = coordinator.get(_url("plan-editor", world.plan)).content.decode()
    assert "Starta version 2" in page or "Start version 2" in page
    draft = _start(coordinator, world.plan)
    page = coordinator.get(_url("plan-editor", draft)).content.decode()
    assert 'name="merge"' in page
    assert 'name="move"' in page
    measure = draft.measures.get(code="1.1")

    form = {
        "code": "1.1",
        "goal": "1",
        "text_sv": "En ny lydelse av åtgärden.",
        "text_en": "",
        "change_reason_sv": "Tydligare.",
    }
    response = coordinator.post(_url("plan-measure", draft, measure.key), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.change == "reworded"
    assert str(measure.change_reason) == "Tydligare."

    # A personal number is refused where it was typed, nothing changed.
    response = coordinator.post(
        _url("plan-measure", draft, measure.key), {**form, "text_sv": "Se 19121212-1212"}
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    measure.refresh_from_db()
    assert str(measure.text) == "En ny lydelse av åtgärden."

    split = draft.measures.get(code="1.2")
    response = coordinator.post(
        _url("plan-split", draft, split.key),
        {
            "code_1": "1.2a",
            "text_1_sv": "Del ett.",
            "code_2": "1.2b",
            "text_2_sv": "Del två.",
            "reason_sv": "För stor.",
        },
    )
    assert response.status_code == 302
    assert set(draft.measures.filter(change="split").values_list("code", flat=True)) == {
        "1.2a",
        "1.2b",
    }

    keys = list(draft.measures.filter(code__in=["2.1", "2.2"]).values_list("key", flat=True))
    response = coordinator.post(_url("plan-editor", draft), {"merge": "1", "measure": keys})
    assert response.status_code == 302
    assert "sla-ihop" in response["Location"]
    merge_page = coordinator.get(response["Location"])
    assert merge_page.status_code == 200
    assert "2.1" in merge_page.content.decode()
    response = coordinator.post(
        response["Location"],
        {"measure": keys, "code": "2.1", "text_sv": "Sammanslagen.", "reason_sv": "Överlapp."},
    )
    assert response.status_code == 302
    assert draft.measures.get(code="2.1").change == "merged"

    retire = draft.measures.get(code="3.1")
    response = coordinator.post(_url("plan-retire", draft, retire.key), {"reason_sv": ""})
    assert response.status_code == 400
    response = coordinator.post(_url("plan-retire", draft, retire.key), {"reason_sv": "Klar."})
    assert response.status_code == 302
    assert draft.retired_measures.filter(measure__code="3.1").exists()

    page = coordinator.get(_url("plan-preview", draft)).content.decode()
    assert "Sammanslagen." in page
    assert "Del två." in page
    assert "Klar." in page

    response = coordinator.post(_url("plan-adopt", draft), {"adopted_on": "2025-03-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    # An adopted version is not edited: the steps are gone with its draft.
    assert coordinator.get(_url("plan-measure", draft, measure.key)).status_code == 404
    assert coordinator.get(_url("plan-editor", draft)).status_code == 200


def test_merge_needs_two_measures_and_a_refused_move_says_why(coordinator, world):
    draft = _start(coordinator, world.plan)
    first = draft.measures.order_by("goal__number", "position").first()
    response = coordinator.post(
        _url("plan-editor", draft), {"merge": "1", "measure": [first.key]}, follow=True
    )
    assert "minst två" in response.content.decode() or "at least two" in response.content.decode()
    response = coordinator.post(
        _url("plan-editor", draft), {"move": f"{first.key}|up"}, follow=True
    )
    assert response.status_code == 200
    assert 'class="message' in response.content.decode()


def test_signings_by_each_body_and_the_public_plan_page(client, world, django_user_model):
    plan = world.plan
    client.force_login(world.approver_a)
    page = client.get(_url("plan-signings", plan))
    assert page.status_code == 200
    sundsvall = world.response_a.organisation
    timra = Organisation.objects.get(slug="timra-kommun")
    data = {
        "signed_by": "Ordförande",
        "role": "Kommunstyrelsens ordförande",
        "signed_on": "2022-03-08",
    }
    # Another body's signing is not the approver's to record.
    response = client.post(_url("plan-signings", plan), {**data, "organisation": timra.pk})
    assert response.status_code == 400
    recorded_here = Signing.objects.exclude(signed_by="")  # beside those the plan's file states
    assert not recorded_here.exists()
    response = client.post(_url("plan-signings", plan), {**data, "organisation": sundsvall.pk})
    assert response.status_code == 302
    assert recorded_here.get().organisation == sundsvall
    # A reporter records nothing.
    client.force_login(world.reporter_b)
    assert client.get(_url("plan-signings", plan)).status_code == 403
    # The coordinator records any body's.
    client.force_login(world.coordinator)
    response = client.post(_url("plan-signings", plan), {**data, "organisation": timra.pk})
    assert response.status_code == 302
    assert recorded_here.count() == 2
    # The public plan page shows the signatories and their dates.
    client.logout()
    page = client.get(reverse("public:plan-detail", args=[plan.slug])).content.decode()
    assert "Kommunstyrelsens ordförande" in page
    assert "2022-03-08" in page


def test_a_stale_save_from_another_tab_is_refused_and_keeps_what_was_typed(coordinator, world):
    """Two tabs open the same step; the first saves. The second's save would undo the first's
    silently: it is refused with a conflict (nothing changed, its text kept in the form), and
    saving again on purpose goes through."""
    import re

    draft = _start(coordinator, world.plan)
    measure = draft.measures.get(code="1.1")
    url = _url("plan-measure", draft, measure.key)
    seen = re.search(r'name="seen" value="(\d+)"', coordinator.get(url).content.decode())[1]
    form = {"code": "1.1", "goal": "1", "text_en": "", "change_reason_sv": "Tydligare."}
    first = coordinator.post(url, {**form, "seen": seen, "text_sv": "Lydelse från flik ett."})
    assert first.status_code == 302
    second = coordinator.post(url, {**form, "seen": seen, "text_sv": "Lydelse från flik två."})
    assert second.status_code == 409
    page = second.content.decode()
    assert "ändrats av någon annan" in page
    assert "Lydelse från flik två." in page  # what was typed is still there
    measure.refresh_from_db()
    assert str(measure.text) == "Lydelse från flik ett."
    newer = re.search(r'name="seen" value="(\d+)"', page)[1]
    assert newer != seen
    again = coordinator.post(url, {**form, "seen": newer, "text_sv": "Lydelse från flik två."})
    assert again.status_code == 302
    measure.refresh_from_db()
    assert str(measure.text) == "Lydelse från flik två."


def test_the_editor_page_counts_measures_in_swedish_plural_and_says_the_period_once(client, world):
    from nollvision.plans import editor

    editor.draft_start(plan=world.plan, user=world.coordinator)
    client.force_login(world.coordinator)
    page = client.get(f"/arbete/planer/{world.plan.slug}/plan/").content.decode()
    assert "40 oförändrade" in page
    assert "2022–2026, 2022–2026" not in page
    assert "Mitt arbete" in page.split("<h1>", 1)[0]
