from django import forms
from django.utils.translation import gettext_lazy as _

from nollvision.plans.enums import Vocabulary
from nollvision.plans.selectors import MeasureFilter, plan_organisation_kinds, plan_terms


class MeasureFilterForm(forms.Form):
    """Filters on the plan page. Sent with GET, so a filtered list has its own address."""

    goal = forms.TypedChoiceField(label=_("Goal"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Prevention level"), required=False)
    area = forms.ChoiceField(label=_("Violence area"), required=False)
    kind = forms.ChoiceField(label=_("Organisation kind"), required=False)
    prioritised = forms.BooleanField(label=_("Only prioritised measures"), required=False)

    def __init__(self, *args, plan, prioritised=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not prioritised:  # nothing prioritised in this plan: no such filter
            del self.fields["prioritised"]
        everything = [("", _("All"))]
        self.fields["goal"].choices = everything + [
            (goal.number, f"{goal.number}. {goal.title}") for goal in plan.goals.all()
        ]
        self.fields["level"].choices = everything + [
            (term.code, str(term.label)) for term in plan_terms(plan, Vocabulary.PREVENTION_LEVEL)
        ]
        self.fields["area"].choices = everything + [
            (term.code, str(term.label)) for term in plan_terms(plan, Vocabulary.VIOLENCE_AREA)
        ]
        self.fields["kind"].choices = everything + [
            (kind.code, str(kind.name)) for kind in plan_organisation_kinds(plan)
        ]
        for name in ("level", "area", "kind"):
            if len(self.fields[name].choices) == 1:  # the plan has none of these: no filter
                del self.fields[name]

    def criteria(self) -> MeasureFilter:
        if not self.is_valid():
            return MeasureFilter()
        data = self.cleaned_data
        return MeasureFilter(
            goal=data.get("goal"),
            prevention_level=data.get("level") or None,  # absent fields give None
            violence_area=data.get("area") or None,
            organisation_kind=data.get("kind") or None,
            prioritised=bool(data.get("prioritised")),
        )

    @property
    def is_filtered(self) -> bool:
        return self.criteria() != MeasureFilter()


class VersionCompareForm(forms.Form):
    from_version = forms.TypedChoiceField(label=_("From version"), coerce=int)
    to_version = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (plan.version, f"{plan.version} ({plan.get_status_display()})") for plan in versions
        ]
        self.fields["from_version"].choices = choices
        self.fields["to_version"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("from_version") is not None and data.get("from_version") == data.get(
            "to_version"
        ):
            raise forms.ValidationError(_("Choose two different versions."))
        return data
