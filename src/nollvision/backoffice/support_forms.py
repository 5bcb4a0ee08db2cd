from django import forms
from django.utils.translation import gettext_lazy as _

from nollvision.indicators.models import Area
from nollvision.support.models import Need, SupportService


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
