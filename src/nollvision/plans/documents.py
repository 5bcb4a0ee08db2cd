"""The plan as a document: the version a county decides on, as a tagged PDF and a Word file, built
from the data (goals, measures and their tags, responsibility descriptions, the chain of
interventions, the collaboration structure and the signatories with their signings).

A draft is marked as one on every page: a diagonal watermark in the PDF, a header in Word.
Everything is read in a fixed number of queries (`plan_content`), whatever the size of the plan;
the texts are chosen in the language asked for, falling back to the plan's Swedish."""

from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import quote

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from nollvision.core.pdf import html_to_pdf
from nollvision.core.translated import PRIMARY_LANGUAGE, Translated
from nollvision.core.wordfiles import new_document

from .enums import MeasureChange, PlanStatus, Vocabulary
from .models import (
    Duty,
    Measure,
    Plan,
    ResponsibilityDescription,
    RetiredMeasure,
    Signatory,
    Signing,
)
from .selectors import prioritised_periods

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- What the document holds, read once ---------------------------------------------------------


@dataclass
class PlanContent:
    """The rows of one plan version the document shows, as loaded (no texts chosen yet)."""

    plan: Plan
    measures: list[Measure]
    retired: list[RetiredMeasure]
    prioritised: dict[str, list[str]]
    responsibilities: list[ResponsibilityDescription]
    signatories: list[Signatory]
    signings: dict[int, Signing]  # by organisation


def plan_content(plan: Plan) -> PlanContent:
    """Everything the document shows, in a fixed number of queries (sixteen)."""
    plan = (
        Plan.objects.select_related("region", "previous_version")
        .prefetch_related("steering_documents", "terms", "goals", "collaboration_bodies")
        .get(pk=plan.pk)
    )
    measures = list(
        plan.measures.order_by("goal__number", "position").prefetch_related(
            "prevention_levels", "violence_areas", "organisation_kinds", "derived_from"
        )
    )
    retired = list(
        plan.retired_measures.select_related("measure__goal").order_by(
            "measure__goal__number", "measure__position"
        )
    )
    responsibilities = list(
        plan.responsibilities.select_related("organisation_kind").prefetch_related(
            Prefetch("duties", queryset=Duty.objects.select_related("chain_stage"))
        )
    )
    signatories = list(plan.signatures.select_related("organisation__kind"))
    signings = {signing.organisation_id: signing for signing in plan.signings.all()}
    return PlanContent(
        plan=plan,
        measures=measures,
        retired=retired,
        prioritised=prioritised_periods(plan),
        responsibilities=responsibilities,
        signatories=signatories,
        signings=signings,
    )


# --- What the document says, in the active language ----------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text of the plan in the active language, and the language it is really in when the plan
    has none of its own in the active one (Swedish), so the PDF can say so to screen readers."""

    text: str
    lang: str = ""

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        text = conditional_escape(self.text)
        return f'<span lang="{self.lang}">{text}</span>' if self.lang else str(text)


def _text(value: Translated | str | None) -> Text:
    if not isinstance(value, Translated):
        return Text(str(value or ""))
    language = (translation.get_language() or PRIMARY_LANGUAGE).split("-")[0]
    fallback = language != PRIMARY_LANGUAGE and not value.has_language(language)
    return Text(value.get_text(), PRIMARY_LANGUAGE if fallback and value else "")


@dataclass
class MeasureEntry:
    code: str
    text: Text
    prioritised: list[str]  # "Prioritised 2022-2024", one per period
    tags: list[tuple[str, str]]  # (which tag, its values)
    change: str = ""  # the change from the previous version, when there was one
    reason: Text = field(default_factory=lambda: Text(""))


@dataclass
class MeasureGroup:
    heading: Text  # the section heading measures are listed under; empty: none
    measures: list[MeasureEntry]


@dataclass
class GoalEntry:
    number: int
    heading: str
    text: Text
    groups: list[MeasureGroup]


@dataclass
class DutyGroup:
    heading: Text
    duties: list[tuple[Text, str]]  # (duty, the stage of the chain it belongs to)


@dataclass
class ResponsibilityEntry:
    title: Text
    kind: str
    groups: list[DutyGroup]


@dataclass
class StageEntry:
    label: Text
    description: Text
    kinds: list[str]  # the kinds of organisation with duties in this stage


@dataclass
class SignatoryEntry:
    organisation: str
    signed_by: str
    role: str
    signed_on: str
    signed: bool = False


@dataclass
class PlanDocument:
    """The document's texts in one language: what the PDF template and the Word writer show."""

    plan: Plan
    language: str
    title: str
    document_title: str
    draft: bool
    draft_mark: str
    watermark: str
    footer: str  # a CSS string: the foot of every page
    facts: list[tuple[str, str]]
    introduction: Text
    source: tuple[str, str]
    steering: list[tuple[Text, str, str]]
    terms: list[tuple[str, list[tuple[Text, Text]]]]
    goals: list[GoalEntry]
    later_version: bool
    changes_note: str
    retired: list[tuple[str, Text, Text]]
    retired_heading: str
    responsibilities: list[ResponsibilityEntry]
    chain: list[StageEntry]
    bodies: list[tuple[Text, str, Text]]
    signatories: list[SignatoryEntry]
    headings: dict[str, str]


def _names(items) -> str:
    return ", ".join(str(item) for item in items)


def _measure_entry(measure: Measure, content: PlanContent, later: bool) -> MeasureEntry:
    kinds = [kind.name for kind in measure.organisation_kinds.all()]
    tags = [
        (_("Prevention levels"), _names(term.label for term in measure.prevention_levels.all())),
        (_("Violence areas"), _names(term.label for term in measure.violence_areas.all())),
        (_("Organisation kinds concerned"), _names(kinds) if kinds else _("All organisations")),
    ]
    entry = MeasureEntry(
        code=measure.code,
        text=_text(measure.text),
        prioritised=[
            _("Prioritised %(period)s") % {"period": period}
            for period in content.prioritised.get(measure.key, [])
        ],
        tags=[(label, value) for label, value in tags if value],
    )
    if later and measure.change and measure.change != MeasureChange.UNCHANGED:
        sources = sorted(source.code for source in measure.derived_from.all())
        change = measure.get_change_display()
        if sources:
            change = _("%(change)s, from %(codes)s") % {
                "change": change,
                "codes": ", ".join(sources),
            }
        entry.change = _("Change from version %(version)s: %(change)s") % {
            "version": content.plan.previous_version.version,
            "change": change,
        }
        entry.reason = _text(measure.change_reason)
    return entry


def _goals(content: PlanContent, later: bool) -> list[GoalEntry]:
    by_goal: dict[int, list[Measure]] = {}
    for measure in content.measures:
        by_goal.setdefault(measure.goal_id, []).append(measure)
    goals = []
    for goal in content.plan.goals.all():
        groups: list[MeasureGroup] = []
        for measure in by_goal.get(goal.pk, []):
            heading = _text(measure.section)
            if not groups or groups[-1].heading != heading:
                groups.append(MeasureGroup(heading=heading, measures=[]))
            groups[-1].measures.append(_measure_entry(measure, content, later))
        goals.append(
            GoalEntry(
                number=goal.number,
                heading=_("Goal %(number)d: %(title)s")
                % {"number": goal.number, "title": goal.title},
                text=_text(goal.text),
                groups=groups,
            )
        )
    return goals


def _responsibilities(content: PlanContent) -> list[ResponsibilityEntry]:
    entries = []
    for description in content.responsibilities:
        groups: list[DutyGroup] = []
        for duty in description.duties.all():
            heading = _text(duty.group)
            if not groups or groups[-1].heading != heading:
                groups.append(DutyGroup(heading=heading, duties=[]))
            stage = str(duty.chain_stage.label) if duty.chain_stage else ""
            groups[-1].duties.append((_text(duty.text), stage))
        entries.append(
            ResponsibilityEntry(
                title=_text(description.title),
                kind=str(description.organisation_kind.name),
                groups=groups,
            )
        )
    return entries


def _chain(content: PlanContent, stages) -> list[StageEntry]:
    kinds: dict[int, list[str]] = {stage.pk: [] for stage in stages}
    for description in content.responsibilities:
        name = str(description.organisation_kind.name)
        for duty in description.duties.all():
            found = kinds.get(duty.chain_stage_id)
            if found is not None and name not in found:
                found.append(name)
    return [
        StageEntry(
            label=_text(stage.label), description=_text(stage.description), kinds=kinds[stage.pk]
        )
        for stage in stages
    ]


def _signatories(content: PlanContent) -> list[SignatoryEntry]:
    entries = []
    for signatory in content.signatories:
        signing = content.signings.get(signatory.organisation_id)
        stated = signing is not None and signing.from_document
        entries.append(
            SignatoryEntry(
                organisation=signatory.organisation.name,
                # A signing known from the plan's own document says so where the name would be.
                signed_by=(_("according to %(source)s") % {"source": signing.source})
                if stated
                else (signing.signed_by if signing else ""),
                role=signing.role if signing and not stated else "–",
                signed_on=date_format(signing.signed_on, "j F Y")
                if signing and signing.signed_on
                else "–",
                signed=signing is not None,
            )
        )
    return entries


def css_string(text: str) -> str:
    """`text` as a CSS string, for the page's foot (nothing in it can end the style sheet)."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '\\"<>&\n' or not char.isprintable() else char
        for char in text
    )
    return f'"{escaped}"'


def _watermark(word: str) -> str:
    """The diagonal word on every page of a draft, as the page's background (an artifact, not
    part of the text a screen reader reads: the cover and every page's foot say it in words)."""
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='800'>"
        "<text x='300' y='420' text-anchor='middle' font-size='110' fill='#ecd3d3' "
        "font-family='DejaVu Sans' font-weight='bold' transform='rotate(-50 300 400)'>"
        f"{word}</text></svg>"
    )
    return "data:image/svg+xml;utf8," + quote(svg, safe="=:/' ")


def plan_document(content: PlanContent) -> PlanDocument:
    """The document's texts in the active language."""
    plan = content.plan
    draft = plan.status == PlanStatus.DRAFT
    later = plan.previous_version_id is not None
    terms = list(plan.terms.all())

    def vocabulary(name: str):
        return [term for term in terms if term.vocabulary == name]

    title = str(plan.title)
    if draft:
        title = f"{_('Draft')}: {title}"
    version = _("version %(number)s") % {"number": plan.version}
    facts = [
        (_("County"), plan.region.name),
        (_("Period"), f"{plan.period_start}–{plan.period_end}"),
        (_("Version"), str(plan.version)),
        (_("Status"), plan.get_status_display()),
    ]
    if plan.adopted_on and not draft:
        facts.append((_("Adopted on"), date_format(plan.adopted_on, "j F Y")))
    if later:
        facts.append((_("Previous version"), str(plan.previous_version.version)))
    previous = plan.previous_version.version if later else None
    return PlanDocument(
        plan=plan,
        language=translation.get_language(),
        title=title,
        document_title=" – ".join((title, plan.region.name, version)),
        draft=draft,
        draft_mark=_("DRAFT – not adopted"),
        watermark=_watermark(_("Draft").upper()) if draft else "",
        footer=css_string(
            " · ".join(([_("DRAFT – not adopted")] if draft else []) + [plan.region.name, version])
        ),
        facts=facts,
        introduction=_text(plan.introduction),
        source=(plan.source_title, plan.source_url),
        steering=[
            (_text(document.title), document.get_level_display(), document.url)
            for document in plan.steering_documents.all()
        ],
        terms=[
            (heading, [(_text(t.label), _text(t.description)) for t in vocabulary(name)])
            for heading, name in (
                (_("Prevention levels"), Vocabulary.PREVENTION_LEVEL),
                (_("Violence areas"), Vocabulary.VIOLENCE_AREA),
            )
            if vocabulary(name)
        ],
        goals=_goals(content, later),
        later_version=later,
        changes_note=(
            _(
                "Measures marked with a change differ from version %(version)s; the others are "
                "carried on unchanged."
            )
            % {"version": previous}
            if later
            else ""
        ),
        retired=[
            (item.measure.code, _text(item.measure.text), _text(item.reason))
            for item in content.retired
        ],
        retired_heading=(
            _("Measures of version %(version)s not carried on") % {"version": previous}
            if later
            else ""
        ),
        responsibilities=_responsibilities(content),
        chain=_chain(content, vocabulary(Vocabulary.CHAIN_STAGE)),
        bodies=[
            (_text(body.name), body.get_level_display(), _text(body.mandate))
            for body in plan.collaboration_bodies.all()
        ],
        signatories=_signatories(content),
        headings={
            "contents": _("Contents"),
            "introduction": _("Introduction"),
            "steering": _("Steering documents"),
            "terms": _("Tags of the measures"),
            "responsibilities": _("Responsibility descriptions"),
            "responsibilities_note": _(
                "What each kind of organisation must do under law and regulation."
            ),
            "chain": _("The chain of interventions"),
            "chain_note": _(
                "The stages of the chain of interventions and the kinds of organisation whose "
                "duties belong to each."
            ),
            "stage": _("Stage"),
            "stage_of": _("Stage of the chain"),
            "kinds": _("Organisations with duties in the stage"),
            "collaboration": _("Collaboration structure"),
            "body": _("Collaboration body"),
            "level": _("Level"),
            "mandate": _("Mandate"),
            "signatories": _("Signatories"),
            "signatories_note": _("The bodies that sign the plan, and their signing."),
            "organisation": _("Organisation"),
            "signed_by": _("Signed by"),
            "role": _("In the role of"),
            "signed_on": _("Signed on"),
            "not_signed": _("Not yet signed"),
            "source": _("Source"),
            "reason": _("Reason"),
            "measure": pgettext("plan", "Measure"),
            "description": _("Description"),
        },
    )


# --- The PDF ----------------------------------------------------------------------------------


def plan_html(plan: Plan, language: str = "sv", *, content: PlanContent | None = None) -> str:
    with translation.override(language):
        document = plan_document(content or plan_content(plan))
        return render_to_string("plans/plan_document.html", {"d": document})


def plan_pdf(plan: Plan, language: str = "sv", *, content: PlanContent | None = None) -> bytes:
    """A tagged PDF (structure tree, language, title, real headings and table header cells); an
    adopted or archived version also as PDF/A-3a, for the archive."""
    html = plan_html(plan, language, content=content)
    return html_to_pdf(html, archival=plan.status != PlanStatus.DRAFT)


# --- The Word file --------------------------------------------------------------------------------


def _repeat_header(row) -> None:
    """Mark a table's first row as its header (repeated on every page, read as headers)."""
    properties = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    properties.append(mark)


def _table(document, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    _repeat_header(table.rows[0])
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def _draft_header(document, text: str) -> None:
    """A header on every page of a draft (the document has one section)."""
    for section in document.sections:
        section.header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.text = text
        paragraph.runs[0].bold = True


def _docx(d: PlanDocument) -> bytes:
    h = d.headings
    document = new_document(d.document_title)
    if d.draft:
        _draft_header(document, d.draft_mark)
    document.add_heading(d.title, level=0)
    if d.draft:
        document.add_paragraph(d.draft_mark).runs[0].bold = True
    for label, value in d.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    if d.introduction:
        document.add_heading(h["introduction"], level=1)
        document.add_paragraph(str(d.introduction))
    if d.steering or d.source[0]:
        document.add_heading(h["steering"], level=1)
        for title, level, url in d.steering:
            text = f"{title} ({level})" + (f" – {url}" if url else "")
            document.add_paragraph(text, style="List Bullet")
        if d.source[0]:
            source = d.source[0] + (f" – {d.source[1]}" if d.source[1] else "")
            document.add_paragraph(f"{h['source']}: {source}")
    if d.terms:
        document.add_heading(h["terms"], level=1)
        for heading, terms in d.terms:
            document.add_heading(heading, level=2)
            for label, description in terms:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(str(label)).bold = True
                if description:
                    paragraph.add_run(f": {description}")

    document.add_page_break()
    if d.changes_note:
        document.add_paragraph(d.changes_note)
    for goal in d.goals:
        document.add_heading(goal.heading, level=1)
        if goal.text:
            document.add_paragraph(str(goal.text))
        for group in goal.groups:
            if group.heading:
                document.add_heading(str(group.heading), level=2)
            for measure in group.measures:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{measure.code} ").bold = True
                paragraph.add_run(str(measure.text))
                for mark in measure.prioritised:
                    paragraph.add_run(f" ({mark})").bold = True
                tags = " · ".join(f"{label}: {value}" for label, value in measure.tags)
                document.add_paragraph(tags, style="List Bullet").runs[0].italic = True
                if measure.change:
                    text = measure.change + (
                        f". {h['reason']}: {measure.reason}" if measure.reason else ""
                    )
                    document.add_paragraph(text, style="List Bullet")
    if d.retired:
        document.add_heading(d.retired_heading, level=1)
        _table(
            document,
            [h["measure"], h["description"], h["reason"]],
            [[code, str(text), str(reason) or "–"] for code, text, reason in d.retired],
        )

    if d.responsibilities:
        document.add_page_break()
        document.add_heading(h["responsibilities"], level=1)
        document.add_paragraph(h["responsibilities_note"])
        for description in d.responsibilities:
            document.add_heading(str(description.title), level=2)
            for group in description.groups:
                if group.heading:
                    document.add_heading(str(group.heading), level=3)
                for duty, stage in group.duties:
                    paragraph = document.add_paragraph(str(duty), style="List Bullet")
                    if stage:
                        paragraph.add_run(f" ({h['stage_of']}: {stage})").italic = True
    if d.chain:
        document.add_heading(h["chain"], level=1)
        document.add_paragraph(h["chain_note"])
        _table(
            document,
            [h["stage"], h["description"], h["kinds"]],
            [
                [str(stage.label), str(stage.description), ", ".join(stage.kinds) or "–"]
                for stage in d.chain
            ],
        )
    if d.bodies:
        document.add_heading(h["collaboration"], level=1)
        _table(
            document,
            [h["body"], h["level"], h["mandate"]],
            [[str(name), level, str(mandate)] for name, level, mandate in d.bodies],
        )
    document.add_heading(h["signatories"], level=1)
    document.add_paragraph(h["signatories_note"])
    _table(
        document,
        [h["organisation"], h["signed_by"], h["role"], h["signed_on"]],
        [
            [s.organisation, s.signed_by, s.role, s.signed_on]
            if s.signed
            else [s.organisation, h["not_signed"], "–", "–"]
            for s in d.signatories
        ],
    )
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def plan_docx(plan: Plan, language: str = "sv", *, content: PlanContent | None = None) -> bytes:
    with translation.override(language):
        return _docx(plan_document(content or plan_content(plan)))


def plan_file_name(plan: Plan, fmt: str, language: str = "sv") -> str:
    """The name a download carries: the plan, its version, a draft said so, the language."""
    stem = f"{plan.slug}-v{plan.version}"
    if plan.status == PlanStatus.DRAFT:
        stem = f"utkast-{stem}"
    if language != PRIMARY_LANGUAGE:
        stem = f"{stem}-{language}"
    return f"{stem}.{fmt}"


def render(plan: Plan, fmt: str, language: str = "sv") -> bytes:
    """The document in `fmt` (a key of `CONTENT_TYPES`)."""
    return {"pdf": plan_pdf, "docx": plan_docx}[fmt](plan, language)
