"""Forms of the plan editor, adoption and signing. Each translated text is a Swedish field
(required where the plan needs it) and an English one beside it, with the guards on what people
write (core/validators.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.models import OrganisationKind, code_validator
from nollvision.core.fields import LINE_MAX, TEXT_MAX, length_hint
from nollvision.core.validators import guard_line, guard_text
from nollvision.plans.editor import DutyFields, FigureFields, MeasureFields, TermFields, Text
from nollvision.plans.enums import CollaborationLevel, FigureSex, FigureUnit, Vocabulary
from nollvision.plans.figures import plain_number
from nollvision.plans.gaps import plan_body_kinds
from nollvision.plans.models import Signing, measure_code_validator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _line(label, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LINE_MAX,
        validators=[guard_line],
        widget=forms.TextInput(attrs={"maxlength": LINE_MAX}),
    )


def _area(label, required=False, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        validators=[guard_text],
        help_text=length_hint(TEXT_MAX),
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX}),
    )


def _code():
    return forms.CharField(
        label=_("Code"), max_length=20, validators=[measure_code_validator, guard_line]
    )


class TextsForm(forms.Form):
    """A form whose `<name>_sv`/`<name>_en` pairs are read as `Text`s."""

    def text(self, name: str) -> Text:
        return Text(
            self.cleaned_data.get(f"{name}_sv", ""), self.cleaned_data.get(f"{name}_en", "")
        )

    @staticmethod
    def initial_texts(**values) -> dict:
        initial = {}
        for name, value in values.items():
            text = Text.of(value)
            initial[f"{name}_sv"], initial[f"{name}_en"] = text.sv, text.en
        return initial


class PlanDetailsForm(TextsForm):
    title_sv = _line(_("Title (Swedish)"), required=True)
    title_en = _line(_("Title (English)"))
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2200)
    last_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2200)
    introduction_sv = _area(_("Introduction (Swedish)"), rows=5)
    introduction_en = _area(_("Introduction (English)"), rows=5)

    def clean(self):
        data = super().clean()
        if (
            data.get("first_year")
            and data.get("last_year")
            and data["last_year"] < data["first_year"]
        ):
            self.add_error("last_year", _("The period ends before it starts."))
        return data


class GoalForm(TextsForm):
    title_sv = _area(_("Goal (Swedish)"), required=True, rows=2)
    title_en = _area(_("Goal (English)"), rows=2)
    text_sv = _area(_("Explanation (Swedish)"))
    text_en = _area(_("Explanation (English)"))


class MeasureForm(TextsForm):
    code = _code()
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    section_sv = _line(_("Section heading (Swedish)"))
    section_en = _line(_("Section heading (English)"))
    text_sv = _area(_("Measure (Swedish)"), required=True)
    text_en = _area(_("Measure (English)"))
    prevention_levels = forms.MultipleChoiceField(
        label=_("Prevention levels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    violence_areas = forms.MultipleChoiceField(
        label=_("Violence areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave empty when the measure concerns every kind of organisation. The kinds offered "
            "are those of the plan's bodies."
        ),
    )
    change_reason_sv = _area(_("Reason for the change (Swedish)"), rows=2)
    change_reason_en = _area(_("Reason for the change (English)"), rows=2)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [
            (goal.number, f"{goal.number}. {goal.title}") for goal in plan.goals.all()
        ]
        terms = list(plan.terms.all())
        for name in (Vocabulary.PREVENTION_LEVEL, Vocabulary.VIOLENCE_AREA):
            self.fields[name].choices = [
                (term.code, str(term.label)) for term in terms if term.vocabulary == name
            ]
        # The kinds of the plan's bodies; a kind the measure names that no body has stays
        # offered (and marked) until it is taken off.
        kinds = [(kind.code, str(kind.name)) for kind in plan_body_kinds(plan)]
        offered = {code for code, _name in kinds}
        named = set(self.initial.get("organisation_kinds", [])) - offered
        kinds += [
            (kind.code, _("%(kind)s (no body of the plan)") % {"kind": kind.name})
            for kind in OrganisationKind.objects.filter(code__in=named)
        ]
        if kinds:
            self.fields["organisation_kinds"].choices = kinds
        else:  # a plan without bodies: every measure concerns every kind
            del self.fields["organisation_kinds"]
        if plan.previous_version_id is None:
            del self.fields["change_reason_sv"], self.fields["change_reason_en"]

    def measure_fields(self) -> MeasureFields:
        data = self.cleaned_data
        return MeasureFields(
            code=data["code"],
            goal=data["goal"],
            text=self.text("text"),
            section=self.text("section"),
            prevention_levels=tuple(data["prevention_levels"]),
            violence_areas=tuple(data["violence_areas"]),
            organisation_kinds=tuple(data.get("organisation_kinds", ())),
            change_reason=self.text("change_reason") if "change_reason_sv" in data else Text(""),
        )


class ReasonForm(TextsForm):
    reason_sv = _area(_("Reason (Swedish)"), required=True, rows=2)
    reason_en = _area(_("Reason (English)"), rows=2)


class SplitForm(ReasonForm):
    """Two or three measures in the place of one (a fourth and more: split again)."""

    PARTS = 3

    def __init__(self, *args, code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.PARTS + 1):
            required = number <= 2
            self.fields[f"code_{number}"] = _code()
            self.fields[f"code_{number}"].required = required
            self.fields[f"code_{number}"].label = _("Code of measure %(n)d") % {"n": number}
            self.fields[f"text_{number}_sv"] = _area(
                _("Measure %(n)d (Swedish)") % {"n": number}, required=required, rows=2
            )
            self.fields[f"text_{number}_en"] = _area(
                _("Measure %(n)d (English)") % {"n": number}, rows=2
            )
            if code and required:
                self.initial.setdefault(f"code_{number}", f"{code}{'abc'[number - 1]}")

    def clean(self):
        data = super().clean()
        for number in range(3, self.PARTS + 1):
            if bool(data.get(f"code_{number}")) != bool(data.get(f"text_{number}_sv")):
                self.add_error(
                    f"code_{number}", _("Give both the code and the text, or leave both empty.")
                )
        return data

    def parts(self) -> list[tuple[str, Text]]:
        return [
            (self.cleaned_data[f"code_{n}"], self.text(f"text_{n}"))
            for n in range(1, self.PARTS + 1)
            if self.cleaned_data.get(f"code_{n}")
        ]


class MergeForm(ReasonForm):
    measure = forms.MultipleChoiceField(
        label=_("The measures to merge"), widget=forms.CheckboxSelectMultiple
    )
    code = _code()
    text_sv = _area(_("The merged measure (Swedish)"), required=True)
    text_en = _area(_("The merged measure (English)"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [
            (measure.key, f"{measure.code} {measure.text}"[:160])
            for measure in plan.measures.order_by("goal__number", "position")
        ]
        self.order_fields(["measure"])

    def clean_measure(self):
        keys = self.cleaned_data["measure"]
        if len(keys) < 2:
            raise forms.ValidationError(_("Choose at least two measures to merge."))
        return keys


class DutyForm(TextsForm):
    group_sv = _line(_("Group heading (Swedish)"))
    group_en = _line(_("Group heading (English)"))
    text_sv = _area(_("Duty (Swedish)"), rows=2)
    text_en = _area(_("Duty (English)"), rows=2)
    stage = forms.ChoiceField(label=_("Stage of the chain"), required=False)

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        if stages:
            self.fields["stage"].choices = [("", "–"), *stages]
        else:  # the plan names no stages of the chain (yet)
            del self.fields["stage"]

    def clean(self):
        data = super().clean()
        written = any(data.get(name) for name in ("group_sv", "group_en", "text_en", "stage"))
        if written and not data.get("text_sv") and not data.get("DELETE"):
            self.add_error("text_sv", _("Write the duty in Swedish, or tick “Delete”."))
        return data

    def duty(self) -> DutyFields | None:
        if not self.cleaned_data.get("text_sv") or self.cleaned_data.get("DELETE"):
            return None
        return DutyFields(
            text=self.text("text"),
            group=self.text("group"),
            stage=self.cleaned_data.get("stage", ""),
        )


DutyFormSet = forms.formset_factory(DutyForm, extra=2, can_delete=True, max_num=200)


class ResponsibilityForm(TextsForm):
    title_sv = _line(_("Title (Swedish)"), required=True)
    title_en = _line(_("Title (English)"))


class ResponsibilityAddForm(ResponsibilityForm):
    kind = forms.ChoiceField(
        label=_("Kind of body"),
        help_text=_("The kinds of the plan's bodies that have no responsibility description."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, str(kind.name)) for kind in kinds]
        self.order_fields(["kind"])


class TermForm(TextsForm):
    """One term of a vocabulary: a code (kept once given) and its label."""

    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=50,
        validators=[code_validator],
    )
    label_sv = _line(_("Label (Swedish)"))
    label_en = _line(_("Label (English)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("code"):  # the term's identity in the plan: renamed, never recoded
            self.fields["code"].disabled = True

    def clean_code(self):
        return self.cleaned_data["code"].strip().lower()

    def clean(self):
        data = super().clean()
        written = any(data.get(name) for name in ("code", "label_en"))
        if written and not data.get("label_sv") and not data.get("DELETE"):
            self.add_error("label_sv", _("Write the term in Swedish, or tick “Delete”."))
        return data

    def term(self) -> TermFields:
        return TermFields(label=self.text("label"), code=self.cleaned_data.get("code", ""))


class BaseTermFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Place")

    def terms(self) -> list[TermFields]:
        """The terms kept and added, in the order of their places (rows without one last)."""
        return [row.term() for row in self.ordered_forms if row.cleaned_data.get("label_sv")]


TermFormSet = forms.formset_factory(
    TermForm, formset=BaseTermFormSet, extra=3, can_delete=True, can_order=True, max_num=100
)


class BodyForm(TextsForm):
    name_sv = _line(_("Name (Swedish)"), required=True)
    name_en = _line(_("Name (English)"))
    level = forms.ChoiceField(label=_("Level"), choices=CollaborationLevel.choices)
    mandate_sv = _area(_("Mandate (Swedish)"), required=True)
    mandate_en = _area(_("Mandate (English)"))


def _decimal(label, help_text):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=10**15,
        max_digits=24,
        decimal_places=6,
        localize=True,
        help_text=help_text,
    )


class FigureForm(TextsForm):
    """One of the plan's figures: a rate times a population group, or a national amount shared
    by the area's share of Sweden's population."""

    title_sv = _line(_("Title (Swedish)"), required=True)
    title_en = _line(_("Title (English)"))
    rate = _decimal(
        _("Rate"),
        _(
            "The share of the population group, for example 0.25 for a quarter. Give a rate or a "
            "national amount."
        ),
    )
    national_amount = _decimal(
        _("National amount"),
        _(
            "An amount for all of Sweden (a yearly cost, say), shared by the area's share of the "
            "population."
        ),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=FigureUnit.choices, required=False)
    rate_source = _line(_("Source of the rate"), required=True)
    certainty_sv = _area(_("How sure the figure is (Swedish)"), rows=2)
    certainty_en = _area(_("How sure the figure is (English)"), rows=2)
    inferred = forms.BooleanField(label=_("The rate is inferred, not published"), required=False)
    sex = forms.ChoiceField(label=_("Who is counted"), choices=FigureSex.choices)
    age_from = forms.IntegerField(label=_("From age"), min_value=0, max_value=150, initial=0)
    age_to = forms.IntegerField(
        label=_("To age"),
        min_value=0,
        max_value=150,
        required=False,
        help_text=_("Leave empty for no upper age."),
    )
    printed = forms.IntegerField(
        label=_("The figure the plan prints"),
        min_value=0,
        max_value=10**15,
        required=False,
        help_text=_("For the plan's own county; shown beside the calculated figure."),
    )

    def clean(self):
        data = super().clean()
        rate, amount = data.get("rate"), data.get("national_amount")
        if rate is None and amount is None and not self.has_error("rate"):
            self.add_error("rate", _("Give a rate or a national amount."))
        elif rate is not None and amount is not None:
            self.add_error("national_amount", _("Give a rate or a national amount, not both."))
        first, last = data.get("age_from"), data.get("age_to")
        if first is not None and last is not None and last < first:
            self.add_error("age_to", _("The age band ends before it starts."))
        return data

    @staticmethod
    def initial_of(figure) -> dict:
        initial = TextsForm.initial_texts(
            title=dict(figure.title), certainty=dict(figure.certainty)
        )
        for name in ("unit", "rate_source", "inferred", "sex", "age_from", "age_to", "printed"):
            initial[name] = getattr(figure, name)
        for name in ("rate", "national_amount"):  # 0.25, not 0.250000
            value = getattr(figure, name)
            initial[name] = None if value is None else plain_number(value)
        return initial

    def figure_fields(self) -> FigureFields:
        data = self.cleaned_data
        return FigureFields(
            title=self.text("title"),
            rate=data["rate"],
            national_amount=data["national_amount"],
            unit=data["unit"],
            rate_source=data["rate_source"],
            certainty=self.text("certainty"),
            inferred=data["inferred"],
            sex=data["sex"],
            age_from=data["age_from"],
            age_to=data["age_to"],
            printed=data["printed"],
        )


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)


class SigningForm(forms.ModelForm):
    organisation = forms.TypedChoiceField(label=_("Signatory"), coerce=int)

    class Meta:
        model = Signing
        fields = ["signed_by", "role", "signed_on"]
        widgets = {"signed_on": DATE}

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(body.pk, str(body)) for body in bodies]
        self.order_fields(["organisation"])
        for name in ("signed_by", "role", "signed_on"):  # a signing recorded here names all three
            self.fields[name].required = True
