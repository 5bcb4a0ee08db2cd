"""Rules around a draft of the next plan version (#18) that other parts of the platform must
keep: a draft changes nothing people work with until it is adopted, adoption ends its
consultation, a follow-up never opens on a replaced version, answers survive the editor, and
the public plan document is built once per change."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nollvision.followup.errors import FollowupError
from nollvision.followup.services import campaign_create, campaign_open
from nollvision.meetings.models import Group
from nollvision.meetings.selectors import attach_bodies, measure_for_work
from nollvision.plans import editor
from nollvision.plans.consultation import answer_save, consultation_send
from nollvision.plans.editor import Text
from nollvision.plans.errors import PlanError
from nollvision.plans.models import ConsultationMeasureAnswer
from nollvision.plans.selectors import current_version

pytestmark = pytest.mark.django_db
REASON = Text("Samma arbete.")


@pytest.fixture
def draft(world):
    return editor.draft_start(plan=world.plan, user=None)


def test_a_draft_renames_no_group_and_rewords_no_measure_until_it_is_adopted(world, draft):
    group = Group.objects.get(plan_slug=world.plan.slug, key="regional-samverkansgrupp")
    name = str(attach_bodies([group])[0])
    editor.body_edit(
        plan=draft,
        user=None,
        key="regional-samverkansgrupp",
        name=Text("Nytt namn på gruppen"),
        level="strategic",
        mandate=Text("Uppdraget."),
    )
    measure = draft.measures.get(code="2.1")
    fields = editor.MeasureFields(code="2.1", goal=2, text=Text("Ny lydelse i utkastet."))
    editor.measure_edit(plan=draft, user=None, key=measure.key, fields=fields)
    assert current_version(world.plan.slug) == world.plan
    assert str(attach_bodies([group])[0]) == name
    work = measure_for_work(world.coordinator, world.plan.slug, measure.key)
    assert work.plan == world.plan
    assert "Ny lydelse" not in str(work.text)
    # The public minutes and collaboration pages show the adopted name.
    page = reverse("public:collaboration", args=[world.plan.slug, world.plan.version])
    assert "Nytt namn på gruppen" not in world_client_get(page)

    editor.plan_adopt(plan=draft, user=None, adopted_on=date(2025, 3, 1))
    assert str(attach_bodies([group])[0]) == "Nytt namn på gruppen"
    assert "Ny lydelse" in str(
        measure_for_work(world.coordinator, world.plan.slug, measure.key).text
    )


def world_client_get(path: str) -> str:
    from django.test import Client

    return Client().get(path).content.decode()


def test_the_priorities_page_works_on_the_adopted_version_while_a_draft_exists(
    client, world, draft
):
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:priorities", args=[world.plan.slug])).content.decode()
    assert f'value="{world.plan.measures.get(code="1.1").pk}"' in page
    assert f'value="{draft.measures.get(code="1.1").pk}"' not in page


def test_adoption_closes_the_consultation_and_reminders_stop(world, draft):
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=20), user=None
    )
    assert consultation.is_open
    editor.plan_adopt(plan=draft, user=None, adopted_on=date(2025, 3, 1))
    consultation.refresh_from_db()
    assert not consultation.is_open
    answer = consultation.answers.first()
    with pytest.raises(PlanError):
        answer_save(answer=answer, verdict="agree", comment="", measure_answers={}, user=None)


def test_an_answer_survives_its_measure_being_merged_away_and_its_code_coming_back(world, draft):
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=20), user=None
    )
    answer = consultation.answers.get(organisation__slug="sundsvalls-kommun")
    first, second = draft.measures.get(code="2.1"), draft.measures.get(code="2.2")
    answer_save(
        answer=answer,
        verdict="changes",
        comment="",
        measure_answers={first: ("changes", "Slå ihop med 2.2.")},
        user=None,
    )
    old_text = str(first.text)
    editor.measure_merge(
        plan=draft,
        user=None,
        keys=[first.key, second.key, first.key],  # a key sent twice counts once
        code="2.1",
        text=Text("Sammanslagen."),
        reason=REASON,
    )
    merged = draft.measures.get(code="2.1")
    answer_save(
        answer=answer,
        verdict="agree",
        comment="",
        measure_answers={merged: ("agree", "Bra.")},
        user=None,
    )
    rows = {
        (row.measure_id is None, row.measure_code, row.measure_text)
        for row in ConsultationMeasureAnswer.objects.filter(answer=answer)
    }
    assert rows == {(True, "2.1", old_text), (False, "2.1", "Sammanslagen.")}


def test_a_follow_up_prepared_before_an_adoption_does_not_open_on_the_replaced_version(
    world, draft
):
    prepared = campaign_create(plan=world.plan, year=2026, deadline=date(2027, 2, 15))
    editor.plan_adopt(plan=draft, user=None, adopted_on=date(2025, 3, 1))
    with pytest.raises(FollowupError):
        campaign_open(campaign=prepared)


def test_duty_headings_keep_their_english_and_a_row_without_swedish_is_refused(
    client, world, draft
):
    description = draft.responsibilities.first()
    kind = description.organisation_kind.code
    url = reverse("backoffice:plan-responsibility", args=[world.plan.slug, kind])
    client.force_login(world.coordinator)
    form = {
        "title_sv": str(description.title),
        "duty-TOTAL_FORMS": "2",
        "duty-INITIAL_FORMS": "0",
        "duty-0-group_sv": "Grupp",
        "duty-0-group_en": "Group",
        "duty-0-text_sv": "Skyldighet",
        "duty-1-group_en": "Only English",
    }
    response = client.post(url, form)
    assert response.status_code == 400  # the second row has no Swedish text
    del form["duty-1-group_en"]
    response = client.post(url, form)
    assert response.status_code == 302
    duty = description.duties.get()
    assert dict(duty.group) == {"sv": "Grupp", "en": "Group"}


def test_the_public_plan_document_is_built_once_per_change(client, world, monkeypatch):
    from nollvision.plans import documents

    built = []
    render = documents.render

    def counting(*args, **kwargs):
        built.append(args[1])
        return render(*args, **kwargs)

    monkeypatch.setattr(documents, "render", counting)
    url = reverse("public:plan-document", args=[world.plan.slug, "docx"])
    first = client.get(url)
    again = client.get(url)
    assert first.content == again.content
    assert built == ["docx"]
    world.plan.save()  # any change of public data builds it again
    client.get(url)
    assert built == ["docx", "docx"]
