"""The report in four formats: printable HTML, PDF (WeasyPrint), Word (python-docx), Excel."""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from nollvision.accounts.models import OrganisationKind
from nollvision.core.charts import percent
from nollvision.core.pdf import html_to_pdf, svg_to_png
from nollvision.core.spreadsheets import append_row
from nollvision.core.wordfiles import new_document
from nollvision.followup.enums import Course, MeasureStatus, Routine, RoutineState
from nollvision.plans.selectors import prioritised_periods

from . import markup
from .assemble import Assembled, assemble, status_label
from .figures import EVERYTHING, NOT_CONCERNED, Filter
from .models import Report


@dataclass(frozen=True)
class Format:
    content_type: str
    field: str  # the PublishedReport file field that keeps it
    label: str

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    def field_of(self, *, public: bool) -> str:
        """The file field of the full edition, or of the public one."""
        return f"public_{self.field}" if public else self.field


_HTML, _PDF = "text/html; charset=utf-8", "application/pdf"
FORMATS = {
    "html": Format(_HTML, "html", "HTML"),
    "pdf": Format(_PDF, "pdf", "PDF"),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
    ),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
    ),
    # The annex: every body's answers, body by body, as its own document. Kept apart so the
    # report stays a readable 20-30 pages (and builds in seconds) however many bodies answer;
    # the Excel file has the same answers in long form.
    "bilaga.html": Format(_HTML, "annex_html", gettext_lazy("Annex (HTML)")),
    "bilaga.pdf": Format(_PDF, "annex_pdf", gettext_lazy("Annex (PDF)")),
}


def published_files(publication, *, public: bool = False) -> list[tuple[str, Format]]:
    """(format, its description) of the files a publication has (older ones have no annex), of
    the full edition or of the public one."""
    return [
        (fmt, kind)
        for fmt, kind in FORMATS.items()
        if getattr(publication, kind.field_of(public=public))
    ]


@dataclass
class ReportContent:
    campaign: object
    report: Report
    figures: Assembled
    draft: bool
    made_on: date
    # The public edition: only what the public projection lets out (reports/published.py).
    public: bool = False

    @property
    def title(self) -> str:
        return _("Follow-up of the regional action plan %(year)d") % {"year": self.campaign.year}

    @property
    def annex_title(self) -> str:
        return _("Annex: the answers of each body")

    @property
    def document_title(self) -> str:
        """The title a file carries (the PDF's and Word's title, read first by screen readers):
        the report's, naming the year, and the county's name."""
        return f"{self.title} – {self.campaign.plan.region.name}"

    @property
    def annex_document_title(self) -> str:
        return f"{self.annex_title} – {self.document_title}"

    @property
    def indicator_rows(self) -> dict[int, list[tuple[str, str, str, str]]]:
        """Per goal: (indicator, county value, year, source) for the report's indicator section."""
        from nollvision.indicators.selectors import indicators_by_goal

        rows: dict[int, list[tuple[str, str, str, str]]] = {}
        county = self.campaign.plan.region.code
        for goal, items in indicators_by_goal(list(self.figures.data.goals), county).items():
            for item in items:
                indicator = item["indicator"]
                county = next(
                    (value for area, value in item["values"] if area.level == "county"), None
                )
                if indicator.development:
                    shown, year = _("development indicator: no data source yet"), ""
                elif county is None or county.value is None:
                    shown, year = _("not imported yet"), ""
                else:
                    shown, year = (
                        f"{number_format(county.value, 1)} {indicator.unit}".strip(),
                        str(county.period),
                    )
                rows.setdefault(goal, []).append(
                    (str(indicator.title), shown, year, indicator.attribution or indicator.source)
                )
        return rows

    @cached_property
    def prioritised(self) -> dict[str, list[str]]:
        """The periods each prioritised measure (by its stable key) is prioritised for, to mark
        them where the report lists measures."""
        return prioritised_periods(self.campaign.plan)

    @cached_property
    def goals(self):
        indicators = self.indicator_rows
        return [
            (
                number,
                title,
                markup.to_html(self.report.analysis(number)),
                self.report.analysis(number),
                indicators.get(number, []),
            )
            for number, title in self.figures.data.goals.items()
        ]

    @cached_property
    def collaboration(self):
        """The year's meetings per group, and decisions and actions per goal (meetings app)."""
        from nollvision.meetings.selectors import year_summary

        return year_summary(self.campaign.plan.slug, self.campaign.year, published_only=self.public)

    def collaboration_rows(self) -> tuple[list[list[str]], list[list[str]]]:
        """(meetings per group, decisions and actions per goal) as table rows."""
        summary = self.collaboration
        meetings = [
            [str(group), str(len(items)), ", ".join(f"{m.starts_at:%Y-%m-%d}" for m in items)]
            for group, items in summary.groups
        ]
        work = []
        for goal in sorted(summary.by_goal):
            entry = summary.by_goal[goal]
            work += [[str(goal), _("Decision"), d.text, "", ""] for d in entry["decisions"]]
            work += [
                [
                    str(goal),
                    _("Action"),
                    a.text,
                    a.organisation.name,
                    f"{a.due:%Y-%m-%d} · {a.get_status_display()}",
                ]
                for a in entry["actions"]
            ]
        return meetings, work

    @cached_property
    def appendix_table(self) -> tuple[list[str], list[tuple[str, list[int]]]]:
        """The appendix: per body, how many of its measures it reports in each status."""
        headers = [
            _("Organisation"),
            *[str(label) for _key, label in MeasureStatus.choices],
            pgettext("plan", "Measures"),
        ]
        rows = [
            (body.name, [*(counts.counts.get(key, 0) for key in MeasureStatus.values), counts.n])
            for body, counts in self.figures.bodies
        ]
        return headers, rows

    def context(self, **extra) -> dict:
        return {
            "content": self,
            "campaign": self.campaign,
            "report": self.report,
            "f": self.figures,
            "draft": self.draft,
            "title": self.title,
            "summary": markup.to_html(self.report.summary),
            "conclusions": markup.to_html(self.report.conclusions),
            "routine_labels": [str(label) for _code, label in Routine.choices],
            "on_time": _on_time_text(self),
            "meeting_headers": meeting_headers(),
            "work_headers": work_headers(),
            "appendix_note": appendix_note(),
            "only_prioritised_note": only_prioritised_note(),
            **extra,
        }


def report_content(
    campaign, *, draft: bool = True, criteria: Filter = EVERYTHING, public: bool = False
) -> ReportContent:
    """The report of a follow-up; `criteria` narrows its figures (a draft that counts only the
    prioritised measures, say), a publication always has them all. `public` builds the public
    edition: answer texts and meeting material only as the public projection lets them out."""
    report, _created = Report.objects.get_or_create(campaign=campaign)
    return ReportContent(
        campaign=campaign,
        report=report,
        figures=assemble(campaign, criteria, public=public),
        draft=draft,
        made_on=timezone.localdate(),
        public=public,
    )


def render_html(content: ReportContent, *, for_pdf: bool = False, annex: bool = False) -> str:
    template = "reports/annex.html" if annex else "reports/report.html"
    with translation.override("sv"):
        return render_to_string(template, content.context(for_pdf=for_pdf))


def render_pdf(content: ReportContent, *, archival: bool = False, annex: bool = False) -> bytes:
    """A tagged PDF (structure tree, language, title, figures' alternative text from the charts'
    SVG titles), so screen readers can follow it; for the archive also PDF/A-3a."""
    return html_to_pdf(render_html(content, for_pdf=True, annex=annex), archival=archival)


def _narrative(document, text: str) -> None:
    for kind, items in markup.blocks(text):
        for item in items:
            paragraph = document.add_paragraph(style="List Bullet" if kind == "ul" else None)
            for piece, bold in markup.runs(item):
                paragraph.add_run(piece).bold = bold


def _table(document, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def _chart(document, chart) -> None:
    from docx.shared import Cm

    document.add_paragraph(chart.title, style="Caption")
    document.add_picture(svg_to_png(str(chart.svg)), width=Cm(16))
    document.add_paragraph(chart.description)
    _table(document, chart.headers, chart.rows)


def render_docx(content: ReportContent) -> bytes:
    with translation.override("sv"):
        return _docx(content)


def _docx(content: ReportContent) -> bytes:
    f = content.figures
    document = new_document(content.document_title)
    document.add_heading(content.title, level=0)
    document.add_paragraph(str(content.campaign.plan.title))
    if content.draft:
        document.add_paragraph(_("DRAFT – not published")).runs[0].bold = True
    if f.only_prioritised:
        document.add_paragraph(_("Only prioritised measures")).runs[0].bold = True
        document.add_paragraph(only_prioritised_note())
    document.add_paragraph(_("Made %(date)s") % {"date": content.made_on.isoformat()})
    document.add_heading(_("Summary"), level=1)
    _narrative(document, content.report.summary)
    document.add_paragraph(
        _("%(accepted)d of %(total)d bodies have an accepted answer.")
        % {"accepted": f.rate[0], "total": f.rate[1]}
    )
    _chart(document, f.goal_chart)
    _chart(document, f.trend_chart)
    for number, title, _html, text, indicator_rows in content.goals:
        document.add_heading(
            _("Goal %(number)d: %(title)s") % {"number": number, "title": title}, level=1
        )
        _narrative(document, text)
        measures = [m for m in f.matrix.measures if m.goal == number]
        document.add_heading(_("The measures of goal %(number)s") % {"number": number}, level=2)
        for measure in measures:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{measure.code} ").bold = True
            paragraph.add_run(measure.text)
            for period in content.prioritised.get(measure.key, []):
                paragraph.add_run(f" ({prioritised_label(period)})").italic = True
        _table(
            document,
            [_("Organisation"), *[m.code for m in measures]],
            [
                [b.name, *[_short_status(c) for c in f.matrix.body_row(b, measures)]]
                for b in f.matrix.bodies
            ],
        )
        if indicator_rows:
            document.add_heading(_("Indicators"), level=2)
            _table(
                document,
                [_("Indicator"), _("County"), _("Year"), _("Source")],
                [list(row) for row in indicator_rows],
            )
    document.add_heading(_("Routines and competence"), level=1)
    _table(
        document,
        [_("Organisation"), *[str(r.label) for r in Routine]],
        [[b.name, *[_state(s) for s in states]] for b, states in f.routine_rows],
    )
    _chart(document, f.competence_chart)
    _chart(document, f.trend_competence_chart)
    _docx_collaboration(document, content)
    document.add_heading(_("Conclusions and priorities"), level=1)
    _narrative(document, content.report.conclusions)
    document.add_page_break()
    document.add_heading(_("Appendix: each body's statuses"), level=1)
    document.add_paragraph(appendix_note())
    headers, rows = content.appendix_table
    _table(document, headers, [[name, *map(str, counts)] for name, counts in rows])
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def only_prioritised_note() -> str:
    return _(
        "The figures and tables of the measures count only the measures prioritised in the "
        "plan; the routines, competence and collaboration count every body as usual."
    )


def prioritised_label(period: str) -> str:
    return _("Prioritised %(period)s") % {"period": period}


def appendix_note() -> str:
    return _(
        "How many of the measures that concern each body it reports in each status. What each "
        "body did, measure by measure, is in the annex “The answers of each body”, "
        "published with this report; the Excel version has the same answers in long form."
    )


def meeting_headers() -> list[str]:
    return [_("Group"), _("Meetings"), _("Dates")]


def work_headers() -> list[str]:
    return [_("Goal"), _("Kind"), _("Text"), _("Responsible"), _("Due and status")]


def _on_time_text(content: ReportContent) -> str:
    summary = content.collaboration
    if not summary.actions_due:
        return _("No actions were due this year.")
    return _("%(done)d of %(due)d actions due this year were done on time (%(share)s).") % {
        "done": summary.done_on_time,
        "due": summary.actions_due,
        "share": percent(summary.on_time_share),
    }


def _docx_collaboration(document, content: ReportContent) -> None:
    meetings, work = content.collaboration_rows()
    document.add_heading(_("Collaboration: meetings, decisions and actions"), level=1)
    _table(document, meeting_headers(), meetings)
    document.add_paragraph(_on_time_text(content))
    if work:
        _table(document, work_headers(), work)


def _short_status(cell: str) -> str:
    return "" if cell == NOT_CONCERNED else status_label(cell)


def _state(state: str) -> str:
    return str(dict(RoutineState.choices).get(state, "–"))


def render_xlsx(content: ReportContent) -> bytes:
    with translation.override("sv"):
        return _xlsx(content)


def _sheet(book, title: str, headers: list[str], rows: list[list]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(header) + 4, 60))
    sheet.freeze_panes = "A2"


def _cover(book, content: ReportContent) -> None:
    """The first sheet says what the workbook is: county, plan, year, edition and date; the
    file's properties say the same to a file list or a screen reader."""
    from openpyxl.styles import Font

    plan = content.campaign.plan
    sheet = book.active
    sheet.title = _("About the report")[:31]
    sheet.append([content.document_title])
    sheet["A1"].font = Font(bold=True, size=14)
    edition = (
        _("Draft")
        if content.draft
        else _("Public edition: published answers only")
        if content.public
        else _("Full edition: every accepted answer")
    )
    for label, value in (
        (_("County"), plan.region.name),
        (_("Plan"), f"{plan.title} ({_('version %(version)s') % {'version': plan.version}})"),
        (_("Follow-up year"), content.campaign.year),
        (_("Edition"), edition),
        (_("Made on"), content.made_on.isoformat()),
        (_("Made with"), "Nollvision"),
    ):
        append_row(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70
    book.properties.title = content.document_title
    book.properties.subject = str(plan.title)
    book.properties.creator = "Nollvision"
    book.properties.keywords = f"{plan.region.name}, {plan.slug}, {content.campaign.year}"
    book.properties.language = "sv"


def _xlsx(content: ReportContent) -> bytes:
    from openpyxl import Workbook

    f = content.figures
    book = Workbook()
    _cover(book, content)
    kind_names = {k.code: str(k.name) for k in OrganisationKind.objects.all()}
    for chart in (
        f.goal_chart,
        f.kind_chart,
        f.competence_chart,
        f.trend_chart,
        f.trend_competence_chart,
    ):
        _sheet(book, chart.title, chart.headers or [""], chart.rows)
    _sheet(
        book,
        _("Measures and bodies"),
        [_("Measure"), *[b.name for b in f.matrix.bodies]],
        [[m.code, *[_short_status(c) for c in f.matrix.row(m)]] for m in f.matrix.measures],
    )
    _sheet(
        book,
        _("Routines"),
        [_("Organisation"), *[str(r.label) for r in Routine]],
        [[b.name, *[_state(s) for s in states]] for b, states in f.routine_rows],
    )
    _sheet(
        book,
        _("Competence"),
        [_("Organisation"), _("Staff concerned"), *[str(c.label) for c in Course]],
        [
            [b.name, c.staff, *[percent(c.share(course)) for course in Course.values]]
            for b, c in f.competence_rows
        ],
    )
    measures = {m.id: m for m in f.criteria.measures(f.data)}
    bodies = {b.id: b for b in f.data.bodies}
    rows = []
    for answer in f.data.answers:
        if answer.measure not in measures:  # a measure the draft leaves out
            continue
        body = bodies[answer.body]
        measure = measures[answer.measure]
        rows.append(
            [
                content.campaign.year,
                body.name,
                kind_names.get(body.kind, body.kind),
                measure.goal,
                measure.code,
                measure.text,
                status_label(answer.status),
                answer.done,
            ]
        )
    _sheet(
        book,
        _("All accepted answers"),
        [
            _("Year"),
            _("Organisation"),
            _("Kind of organisation"),
            _("Goal"),
            _("Measure"),
            _("Measure text"),
            _("Status"),
            _("What was done"),
        ],
        rows,
    )
    meetings, work = content.collaboration_rows()
    _sheet(book, _("Meetings"), meeting_headers(), meetings)
    _sheet(book, _("Decisions and actions"), work_headers(), work)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


RENDERERS = {
    "html": lambda c: render_html(c).encode("utf-8"),
    "pdf": render_pdf,
    "docx": render_docx,
    "xlsx": render_xlsx,
    "bilaga.html": lambda c: render_html(c, annex=True).encode("utf-8"),
    "bilaga.pdf": lambda c: render_pdf(c, annex=True),
}


def render(content: ReportContent, fmt: str, *, archival: bool = False) -> bytes:
    """`fmt` of FORMATS; `archival` makes the PDFs PDF/A-3a (tagged PDF/A)."""
    if archival and fmt.endswith("pdf"):
        return render_pdf(content, archival=True, annex=fmt.startswith("bilaga"))
    return RENDERERS[fmt](content)


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hashes(html: bytes | str) -> list[str]:
    """CSP sources that allow exactly the inline style blocks of a standalone HTML report, so it
    can be shown from the site under a policy without 'unsafe-inline'."""
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in _STYLE.findall(text)
    ]
