"""The site's select template (core/templates/django/forms/widgets/select.html) writes Django's
default option in place instead of two includes per option: the markup must stay exactly
Django's, for every kind of select."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

pytestmark = pytest.mark.unit


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Alla"), *((str(i), f'Val <{i}> & "x"') for i in range(12))]
    )
    grouped = forms.ChoiceField(
        choices=[("Län", [("22", "Västernorrland"), ("23", "Jämtland")]), ("Riket", [("0", "0")])]
    )
    several = forms.MultipleChoiceField(
        choices=[(str(i), str(i)) for i in range(5)], widget=forms.SelectMultiple
    )
    unknown = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True)


@pytest.mark.parametrize("name", list(Choices.base_fields))
def test_every_select_renders_as_djangos_own(name):
    initial = {"plain": "3", "grouped": "23", "several": ["1", "4"], "unknown": True}
    ours = Choices(initial=initial)[name].as_widget()
    djangos = Choices(initial=initial, renderer=DjangoTemplates())[name].as_widget()
    assert ours == djangos
    assert "<option" in ours
    assert "selected" in ours or name == "disabled"


def test_the_site_renders_selects_with_its_own_template():
    from django.forms.renderers import get_default_renderer

    template = get_default_renderer().get_template("django/forms/widgets/select.html")
    assert "nollvision/core/templates" in template.origin.name
