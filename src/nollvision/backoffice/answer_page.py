"""Builds the answer page's forms for one response, from stored answers or from posted data."""

from dataclasses import dataclass, field
from itertools import groupby

from django.utils.translation import gettext as _

from nollvision.followup.selectors import FormData
from nollvision.followup.services import BodyChange, MeasureChange

from .forms import BodyForm, MeasureAnswerForm


@dataclass
class AnswerPage:
    data: FormData
    measure_forms: list[MeasureAnswerForm]
    body_form: BodyForm
    disabled: bool = False
    goals: list = field(default_factory=list)

    @classmethod
    def build(cls, response, data: FormData, post=None, disabled=False) -> "AnswerPage":
        measure_forms = [
            MeasureAnswerForm(post, answer=answer, levels=data.prevention_levels)
            for answer in data.answers
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

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in [*self.measure_forms, self.body_form]]
        return all(results)

    def changes(self) -> tuple[list[MeasureChange], BodyChange | None]:
        measures = [change for form in self.measure_forms if (change := form.change())]
        return measures, self.body_form.change()

    def field_errors(self) -> dict[str, list[str]]:
        """Every problem by the name of the field it belongs to, as the page posts it (for
        autosave, which shows each message beside its field)."""
        found: dict[str, list[str]] = {}
        for form in [*self.measure_forms, self.body_form]:
            for name, messages in form.errors.items():
                key = form.add_prefix(name) if name != "__all__" else form.prefix or name
                found[key] = [str(message) for message in messages]
        return found

    def errors(self) -> list[tuple[str, str, str]]:
        """(item, field label, message) for every problem, for the summary at the top."""
        problems = []
        for form in self.measure_forms:
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                problems.extend((form.answer.measure.code, label, m) for m in messages)
        for name, messages in self.body_form.errors.items():
            label = self.body_form.fields[name].label if name in self.body_form.fields else ""
            problems.extend(("", label, m) for m in messages)
        return problems

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
