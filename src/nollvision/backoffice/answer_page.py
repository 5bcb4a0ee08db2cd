"""Builds the answer page's forms for one response, from stored answers or from posted data."""

from dataclasses import dataclass, field
from itertools import groupby

from django.utils.translation import gettext as _

from nollvision.followup.models import ReviewComment
from nollvision.followup.progress import Progress, measure_done, progress_of
from nollvision.followup.selectors import FormData
from nollvision.followup.services import BodyChange, MeasureChange

from .forms import BodyForm, MeasureAnswerForm

# What a measure's texts are called on the page, in the order they are shown (read-only view).
TEXT_FIELDS = ("not_relevant_reason", "done", "target_groups", "child_rights", "next_steps")


@dataclass
class Item:
    """One measure on the answer page: its form, its state and what is shown with it."""

    form: MeasureAnswerForm
    state: str  # "done", "missing" or "commented"
    comments: list
    open: bool
    previous: object = None  # last year's accepted answer to the same measure, if shown

    @property
    def answer(self):
        return self.form.answer

    @property
    def anchor(self) -> str:
        return f"m{self.answer.pk}"

    @property
    def chip(self) -> str:
        """The measure's state in words, beside its code in the folded list."""
        if self.state == "done":
            return _("answered: %(status)s") % {"status": self.answer.get_status_display()}
        if self.state == "commented":
            return _("comment from the reviewer")
        return _("reason missing") if self.answer.status else _("not answered")

    @property
    def prevention_labels(self) -> str:
        """The prevention levels addressed, by the plan's names for them (never the codes)."""
        names = dict(self.form.fields["prevention_levels"].choices)
        return ", ".join(str(names.get(code, code)) for code in self.answer.prevention_levels)

    @property
    def texts(self) -> list[tuple[str, str, str, bool]]:
        """(label, this year's text, last year's text, changed) for the read-only view."""
        rows = []
        for name in TEXT_FIELDS:
            now = getattr(self.answer, name)
            before = getattr(self.previous, name, "") if self.previous else ""
            if now or before:
                label = self.form.fields[name].label
                rows.append((label, now, before, self.previous is not None and now != before))
        return rows


@dataclass
class Section:
    goal: object
    items: list[Item]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if measure_done(item.answer))


@dataclass
class AnswerPage:
    data: FormData
    measure_forms: list[MeasureAnswerForm]
    body_form: BodyForm
    disabled: bool = False
    goals: list = field(default_factory=list)
    saved: int = 0  # parts kept by the save that shows the page again, if some part waits

    @classmethod
    def build(cls, response, data: FormData, post=None, disabled=False) -> "AnswerPage":
        levels = [(term.code, str(term.label)) for term in data.prevention_levels]
        measure_forms = [
            MeasureAnswerForm(post, answer=answer, levels=levels) for answer in data.answers
        ]
        body_form = BodyForm(
            post,
            body=response.body_answer,
            routines=data.routines,
            participations=data.participations,
            extras=data.extras,
            resource_centre=response.campaign.plan.resource_centre_name,
        )
        if disabled:
            for form in [*measure_forms, body_form]:
                for form_field in form.fields.values():
                    form_field.disabled = True
        goals = [
            (goal, list(forms))
            for goal, forms in groupby(measure_forms, key=lambda form: form.answer.measure.goal)
        ]
        return cls(
            data=data,
            measure_forms=measure_forms,
            body_form=body_form,
            disabled=disabled,
            goals=goals,
        )

    def sections(self, *, open_item="", returned=False, previous=None) -> list[Section]:
        """The goals with their measures; a measure is shown open when it has an error, has
        the reviewer's comment on a returned answer, or is where the person saved from."""
        by_item: dict[str, list] = {}
        for comment in self.data.comments:
            by_item.setdefault(comment.item, []).append(comment)
        previous = previous or {}
        sections = []
        for goal, forms in self.goals:
            items = []
            for form in forms:
                answer = form.answer
                comments = by_item.get(ReviewComment.MEASURE_PREFIX + answer.measure.code, [])
                state = (
                    "commented"
                    if comments and returned
                    else "done"
                    if measure_done(answer)
                    else "missing"
                )
                is_open = (
                    bool(form.errors)
                    or open_item == f"m{answer.pk}"
                    or (returned and bool(comments))
                )
                items.append(Item(form, state, comments, is_open, previous.get(answer.measure.key)))
            sections.append(Section(goal, items))
        return sections

    def comment_links(self, returned) -> list[tuple[str, str, str]]:
        """(what, anchor, text) for each comment of a return, linking to its measure."""
        if returned is None:
            return []
        prefix = ReviewComment.MEASURE_PREFIX
        anchors = {prefix + a.measure.code: f"m{a.pk}" for a in self.data.answers}
        return [
            (
                ReviewComment.subject_of(comment.item),
                anchors.get(comment.item, "body"),
                comment.text,
            )
            for comment in returned.comments
        ]

    @property
    def progress(self) -> Progress:
        return progress_of(
            answers=self.data.answers,
            routines=self.data.routines,
            participations=self.data.participations,
            extras=self.data.extras,
            body=self.body_form.body,
        )

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in [*self.measure_forms, self.body_form]]
        return all(results)

    def changes(self) -> tuple[list[MeasureChange], BodyChange | None]:
        """What the person changed in the parts that are valid: a part with a problem waits
        (its message shown in place) while every other change of the same save is kept."""
        measures = [
            change for form in self.measure_forms if form.is_valid() and (change := form.change())
        ]
        body = self.body_form.change() if self.body_form.is_valid() else None
        return measures, body

    def waiting(self) -> list[dict[str, str]]:
        """The problems of the parts that wait, for the summary at the top (each a link to its
        field) as autosave draws it."""
        return [
            {
                "href": f"#{anchor}",
                "text": f"{item} – {label}" if item else str(label),
                "message": str(message),
            }
            for item, label, message, anchor in self.errors()
        ]

    def saved_versions(self, into: dict, versions: dict[str, int], changes) -> None:
        """The new versions of the parts a save kept, by the names of their hidden fields (for
        autosave, which sets them on the page so that the next save is no conflict with oneself).
        Parts not saved keep the version they were loaded with: a colleague's change to one of
        them meanwhile is still found."""
        measures, body = changes
        for change in measures:
            key = f"m{change.answer_id}-version"
            into[key] = str(versions[key])
        if body is not None:
            into["body-version"] = str(versions["body-version"])

    def field_errors(self) -> dict[str, list[str]]:
        """Every problem by the name of the field it belongs to, as the page posts it (for
        autosave, which shows each message beside its field)."""
        found: dict[str, list[str]] = {}
        for form in [*self.measure_forms, self.body_form]:
            for name, messages in form.errors.items():
                key = form.add_prefix(name) if name != "__all__" else form.prefix or name
                found[key] = [str(message) for message in messages]
        return found

    def errors(self) -> list[tuple[str, str, str, str]]:
        """(item, field label, message, id of the field) for every problem, for the summary at
        the top, each item a link to its field."""
        problems = []
        for form in [*self.measure_forms, self.body_form]:
            item = form.answer.measure.code if form is not self.body_form else ""
            for name, messages in form.errors.items():
                known = name in form.fields
                label = form.fields[name].label if known else ""
                anchor = form[name].auto_id if known else f"m{form.answer.pk}" if item else "body"
                problems.extend((item, label, m, anchor) for m in messages)
        return problems

    @property
    def copied(self) -> list:
        """The measures copied from last year's answer and not yet changed or confirmed."""
        return [answer for answer in self.data.answers if answer.copied_from_year]

    @property
    def empty(self) -> list:
        return [answer for answer in self.data.answers if not answer.status]

    @property
    def answered(self) -> int:
        return sum(1 for answer in self.data.answers if answer.status)

    @property
    def total(self) -> int:
        return len(self.data.answers)

    @property
    def holders(self) -> list[tuple[object, list[str]]]:
        """Who holds which measures (and the questions about the body) inside the body."""
        held: dict[object, list[str]] = {}
        for answer in self.data.answers:
            if answer.assignee_id:
                held.setdefault(answer.assignee, []).append(answer.measure.code)
        body = self.body_form.body
        if body.assignee_id:
            held.setdefault(body.assignee, []).append(str(_("the questions about the body")))
        return sorted(held.items(), key=lambda item: str(item[0]))

    def versions(self) -> dict[str, int]:
        versions = {f"m{a.pk}-version": a.version for a in self.data.answers}
        versions["body-version"] = self.body_form.body.version
        return versions


def fill_missing(post, response, data: FormData) -> None:
    """Put the stored value of every field the posted data lacks, so nothing is blanked."""
    page = AnswerPage.build(response, data)
    for form in [*page.measure_forms, page.body_form]:
        for name in form.fields:
            key = form.add_prefix(name)
            if key in post:
                continue
            value = form[name].value()
            if isinstance(value, list | tuple):
                post.setlist(key, [str(item) for item in value])
            elif isinstance(value, bool):
                if value:
                    post[key] = "on"
            elif value is not None:
                post[key] = str(value)
