"""The summary of a consultation (remissammanställning) as PDF and Word, to go with the decision:
the plan version, the deadline, who was asked and who answered when, the counts, each body's
overall answer and, measure by measure, each body's answer and comment with how it was handled
and why. Only answers sent in are summarised; a measure without answers had no comments."""

from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from nollvision.core.pdf import html_to_pdf
from nollvision.core.wordfiles import new_document

from .consultation import (
    MeasureRow,
    VerdictCount,
    answers_by_body,
    answers_by_measure,
    verdict_counts,
)
from .documents import css_string
from .models import Consultation, ConsultationAnswer, Goal


def summary_title(consultation: Consultation) -> str:
    return _("Consultation summary: %(title)s, version %(version)s") % {
        "title": consultation.plan.title,
        "version": consultation.plan.version,
    }


def summary_document_title(consultation: Consultation) -> str:
    """The title the files carry (read first by screen readers): the summary, the plan version
    and the county."""
    return f"{summary_title(consultation)} – {consultation.plan.region.name}"


@dataclass
class Summary:
    consultation: Consultation
    title: str
    document_title: str
    answers: list[ConsultationAnswer]
    answered: list[ConsultationAnswer]
    counts: list[VerdictCount]
    goals: list[tuple[Goal | None, list[MeasureRow]]]


def summary_content(consultation: Consultation) -> Summary:
    answers = answers_by_body(consultation)
    return Summary(
        consultation=consultation,
        title=summary_title(consultation),
        document_title=summary_document_title(consultation),
        answers=answers,
        answered=[answer for answer in answers if answer.submitted_at is not None],
        counts=verdict_counts(answers),
        goals=answers_by_measure(consultation, answers),
    )


def summary_html(consultation: Consultation) -> str:
    with translation.override("sv"):
        return render_to_string(
            "plans/consultation_summary.html",
            {
                "summary": (summary := summary_content(consultation)),
                "footer": css_string(summary.title),
            },
        )


def summary_pdf(consultation: Consultation) -> bytes:
    """A tagged PDF (structure tree, language, title), so screen readers can follow it."""
    return html_to_pdf(summary_html(consultation))


def _date(value) -> str:
    if value is None:
        return "–"
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def _handling(item) -> str:
    if not item.handling:
        return _("not handled yet")
    text = item.get_handling_display()
    return f"{text}: {item.handling_reason}" if item.handling_reason else text


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    return table


def summary_docx(consultation: Consultation) -> bytes:
    with translation.override("sv"):
        s = summary_content(consultation)
        c = s.consultation
        document = new_document(s.document_title)
        document.add_paragraph(c.plan.region.name)
        document.add_heading(s.title, level=0)
        document.add_paragraph(
            _("Sent on %(sent)s; the last day to answer was %(deadline)s.")
            % {"sent": _date(c.created_at), "deadline": _date(c.deadline)}
        )
        if c.closed_at:
            document.add_paragraph(_("Closed on %(date)s.") % {"date": _date(c.closed_at)})
        if c.message:
            document.add_paragraph(c.message)

        document.add_heading(_("Who was asked and who answered"), level=1)
        _table(
            document,
            [_("Organisation"), _("Answered"), _("Overall answer"), _("Measures commented")],
            [
                [
                    a.organisation.name,
                    _date(a.submitted_at) if a.submitted_at else _("did not answer"),
                    a.get_verdict_display() if a.submitted_at else "–",
                    str(len(a.measure_answers.all())) if a.submitted_at else "–",
                ]
                for a in s.answers
            ],
        )

        document.add_heading(_("Answers counted"), level=1)
        _table(
            document,
            [_("Answer"), _("Bodies, overall"), _("Answers on measures")],
            [[count.label, str(count.overall), str(count.measures)] for count in s.counts],
        )

        document.add_heading(_("Overall answers"), level=1)
        if not s.answered:
            document.add_paragraph(_("No body has sent an answer in."))
        for a in s.answered:
            document.add_heading(a.organisation.name, level=2)
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_('Overall answer')}: ").bold = True
            paragraph.add_run(a.get_verdict_display())
            if a.comment:
                document.add_paragraph(a.comment)
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{_('Handling')}: ").bold = True
            paragraph.add_run(_handling(a))

        document.add_heading(_("Answers per measure"), level=1)
        for goal, rows in s.goals:
            document.add_heading(
                _("Goal %(number)s: %(title)s") % {"number": goal.number, "title": goal.title}
                if goal
                else _("Measures no longer in the draft"),
                level=2,
            )
            for row in rows:
                text = f"{row.code} {row.measure.text if row.measure else row.removed_text}".strip()
                document.add_heading(text, level=3)
                if not row.answers:
                    document.add_paragraph(_("No comments."))
                    continue
                _table(
                    document,
                    [_("Organisation"), _("Answer"), _("Comment"), _("Handling")],
                    [
                        [
                            item.answer.organisation.name,
                            item.get_verdict_display(),
                            item.comment or "–",
                            _handling(item),
                        ]
                        for item in row.answers
                    ],
                )
        out = BytesIO()
        document.save(out)
        return out.getvalue()
