"""Fast HTML for the answer form's measure fields.

The answer page shows some 40 measures with nine fields each. Rendering every field through
Django's field and widget templates cost about 150 ms a page; this writes the same accessible
markup (label, widget, errors with aria-describedby and aria-invalid) directly.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _errors(bound) -> tuple[str, str]:
    if not bound.errors:
        return "", ""
    error_id = f"{bound.auto_id}_error"
    html = format_html(
        '<ul class="errorlist" id="{}">{}</ul>',
        error_id,
        format_html_join("", "<li>{}</li>", ((e,) for e in bound.errors)),
    )
    return html, error_id


def _help(bound) -> tuple[str, str]:
    if not bound.help_text:
        return "", ""
    help_id = f"{bound.auto_id}_help"
    return format_html('<p class="help" id="{}">{}</p>', help_id, bound.help_text), help_id


def _attrs(bound, error_id: str, help_id: str = "") -> str:
    attrs = format_html(' name="{}" id="{}"', bound.html_name, bound.auto_id)
    described = " ".join(i for i in (help_id, error_id) if i)
    if error_id:
        attrs += format_html(' aria-invalid="true"')
    if described:
        attrs += format_html(' aria-describedby="{}"', described)
    maxlength = bound.field.widget.attrs.get("maxlength")
    if maxlength:
        attrs += format_html(' maxlength="{}"', maxlength)
    if bound.field.disabled:
        attrs += mark_safe(" disabled")
    return attrs


def _value(bound):
    value = bound.value()
    return "" if value is None else value


def render_field(bound) -> str:
    """One field as a `div.field`: label, widget, errors."""
    errors, error_id = _errors(bound)
    help_html, help_id = _help(bound)
    widget = bound.field.widget
    attrs = _attrs(bound, error_id, help_id)
    if isinstance(widget, forms.HiddenInput):
        return format_html('<input type="hidden"{} value="{}">', attrs, _value(bound))
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        if not bound.field.choices:
            return ""  # nothing to choose from (a plan without that vocabulary): left out
        value = bound.value()
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(v) for v in values if v not in (None, "")}
        boxes = format_html_join(
            "",
            (
                '<div><label for="{0}_{1}"><input type="{7}" name="{2}" value="{3}" '
                'id="{0}_{1}"{4}{5}> {6}</label></div>'
            ),
            (
                (
                    bound.auto_id,
                    index,
                    bound.html_name,
                    code,
                    " checked" if str(code) in selected else "",
                    " disabled" if bound.field.disabled else "",
                    label,
                    widget.input_type,
                )
                for index, (code, label) in enumerate(bound.field.choices)
            ),
        )
        described = format_html(' aria-describedby="{}"', error_id) if error_id else ""
        return format_html(
            '<div class="field"><fieldset{}><legend>{}</legend>{}</fieldset>{}</div>',
            described,
            bound.label,
            boxes,
            errors,
        )
    label = format_html('<label for="{}">{}</label>', bound.auto_id, bound.label)
    if isinstance(widget, forms.CheckboxInput):
        checked = " checked" if bound.value() else ""
        control = format_html('<input type="checkbox"{}{}>', attrs, checked)
        return format_html(
            '<div class="field field--checkbox">{} {}{}</div>', control, label, errors
        )
    if isinstance(widget, forms.Select):
        current = str(_value(bound))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, " selected" if str(code) == current else "", text)
                for code, text in bound.field.choices
            ),
        )
        control = format_html("<select{}>{}</select>", attrs, options)
    elif isinstance(widget, forms.Textarea):
        # The newline after the tag keeps a leading newline of the text, as Django's widget does.
        control = format_html(
            '<textarea{} rows="{}">\n{}</textarea>',
            attrs,
            widget.attrs.get("rows", 3),
            _value(bound),
        )
    else:
        value = widget.format_value(bound.value())
        control = format_html(
            '<input type="{}"{} value="{}">',
            widget.input_type,
            attrs,
            "" if value is None else value,
        )
    return format_html('<div class="field">{}{}{}{}</div>', label, control, help_html, errors)


@register.simple_tag
def fast_field(bound):
    return render_field(bound)
