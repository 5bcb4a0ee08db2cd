"""Choosing organisations where several counties' bodies can appear together: each county has a
"Polismyndigheten" and an "Åklagarmyndigheten", so a name that is not unique among the choices
carries its county ("Polismyndigheten (Jämtlands län)")."""

from collections import Counter

from django import forms
from django.utils.translation import gettext_lazy as _


def labelled(organisation, repeated: set[str]) -> str:
    if organisation.name in repeated and organisation.region_id:
        return f"{organisation.name} ({organisation.region.name})"
    return organisation.name


def repeated_names(organisations) -> set[str]:
    counts = Counter(o.name for o in organisations)
    return {name for name, n in counts.items() if n > 1}


class _LabelMixin:
    def label_from_instance(self, obj):
        if getattr(self, "_repeated", None) is None:
            self._repeated = repeated_names(self.queryset.select_related("region"))
        return labelled(obj, self._repeated)

    def _set_queryset(self, queryset):
        self._repeated = None
        super()._set_queryset(queryset.select_related("region") if queryset is not None else None)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


CHOOSE = _("– choose an organisation –")


class OrganisationChoiceField(_LabelMixin, forms.ModelChoiceField):
    def __init__(self, *args, empty_label=CHOOSE, **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)


class OrganisationMultipleChoiceField(_LabelMixin, forms.ModelMultipleChoiceField):
    pass
