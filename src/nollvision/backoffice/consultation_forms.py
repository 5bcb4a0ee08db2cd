"""Forms of the consultation pages: sending a draft out, a body's answer (overall and one small
form per measure), and the coordinator's handling of an answer. Texts take their guards from
the model fields (`forms.text_field`)."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nollvision.plans.consultation import NEEDS_REASON
from nollvision.plans.enums import Handling, Verdict
from nollvision.plans.models import Consultation, ConsultationAnswer, ConsultationMeasureAnswer

from .forms import text_field


def _verdicts(blank=None):
    choices = [(value, capfirst(label)) for value, label in Verdict.choices]
    return [("", blank), *choices] if blank else choices


class ConsultationSendForm(forms.Form):
    deadline = forms.DateField(
        label=_("Last day to answer"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    message = text_field(
        Consultation,
        "message",
        label=_("Message to the signatories (sent with the e-mail and shown with the draft)"),
        rows=5,
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("The last day to answer must be in the future."))
        return deadline


class OverallAnswerForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Overall answer on the draft"),
        required=False,
        choices=_verdicts(),
        widget=forms.RadioSelect(attrs={"class": "checkbox-columns"}),
    )
    comment = text_field(ConsultationAnswer, "comment", label=_("Overall comment"), rows=4)

    def __init__(self, *args, answer: ConsultationAnswer, **kwargs):
        initial = {"verdict": answer.verdict, "comment": answer.comment}
        super().__init__(*args, initial=initial, prefix="overall", **kwargs)


class MeasureAnswerForm(forms.Form):
    """One measure's answer; the page shows the measure's text as the group's legend."""

    verdict = forms.ChoiceField(
        required=False,
        choices=_verdicts(blank=_("No comment")),
        widget=forms.RadioSelect(attrs={"class": "checkbox-columns"}),
    )
    comment = text_field(ConsultationMeasureAnswer, "comment", rows=2)

    def __init__(self, *args, measure, item: ConsultationMeasureAnswer | None, **kwargs):
        self.measure = measure
        initial = {"verdict": item.verdict, "comment": item.comment} if item else {"verdict": ""}
        super().__init__(*args, initial=initial, prefix=f"m{measure.pk}", **kwargs)
        self.fields["verdict"].label = _("Answer on %(code)s") % {"code": measure.code}
        self.fields["comment"].label = _("Comment on %(code)s") % {"code": measure.code}

    def clean(self):
        data = super().clean()
        if (data.get("comment") or "").strip() and not data.get("verdict"):
            self.add_error("verdict", _("Choose an answer for your comment."))
        return data

    def value(self) -> tuple[str, str]:
        return self.cleaned_data.get("verdict") or "", self.cleaned_data.get("comment") or ""


class HandlingForm(forms.Form):
    """How the coordinator handled one answer (overall or on a measure), and why."""

    handling = forms.ChoiceField(
        label=_("Handling"),
        choices=[("", _("– choose –")), *[(v, capfirst(label)) for v, label in Handling.choices]],
        error_messages={"required": _("Choose how the answer was handled.")},
    )
    reason = text_field(
        ConsultationAnswer,
        "handling_reason",
        label=_("Reason"),
        rows=2,
    )

    def __init__(self, *args, item, key: str, context: str, **kwargs):
        self.item = item
        self.key = key
        self.context = context
        initial = {"handling": item.handling, "reason": item.handling_reason}
        super().__init__(*args, initial=initial, prefix=f"h-{key}", **kwargs)
        self.fields["handling"].label = _("Handling (%(what)s)") % {"what": context}
        self.fields["reason"].label = _("Reason (%(what)s)") % {"what": context}
        self.fields["reason"].help_text = _("Needed when partly or not accepted.")

    def clean(self):
        data = super().clean()
        if data.get("handling") in NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the answer was only partly or not accepted."))
        return data


def error_items(form: forms.Form, *, label_prefix: str = "") -> list[tuple[str, str, str]]:
    """(label, message, anchor) for each error of the form, for the page's error summary; a
    choice of radio buttons is reached at its first button."""
    items = []
    for name, errors in form.errors.items():
        if name == "__all__":
            items += [(label_prefix, str(message), "") for message in errors]
            continue
        bound = form[name]
        anchor = bound.auto_id + ("_0" if isinstance(bound.field.widget, forms.RadioSelect) else "")
        items += [(str(bound.label), str(message), anchor) for message in errors]
    return items
