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
        queryset=Area.objects.exclude(level="nation").order_by("code"),
        required=False,
        empty_label=_("All of Sweden (national)"),
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
            "opening_hours",
            "url",
            "languages",
            "emergency",
            "last_verified",
            "source",
        ]
        widgets = {"last_verified": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
