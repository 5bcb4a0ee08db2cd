"""Minutes of a meeting as PDF and Word, in the look of the annual report."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nollvision.accounts.models import Region
from nollvision.core.pdf import html_to_pdf
from nollvision.core.wordfiles import new_document

from .selectors import attach_bodies


def minutes_title(meeting) -> str:
    return _("Minutes: %(title)s, %(date)s") % {
        "title": meeting.title,
        "date": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}",
    }


def minutes_document_title(meeting) -> str:
    """The title the files carry (the PDF's and Word's, read first by screen readers): the
    minutes' title and date, the group and the county."""
    group = meeting.group
    if not hasattr(group, "body"):
        attach_bodies([group])
    county = Region.objects.filter(plans__slug=group.plan_slug).values_list("name", flat=True)
    parts = (minutes_title(meeting), str(group), county.first())
    return " – ".join(part for part in parts if part)


def _attendance(meeting) -> list[tuple]:
    presence = {a.member_id: a.get_presence_display() for a in meeting.attendance.all()}
    members = meeting.group.members.select_related("user", "organisation")
    return [(member, presence.get(member.pk, "")) for member in members]


def minutes_html(meeting) -> str:
    with translation.override("sv"):
        return render_to_string(
            "meetings/minutes.html",
            {
                "meeting": meeting,
                "title": minutes_title(meeting),
                "document_title": minutes_document_title(meeting),
                "attendance": _attendance(meeting),
            },
        )


def minutes_pdf(meeting) -> bytes:
    """A tagged PDF (structure tree, language, title), so screen readers can follow it."""
    return html_to_pdf(minutes_html(meeting))


def _person(user) -> str:
    return user.get_full_name() or user.username


def minutes_docx(meeting) -> bytes:
    with translation.override("sv"):
        document = new_document(minutes_document_title(meeting))
        document.add_paragraph(str(meeting.group))
        document.add_heading(minutes_title(meeting), level=0)
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        document.add_paragraph(
            f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" + (f" · {meeting.place}" if meeting.place else "")
        )
        document.add_heading(_("Attendance"), level=1)
        rows = _attendance(meeting)
        table = document.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        headers = [_("Member"), _("Organisation"), _("Role in the group"), _("Attendance")]
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
        for member, presence in rows:
            cells = table.add_row().cells
            values = [_person(member.user), member.organisation.name, member.get_role_display()]
            for cell, value in zip(cells, [*values, presence or "–"], strict=True):
                cell.text = str(value)
        document.add_heading(_("Minutes"), level=1)
        for item in meeting.items.all():
            document.add_heading(f"§{item.position} {item.title}", level=2)
            if item.measures.all():
                codes = ", ".join(m.code for m in item.measures.all())
                document.add_paragraph(f"{_('Measures')}: {codes}")
            if item.minutes:
                document.add_paragraph(item.minutes)
            for decision in item.decisions.all():
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{_('Decision')}: ").bold = True
                paragraph.add_run(decision.text)
            for action in item.actions.all():
                who = action.organisation.name + (
                    f", {_person(action.person)}" if action.person else ""
                )
                document.add_paragraph(
                    f"{_('Action')}: {action.text} ({who}, {action.due:%Y-%m-%d})",
                    style="List Bullet",
                )
        out = BytesIO()
        document.save(out)
        return out.getvalue()
