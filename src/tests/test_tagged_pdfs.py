"""Every PDF the platform publishes is a tagged PDF a screen reader can follow (issue #17): a
structure tree in reading order, the document's language and a title that names the county and
the year, real headings, tables with header cells, and alternative text on every figure. Word
files carry the same title and language.

`PDFS` and `WORD_FILES` list every producer once; a new document is a new line there."""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from nollvision.core import pdf as pdf_memo
from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.reports.documents import render, report_content
from nollvision.reports.models import Report
from nollvision.reports.services import report_publish, report_save

from .conftest import answer_everything

pytestmark = pytest.mark.slow


# --- Reading a PDF's structure tree ------------------------------------------------------------


@dataclass
class Node:
    """A structure element: its standard role, its alternative text, the page it starts on."""

    role: str
    alt: str | None
    page: int | None
    kids: list["Node"] = field(default_factory=list)

    def walk(self):
        """This element and all below it, depth first: the order a screen reader reads."""
        yield self
        for kid in self.kids:
            yield from kid.walk()


def _structure(reader: PdfReader) -> Node | None:
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return None
    tree = root["/StructTreeRoot"].get_object()
    role_map = tree.get("/RoleMap", {})
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}

    def node(element: DictionaryObject) -> Node:
        role = str(element["/S"])
        page = element.get("/Pg")
        return Node(
            role=str(role_map.get(role, role)).lstrip("/"),
            alt=str(element["/Alt"]) if "/Alt" in element else None,
            page=pages.get(page.idnum) if page is not None else None,
            kids=[node(kid) for kid in _kids(element)],
        )

    return Node(role="StructTreeRoot", alt=None, page=None, kids=[node(k) for k in _kids(tree)])


def _kids(element: DictionaryObject) -> list[DictionaryObject]:
    """The structure elements below `element`: /K is one kid or an array of them, each an
    element, a marked-content id or a reference to content or an annotation."""
    kids = element.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]
    resolved = (kid.get_object() for kid in kids)
    return [kid for kid in resolved if isinstance(kid, DictionaryObject) and "/S" in kid]


def _titles(reader: PdfReader) -> list[str]:
    """The title in the document information and in the XMP metadata, where there is one."""
    titles = [reader.metadata.title] if reader.metadata and reader.metadata.title else []
    xmp = reader.xmp_metadata
    return titles + list((xmp.dc_title or {}).values() if xmp else [])


def _true(value) -> bool:
    """A PDF boolean is true (pypdf's false is a true value in Python)."""
    return isinstance(value, BooleanObject) and value.value


def _heading_level(role: str) -> int | None:
    if role == "H":
        return 1
    if len(role) == 2 and role[0] == "H" and role[1].isdigit():
        return int(role[1])
    return None


def accessibility_problems(
    pdf: bytes, *, lang: str, title_has: list[str], alts: list[str], tables: bool
) -> list[str]:
    """What keeps `pdf` from being a tagged PDF a screen reader can follow; nothing when all is
    well. `title_has`: what the title must name; `alts`: the alternative text of every figure,
    in reading order; `tables`: whether the document has tables."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    problems = []
    if not _true(catalog.get("/MarkInfo", {}).get("/Marked")):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if catalog.get("/Lang") != lang:
        problems.append(f"language is {catalog.get('/Lang')!r}, not {lang!r}")
    if not _true(catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle")):
        problems.append("readers show the file name, not the title (/DisplayDocTitle)")
    titles = _titles(reader)
    if not titles:
        problems.append("no title")
    problems += [
        f"title {title!r} does not name {part!r}"
        for title in titles
        for part in title_has
        if part not in title
    ]
    tree = _structure(reader)
    if tree is None:
        return [*problems, "no structure tree (/StructTreeRoot)"]
    nodes = list(tree.walk())

    levels = [level for n in nodes if (level := _heading_level(n.role))]
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not a level 1 heading: {levels[:3]}")
    problems += [
        f"heading level {level} follows level {before}"
        for before, level in pairwise(levels)
        if level > before + 1
    ]

    found = [n for n in nodes if n.role == "Table"]
    if tables and not found:
        problems.append("no tables")
    problems += [
        f"a table without header cells (on page {table.page})"
        for table in found
        if not any(cell.role == "TH" for cell in table.walk())
    ]

    figures = [n.alt for n in nodes if n.role == "Figure"]
    if any(not alt or not alt.strip() for alt in figures):
        problems.append(f"a figure without alternative text: {figures}")
    elif figures != alts:
        problems.append(f"figures read {figures}, expected {alts}")

    pages = [n.page for n in nodes if n.page is not None]
    if pages != sorted(pages):
        problems.append("the reading order goes back to an earlier page")
    return problems


# --- The documents -------------------------------------------------------------------------------


@pytest.fixture
def site(g, client):
    """The default county's follow-up with Sundsvall's answer accepted and the report written,
    and the regional group's meeting (from `g`); the client is the group's secretary."""
    world = g.world
    answer_everything(world.response_a, world.reporter_a)
    for user, action in (
        (world.reporter_a, Action.SUBMIT),
        (world.approver_a, Action.APPROVE),
        (world.coordinator, Action.ACCEPT),
    ):
        response_transition(response=world.response_a, user=user, action=action)
    report_save(
        report=Report.objects.create(campaign=world.campaign),
        user=world.coordinator,
        summary="Arbetet har **utvecklats** under året.",
        analyses={"1": "Förebyggande arbete pågår i hela länet."},
        conclusions="Prioritera kompetens.",
    )
    client.force_login(g.secretary)
    return SimpleNamespace(
        campaign=world.campaign,
        coordinator=world.coordinator,
        county=world.plan.region.name,
        meeting=g.meeting,
        group=g.group,
        client=client,
        plan=world.plan,
    )


def _published(field_name: str) -> Callable[[SimpleNamespace], bytes]:
    """A file of the report as published (the PDFs for the archive)."""

    def make(site) -> bytes:
        publication = report_publish(campaign=site.campaign, user=site.coordinator)
        with getattr(publication, field_name).open("rb") as file:
            return file.read()

    return make


def _draft(fmt: str) -> Callable[[SimpleNamespace], bytes]:
    """A file of the report as the coordinator downloads it before publishing."""
    return lambda site: render(report_content(site.campaign), fmt)


def _minutes(fmt: str) -> Callable[[SimpleNamespace], bytes]:
    def make(site) -> bytes:
        response = site.client.get(reverse("backoffice:minutes", args=[site.meeting.pk, fmt]))
        assert response.status_code == 200
        return response.content

    return make


def _plan_document(fmt: str, *, draft: bool = False) -> Callable[[SimpleNamespace], bytes]:
    """The plan as the document a county decides on: the adopted version, or a draft."""

    def make(site) -> bytes:
        from nollvision.plans.documents import plan_docx, plan_pdf
        from nollvision.plans.editor import draft_start

        plan = draft_start(plan=site.plan, user=None) if draft else site.plan
        return (plan_pdf if fmt == "pdf" else plan_docx)(plan)

    return make


def _consultation_summary(fmt: str) -> Callable[[SimpleNamespace], bytes]:
    def make(site) -> bytes:
        from datetime import timedelta

        from nollvision.plans.consultation import consultation_send
        from nollvision.plans.consultation_documents import summary_docx, summary_pdf
        from nollvision.plans.editor import draft_start

        consultation = consultation_send(
            plan=draft_start(plan=site.plan, user=None),
            deadline=timezone.localdate() + timedelta(days=30),
            user=None,
        )
        return (summary_pdf if fmt == "pdf" else summary_docx)(consultation)

    return make


def _plan_title(site) -> list[str]:
    return [str(site.plan.title)]


def _report_title(site) -> list[str]:
    return [site.county, str(site.campaign.year)]


def _minutes_title(site) -> list[str]:
    day = f"{timezone.localtime(site.meeting.starts_at):%Y-%m-%d}"
    return [site.meeting.title, "Regional samverkansgrupp", day, site.county]


def _chart_titles(site) -> list[str]:
    """The report's charts in the order it shows them; each is a figure whose alternative text
    is the chart's title (its numbers are in the table beside it)."""
    f = report_content(site.campaign).figures
    charts = (f.goal_chart, f.kind_chart, f.trend_chart, f.competence_chart)
    return [chart.title for chart in (*charts, f.trend_competence_chart)]


@dataclass(frozen=True)
class Published:
    """A document and what it must be: `title_has` what its title names, `alts` its figures'
    alternative texts in reading order, `tables` whether it has tables, `pdfa` the PDF/A part
    and conformance it declares (A: tagged)."""

    make: Callable[[SimpleNamespace], bytes]
    title_has: Callable[[SimpleNamespace], list[str]]
    alts: Callable[[SimpleNamespace], list[str]] = lambda site: []
    tables: bool = True
    pdfa: tuple[str, str] | None = None


ARCHIVE = ("3", "A")


PDFS = {
    "report": Published(_published("pdf"), _report_title, _chart_titles, pdfa=ARCHIVE),
    "report draft": Published(_draft("pdf"), _report_title, _chart_titles),
    # The annex is headings and answers, body by body: it has no tables.
    "annex": Published(_published("annex_pdf"), _report_title, tables=False, pdfa=ARCHIVE),
    "annex draft": Published(_draft("bilaga.pdf"), _report_title, tables=False),
    "minutes": Published(_minutes("pdf"), _minutes_title),
    "plan": Published(_plan_document("pdf"), _plan_title, pdfa=ARCHIVE),
    "plan draft": Published(_plan_document("pdf", draft=True), _plan_title),
    "consultation summary": Published(_consultation_summary("pdf"), _plan_title),
}

WORD_FILES = {
    "report": Published(_published("docx"), _report_title),
    "report draft": Published(_draft("docx"), _report_title),
    "minutes": Published(_minutes("docx"), _minutes_title),
    "plan": Published(_plan_document("docx"), _plan_title),
    "plan draft": Published(_plan_document("docx", draft=True), _plan_title),
    "consultation summary": Published(_consultation_summary("docx"), _plan_title),
}


@pytest.mark.parametrize("name", PDFS)
@pytest.mark.integration
@pytest.mark.django_db
def test_every_published_pdf_is_tagged_for_screen_readers(site, name, caplog):
    document = PDFS[name]
    pdf_memo.forget()  # lay it out again, so WeasyPrint's log is read
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = document.make(site)
    assert (
        accessibility_problems(
            pdf,
            lang="sv",
            title_has=document.title_has(site),
            alts=document.alts(site),
            tables=document.tables,
        )
        == []
    )
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    xmp = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert ((xmp.pdfaid_part, xmp.pdfaid_conformance) if xmp else None) == document.pdfa


@pytest.mark.parametrize("name", WORD_FILES)
@pytest.mark.integration
@pytest.mark.django_db
def test_every_word_file_has_a_title_naming_the_county_and_a_language(site, name):
    document = Document(io.BytesIO(WORD_FILES[name].make(site)))
    title = document.core_properties.title
    assert [part for part in WORD_FILES[name].title_has(site) if part not in title] == []
    assert document.core_properties.language == "sv"
    languages = {e.get(qn("w:val")) for e in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"sv"}


# --- The check itself finds what is missing ------------------------------------------------------


@pytest.mark.unit
def test_the_check_finds_an_untagged_pdf_and_each_missing_part():
    from weasyprint import HTML

    html = (
        "<html><head><title>Uppföljning</title></head><body><h2>Utan rubrik 1</h2>"
        "<h4>Hoppar en nivå</h4><table><tr><td>1</td></tr></table>"
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 '
        'width=%2210%22 height=%2210%22/%3E"></body></html>'
    )
    expected = {"title_has": ["Västernorrlands län", "2025"], "alts": [], "tables": True}
    untagged = HTML(string=html).write_pdf()
    assert accessibility_problems(untagged, lang="sv", **expected) == [
        "not marked as tagged (/MarkInfo /Marked)",
        "language is None, not 'sv'",
        "readers show the file name, not the title (/DisplayDocTitle)",
        "title 'Uppföljning' does not name 'Västernorrlands län'",
        "title 'Uppföljning' does not name '2025'",
        "no structure tree (/StructTreeRoot)",
    ]
    tagged = HTML(string=html.replace("<html>", '<html lang="en">')).write_pdf(pdf_tags=True)
    assert accessibility_problems(tagged, lang="sv", **expected) == [
        "language is 'en', not 'sv'",
        "title 'Uppföljning' does not name 'Västernorrlands län'",
        "title 'Uppföljning' does not name '2025'",
        "the first heading is not a level 1 heading: [2, 4]",
        "heading level 4 follows level 2",
        "a table without header cells (on page 0)",
        "a figure without alternative text: [None]",
    ]
