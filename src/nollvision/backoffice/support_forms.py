from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.models import OrganisationKind
from nollvision.indicators.models import Area
from nollvision.support.models import Need, Situation, Step, SupportService


class ServiceForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Needs it meets"), choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    area = forms.ModelChoiceField(
        label=_("County or municipality"),
        queryset=Area.objects.none(),
        help_text=_(
            "Your county as a whole, or one of its municipalities. National services are shared "
            "by every county and kept by the platform's administrators."
        ),
    )

    class Meta:
        model = SupportService
        fields = [
            "key",
            "name",
            "for_whom",
            "needs",
            "area",
            "phone",
            "phone_source",
            "phone_checked",
            "hours",
            "hours_note",
            "hours_source",
            "hours_checked",
            "hours_as_of",
            "operator",
            "operator_source",
            "operator_checked",
            "url",
            "languages",
            "emergency",
            "last_verified",
            "source",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in (
                "last_verified",
                "phone_checked",
                "hours_checked",
                "hours_as_of",
                "operator_checked",
            )
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class SituationForm(forms.ModelForm):
    """A situation of the professionals' guide: its identifier (the end of its public address),
    title and introduction, each in Swedish and, optionally, English."""

    class Meta:
        model = Situation
        fields = ["title", "introduction", "key"]
        help_texts = {
            "key": _(
                "The end of the page's address, for example “barn”. Left empty, it is made from "
                "the title. Small letters a–z, digits and hyphens; changing it changes the "
                "address."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False

    def clean_key(self):
        """An empty identifier is made from the Swedish title ("Barn som far illa" gives
        "barn-som-far-illa")."""
        key = self.cleaned_data.get("key")
        if key:
            return key
        title = self.data.get(self.add_prefix("title") + "_0", "") or ""
        return slugify(title)[:100]


class StepForm(forms.ModelForm):
    """A step of a situation: the stage of the plan's chain, the kind of body that acts (or every
    body), what to do, and words that pick the duties it links."""

    stage = forms.ChoiceField(label=_("Stage of the chain"))
    organisation_kind = forms.ModelChoiceField(
        label=_("Who acts"),
        queryset=OrganisationKind.objects.none(),
        required=False,
        empty_label=_("Every body"),
        help_text=_("The kind of body whose duties the step links."),
    )

    class Meta:
        model = Step
        fields = ["stage", "organisation_kind", "text", "duty_contains"]

    def __init__(self, *args, stages: list[tuple[str, str]], kinds, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(stages)
        current = self.instance.stage if self.instance.pk else ""
        if current and current not in dict(choices):
            # A stage the plan no longer has: shown so that the step can keep it.
            choices.append((current, current))
        self.fields["stage"].choices = [("", _("– choose a stage –")), *choices]
        if self.instance.organisation_kind_id:
            kinds = OrganisationKind.objects.filter(
                Q(pk__in=kinds.values("pk")) | Q(pk=self.instance.organisation_kind_id)
            )
        self.fields["organisation_kind"].queryset = kinds.order_by("code")
