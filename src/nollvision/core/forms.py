"""One way to render forms across the site: labels above their fields, help text and errors
in place (tied to the field with aria-describedby), grouped choices as fieldsets."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
