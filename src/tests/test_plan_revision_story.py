"""Issue #18 done as its users would do it: the county board drafts the 2025-2026 revision of
the Västernorrland plan, sends it to all fifteen signatories, handles their answers, adopts it,
the bodies record their signing, the prioritised measures carry over, and the public site, the
next follow-up and the plan document all show the new version."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from nollvision.accounts.models import Membership, Role
from nollvision.followup.services import campaign_create
from nollvision.plans import editor
from nollvision.plans.consultation import answer_save, answer_submit, consultation_send, handle
from nollvision.plans.editor import MeasureFields, Text
from nollvision.plans.enums import PlanStatus
from nollvision.plans.models import Signing
from nollvision.plans.selectors import prioritised_periods
from nollvision.plans.services import priority_save, signing_record

pytestmark = pytest.mark.django_db


def test_the_2025_2026_revision_from_draft_to_the_public_site(client, world, django_user_model):
    plan = world.plan
    coordinator = world.coordinator
    priority_save(
        plan=plan,
        data={
            "title": "Prioriterade samverkansåtgärder",
            "first_year": 2022,
            "last_year": 2024,
            "decided_by": "Regional samverkansgrupp",
            "decided_on": date(2022, 3, 1),
        },
        measures=plan.measures.filter(code__in=("1.1", "2.1")),
    )

    # The draft: the period 2025-2026, one measure reworded, one new, one retired.
    draft = editor.draft_start(plan=plan, user=coordinator)
    editor.plan_details_edit(
        plan=draft,
        user=coordinator,
        title=Text("Regional handlingsplan 2025–2026"),
        first_year=2025,
        last_year=2026,
        introduction=Text("Uppdaterade åtgärder för 2025–2026."),
    )
    kept = draft.measures.get(code="1.1")
    editor.measure_edit(
        plan=draft,
        user=coordinator,
        key=kept.key,
        fields=MeasureFields(
            code="1.1", goal=1, text=Text("Normkritiskt arbete på alla arbetsplatser.")
        ),
    )
    editor.measure_edit(
        plan=draft,
        user=coordinator,
        key=None,
        fields=MeasureFields(
            code="4.10", goal=4, text=Text("Gemensam kompetensplan."), change_reason=Text("Ny.")
        ),
    )
    editor.measure_retire(
        plan=draft, user=coordinator, key=draft.measures.get(code="3.1").key, reason=Text("Klar.")
    )

    # The consultation goes to all fifteen signatories; each answers and is handled.
    consultation = consultation_send(
        plan=draft, deadline=timezone.localdate() + timedelta(days=30), user=coordinator
    )
    answers = list(consultation.answers.select_related("organisation"))
    assert len(answers) == plan.signatures.count() == 15
    new = draft.measures.get(code="4.10")
    for number, answer in enumerate(answers):
        approver = django_user_model.objects.create_user(username=f"approver_{number}")
        Membership.objects.create(
            user=approver, organisation=answer.organisation, role=Role.APPROVER
        )
        verdict = "agree" if number % 3 else "changes"
        answer_save(
            answer=answer,
            verdict=verdict,
            comment="",
            measure_answers={new: (verdict, "Förtydliga ansvaret." if number % 3 == 0 else "")},
            user=approver,
        )
        answer_submit(answer=answer, user=approver)
        handle(
            item=answer, handling="accepted" if number % 3 else "partly", reason="Se nytt förslag."
        )
    client.force_login(coordinator)
    summary = client.get(reverse("backoffice:consultation-summary", args=[consultation.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(summary.content)).paragraphs)
    assert "Se nytt förslag." in text

    # Adoption, and each body's signing.
    editor.plan_adopt(plan=draft, user=coordinator, adopted_on=date(2025, 2, 20))
    draft.refresh_from_db()
    plan.refresh_from_db()
    assert (draft.status, plan.status) == (PlanStatus.ADOPTED, PlanStatus.ARCHIVED)
    for answer in answers:
        signing_record(
            plan=draft,
            organisation=answer.organisation,
            data={"signed_by": "Ordförande", "role": "ordförande", "signed_on": date(2025, 3, 1)},
            user=coordinator,
        )
    assert Signing.objects.filter(plan=draft).count() == 15

    # The prioritised measures carry over by key; the public site shows the new version.
    assert set(prioritised_periods(draft)) == {kept.key, draft.measures.get(code="2.1").key}
    client.logout()
    page = client.get(reverse("public:plan-detail", args=[plan.slug])).content.decode()
    assert "Normkritiskt arbete på alla arbetsplatser." in page
    assert "Gemensam kompetensplan." in page
    assert "Prioriterad 2022–2024" in page
    assert "2025-03-01" in page  # the signings
    document = client.get(reverse("public:plan-document", args=[plan.slug, "docx"]))
    words = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "Gemensam kompetensplan." in words
    assert "2025–2026" in words

    # The next follow-up is of the new version.
    campaign = campaign_create(plan=draft, year=2025, deadline=date(2026, 2, 15))
    assert campaign.plan.version == 2
    assert campaign.plan.measures.filter(code="4.10").exists()
