"""The plan as a document (#18, part 5): the adopted plan as a tagged PDF and a Word file built
from the data (goals, measures with their tags, duties, the chain, the collaboration structure,
the signatories and their signings), downloaded from the public plan page; a draft marked as a
draft on every page, for the county's coordinator only.

Building a PDF takes a second or more, so each test builds as few documents as it checks."""

import io
import logging
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from pypdf import PdfReader

from nollvision.accounts.models import Membership, Organisation, Role
from nollvision.core import pdf as pdf_memo
from nollvision.plans import documents
from nollvision.plans.enums import MeasureChange
from nollvision.plans.models import Measure, RetiredMeasure, Signing
from nollvision.plans.services import plan_new_version, priority_save

from .helpers import pdf_text
from .test_tagged_pdfs import accessibility_problems

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

SLUG = "vasternorrland-2022-2026"
COUNTY = "Västernorrlands län"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CODES = ("1.1", "2.1", "2.3", "3.1", "4.9")
DUTY = "Bistå med skyddsåtgärder."  # the Police's
SIGNING = {"signed_by": "Ordförande", "role": "Kommunstyrelsens ordförande"}


def _sv(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def _flat(text: str) -> str:
    """Text as read from a file, with every run of white space (line breaks) one space."""
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(pdf: bytes) -> tuple[str, list[str]]:
    pages = pdf_text(pdf)
    return _flat(" ".join(pages)), pages


def _word_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return _flat(" ".join([p.text for p in document.paragraphs] + cells))


def _headings(document) -> dict[str, list[str]]:
    """The document's headings by style (Title, Heading 1 ...)."""
    found: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        if style == "Title" or style.startswith("Heading"):
            found.setdefault(style, []).append(paragraph.text)
    return found


@pytest.fixture
def decided(default_plan):
    """The adopted plan as decided: adopted on a date, two measures prioritised for 2022-2024,
    and Sundsvall's signing recorded (the other signatories have not signed yet)."""
    default_plan.adopted_on = date(2022, 5, 2)
    default_plan.save(update_fields=["adopted_on"])
    priority_save(
        plan=default_plan,
        data={
            "title": "Prioriterade samverkansåtgärder",
            "first_year": 2022,
            "last_year": 2024,
            "decided_by": "Regional samverkansgrupp",
            "decided_on": date(2022, 3, 1),
        },
        measures=default_plan.measures.filter(code__in=("1.1", "2.1")),
    )
    # Recorded here over what the plan's document states for Sundsvall.
    Signing.objects.update_or_create(
        plan=default_plan,
        organisation=Organisation.objects.get(slug="sundsvalls-kommun"),
        defaults={"signed_on": date(2022, 6, 15), **SIGNING},
    )
    return default_plan


def _contains_the_plan(text: str, plan) -> list[str]:
    """What of the plan's content `text` lacks: goals, measures (code and text), a duty, the
    collaboration structure, every signatory and Sundsvall's signing."""
    with translation.override("sv"):
        wanted = [str(goal.title) for goal in plan.goals.all()]
        wanted += [
            f"{m.code} {m.text}" for m in plan.measures.filter(code__in=CODES).order_by("code")
        ]
        wanted += [DUTY, "Upptäcka", "Regional samverkansgrupp"]
        wanted += [str(plan.collaboration_bodies.get(key="regional-samverkansgrupp").mandate)]
        wanted += [s.organisation.name for s in plan.signatures.select_related("organisation")]
        wanted += [*SIGNING.values(), "15 juni 2022", "2 maj 2022"]
        wanted += [
            # The others' signings are known from the plan's own document (the plan file says so).
            gettext("according to %(source)s") % {"source": "handlingsplanens dokument"},
            gettext("Prioritised %(period)s") % {"period": "2022–2024"},
        ]
    return [part for part in wanted if _flat(part) not in text]


def test_the_adopted_plan_is_a_tagged_pdf_on_the_public_site(client, decided, caplog):
    pdf_memo.forget()  # lay it out again, so WeasyPrint's log is read
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        response = client.get(reverse("public:plan-document", args=[SLUG, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-v1.pdf"'
    pdf = response.content
    text, _pages = _pdf_text(pdf)
    assert _contains_the_plan(text, decided) == []
    assert _sv("Not yet signed") not in text  # every signatory signed, by the plan's document
    assert "UTKAST" not in text
    assert _sv("DRAFT – not adopted") not in text
    assert (
        accessibility_problems(
            pdf, lang="sv", title_has=[COUNTY, "2022–2026", "version 1"], alts=[], tables=True
        )
        == []
    )
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("3", "A")  # for the archive


def test_the_word_file_has_the_same_content_under_real_headings(client, decided):
    response = client.get(reverse("public:plan-version-document", args=[SLUG, 1, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == WORD
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-v1.docx"'
    document = Document(io.BytesIO(response.content))
    assert _contains_the_plan(_word_text(document), decided) == []
    assert COUNTY in document.core_properties.title
    assert document.core_properties.language == "sv"
    headings = _headings(document)
    assert headings["Title"] == [str(decided.title)]
    goals = [f"Mål {goal.number}: {goal.title}" for goal in decided.goals.all()]
    assert [h for h in headings["Heading 1"] if h.startswith("Mål ")] == goals
    for heading in ("Ansvarsbeskrivningar", "Insatskedjan", "Samverkansstruktur"):
        assert heading in headings["Heading 1"]
    assert "Polismyndighetens ansvar" in headings["Heading 2"]
    # Duties listed under their group heading.
    assert "I arbetet med våldsutsatta vuxna och barn samt utövare av våld" in headings["Heading 3"]
    assert all(not section.header.paragraphs[0].text for section in document.sections)


@pytest.fixture
def draft(default_plan):
    """The next version as a draft: 1.1 reworded with a reason, 4.9 retired with a reason."""
    plan = plan_new_version(plan=default_plan)
    reworded = plan.measures.get(code="1.1")
    reworded.text = {"sv": "normkritiskt arbete på alla arbetsplatser."}
    reworded.change = MeasureChange.REWORDED
    reworded.change_reason = {"sv": "Förtydligad efter remissen."}
    reworded.save()
    reworded.derived_from.set([default_plan.measures.get(code="1.1")])
    plan.measures.filter(code="4.9").delete()
    RetiredMeasure.objects.create(
        plan=plan,
        measure=default_plan.measures.get(code="4.9"),
        reason={"sv": "Ingår nu i 4.8."},
    )
    return plan


def _person(username: str, organisation: str, role: str):
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=organisation), role=role
    )
    return user


def test_a_draft_is_watermarked_and_downloaded_by_the_coordinator_only(client, draft, staff_user):
    # The public never gets the draft: not by its address, not as the newest version, and not
    # the staff either on the public site.
    public_pdf = reverse("public:plan-version-document", args=[SLUG, 2, "pdf"])
    assert client.get(public_pdf).status_code == 404
    newest = client.get(reverse("public:plan-document", args=[SLUG, "docx"]))
    assert newest["Content-Disposition"] == f'attachment; filename="{SLUG}-v1.docx"'
    client.force_login(staff_user)
    assert client.get(public_pdf).status_code == 404
    client.logout()

    url = reverse("backoffice:plan-document", args=[SLUG, 2, "pdf"])
    assert client.get(url)["Location"].startswith("/konto/logga-in/")
    client.force_login(_person("reporter", "sundsvalls-kommun", Role.REPORTER))
    assert client.get(url).status_code == 404
    client.force_login(_person("coordinator", "lansstyrelsen-vasternorrland", Role.COORDINATOR))
    assert client.get(reverse("backoffice:plan-document", args=[SLUG, 2, "odt"])).status_code == 404

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="utkast-{SLUG}-v2.pdf"'
    assert "no-store" in response["Cache-Control"]
    text, pages = _pdf_text(response.content)
    assert len(pages) > 5
    assert [number for number, page in enumerate(pages) if "UTKAST" not in page] == []
    assert f"{COUNTY} Utkast: {_flat(str(draft.title))}" in text
    assert _sv("DRAFT – not adopted") in text
    # The change from version 1 and its reason; the retired measure and why.
    assert "1.1 normkritiskt arbete på alla arbetsplatser." in text
    assert "Förtydligad efter remissen." in text
    assert "Ingår nu i 4.8." in text
    assert (
        accessibility_problems(
            response.content, lang="sv", title_has=[COUNTY, "Utkast"], alts=[], tables=True
        )
        == []
    )

    response = client.get(reverse("backoffice:plan-document", args=[SLUG, 2, "docx"]))
    assert response["Content-Type"] == WORD
    document = Document(io.BytesIO(response.content))
    assert [s.header.paragraphs[0].text for s in document.sections] == [
        _sv("DRAFT – not adopted")
    ] * len(document.sections)
    assert _headings(document)["Title"] == [f"Utkast: {draft.title}"]
    assert "Ingår nu i 4.8." in _word_text(document)

    # The coordinator of another county is refused the draft.
    client.force_login(_person("other", _other_county_body().slug, Role.COORDINATOR))
    assert client.get(url).status_code == 404


def _other_county_body():
    from nollvision.accounts.models import OrganisationKind, Region

    region, _created = Region.objects.get_or_create(code="23", defaults={"name": "Jämtlands län"})
    return Organisation.objects.create(
        slug="lansstyrelsen-jamtland",
        name="Länsstyrelsen Jämtland",
        kind=OrganisationKind.objects.get(code="county-board"),
        region=region,
    )


def test_the_english_document_has_english_headings(client, default_plan):
    response = client.get(f"/en{reverse('public:plan-document', args=[SLUG, 'docx'])}")
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}-v1-en.docx"'
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.language == "en"
    headings = _headings(document)
    assert "Goal 1: Extended and effective work to prevent violence" in headings["Heading 1"]
    for heading in (
        "Introduction",
        "Responsibility descriptions",
        "The chain of interventions",
        "Collaboration structure",
        "Signatories",
    ):
        assert heading in headings["Heading 1"]
    assert "The Police's responsibility" in headings["Heading 2"]

    pdf = documents.plan_pdf(default_plan, "en")
    text, _pages = _pdf_text(pdf)
    assert "Goal 2: Better detection of violence" in text
    assert "Responsibility descriptions" in text
    assert "Mål 1" not in text
    assert accessibility_problems(pdf, lang="en", title_has=[COUNTY], alts=[], tables=True) == []


def test_the_plan_page_links_the_documents_and_unknown_ones_are_not_found(client, default_plan):
    page = client.get(reverse("public:plan-detail", args=[SLUG])).content.decode()
    assert f'href="/planer/{SLUG}/v1/dokument.pdf"' in page
    assert f'href="/planer/{SLUG}/v1/dokument.docx"' in page
    assert client.get(reverse("public:plan-document", args=[SLUG, "odt"])).status_code == 404
    assert client.get(reverse("public:plan-document", args=["okand", "pdf"])).status_code == 404
    missing = reverse("public:plan-version-document", args=[SLUG, 9, "pdf"])
    assert client.get(missing).status_code == 404


def test_the_document_is_read_in_a_fixed_number_of_queries(default_plan, draft):
    """However many measures, duties and signatories: the same queries for both versions (the
    draft has a previous version, changes and a retired measure)."""
    counts = []
    for plan in (default_plan, draft):
        with CaptureQueriesContext(connection) as queries:
            html = documents.plan_html(plan)
        counts.append(len(queries))
        assert Measure.objects.filter(plan=plan).first().text["sv"] in html
    assert counts[0] == counts[1] <= 16
