"""Fast HTML for the answer form's measure fields, and for the head of each measure.

The answer page shows some 40 measures with nine fields each. Rendering every field through
Django's field and widget templates cost about 150 ms a page; this writes the same accessible
markup (label, widget, errors with aria-describedby and aria-invalid) directly. Every value is
escaped with the standard library's `html.escape` (what Django's `escape` does, without its
checks for lazy text on every call), and what is the same for every measure of a page (a
field's label, its choices) is escaped once a page (`memo`, kept in the template's render
context).
"""

from html import escape as _escape

from django import forms, template
from django.utils.safestring import SafeData, mark_safe

from nollvision.followup.services import MEASURE_FIELDS

register = template.Library()


def _e(value) -> str:
    """Escape like Django's conditional_escape: text already marked safe is kept as it is."""
    if isinstance(value, SafeData):
        return str(value)
    return _escape(str(value), quote=True)


def _errors(bound, auto_id: str) -> tuple[str, str]:
    errors = bound.form.errors.get(bound.name) if bound.form.is_bound else None
    if not errors:
        return "", ""
    error_id = f"{auto_id}_error"
    items = "".join(f"<li>{_e(e)}</li>" for e in errors)
    return f'<ul class="errorlist" id="{_e(error_id)}">{items}</ul>', error_id


def _attrs(bound, auto_id: str, error_id: str, help_id: str = "") -> str:
    attrs = f' name="{_e(bound.html_name)}" id="{_e(auto_id)}"'
    described = " ".join(i for i in (help_id, error_id) if i)
    if error_id:
        attrs += ' aria-invalid="true"'
    if described:
        attrs += f' aria-describedby="{_e(described)}"'
    maxlength = bound.field.widget.attrs.get("maxlength")
    if maxlength:
        attrs += f' maxlength="{_e(maxlength)}"'
    if bound.field.disabled:
        attrs += " disabled"
    return attrs


def _value(bound):
    value = bound.value()
    return "" if value is None else value


def _static(bound, memo) -> dict:
    """What is the same for this field on every measure of the page: label and choices."""
    key = (type(bound.form), bound.name)
    if memo is not None and key in memo:
        return memo[key]
    field = bound.field
    help_text = bound.help_text
    parts = {"label": _e(bound.label), "help": _e(help_text) if help_text else ""}
    if isinstance(field.widget, forms.RadioSelect | forms.Select):
        parts["choices"] = [(str(code), _e(code), _e(label)) for code, label in field.choices]
    if memo is not None:
        memo[key] = parts
    return parts


def render_field(bound, memo: dict | None = None) -> str:
    """One field as a `div.field`: label, widget, errors."""
    auto_id = bound.auto_id
    errors, error_id = _errors(bound, auto_id)
    widget = bound.field.widget
    if isinstance(widget, forms.HiddenInput):
        attrs = _attrs(bound, auto_id, error_id)
        return mark_safe(f'<input type="hidden"{attrs} value="{_e(_value(bound))}">')  # noqa: S308 - escaped above
    static = _static(bound, memo)
    help_id = f"{auto_id}_help" if static["help"] else ""
    help_html = f'<p class="help" id="{_e(help_id)}">{static["help"]}</p>' if help_id else ""
    attrs = _attrs(bound, auto_id, error_id, help_id)
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        if not static["choices"]:
            return ""  # nothing to choose from (a plan without that vocabulary): left out
        value = bound.value()
        values = value if isinstance(value, list | tuple) else [value]
        selected = {str(v) for v in values if v not in (None, "")}
        name, box_id = _e(bound.html_name), _e(auto_id)
        disabled = " disabled" if bound.field.disabled else ""
        kind = _e(widget.input_type)
        boxes = "".join(
            f'<div><label for="{box_id}_{index}"><input type="{kind}" name="{name}" '
            f'value="{code}" id="{box_id}_{index}"{" checked" if raw in selected else ""}'
            f"{disabled}> {label}</label></div>"
            for index, (raw, code, label) in enumerate(static["choices"])
        )
        described = f' aria-describedby="{_e(error_id)}"' if error_id else ""
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="field"><fieldset{described}><legend>{static["label"]}</legend>'
            f"{boxes}</fieldset>{errors}</div>"
        )
    label = f'<label for="{_e(auto_id)}">{static["label"]}</label>'
    if isinstance(widget, forms.CheckboxInput):
        checked = " checked" if bound.value() else ""
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="field field--checkbox"><input type="checkbox"{attrs}{checked}> '
            f"{label}{errors}</div>"
        )
    if isinstance(widget, forms.Select):
        current = str(_value(bound))
        options = "".join(
            f'<option value="{code}"{" selected" if raw == current else ""}>{text}</option>'
            for raw, code, text in static["choices"]
        )
        control = f"<select{attrs}>{options}</select>"
    elif isinstance(widget, forms.Textarea):
        # The newline after the tag keeps a leading newline of the text, as Django's widget does.
        rows = _e(widget.attrs.get("rows", 3))
        control = f'<textarea{attrs} rows="{rows}">\n{_e(_value(bound))}</textarea>'
    else:
        value = widget.format_value(bound.value())
        control = f'<input type="{_e(widget.input_type)}"{attrs} value="{_e("" if value is None else value)}">'
    return mark_safe(f'<div class="field">{label}{control}{help_html}{errors}</div>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def fast_field(context, bound):
    return render_field(bound, context.render_context.setdefault("fast_field", {}))


def _words(memo: dict, year) -> dict[str, str]:
    """The editor's fixed words, translated and escaped once a page."""
    key = ("measure_editor", year)
    if key not in memo:
        from django.utils.translation import gettext as _

        memo[key] = {
            "save": _e(_("Save and stay here")),
            "confirm": _e(_("Confirm as checked")),
            "copy": _e(_("Copy the answer of %(year)s") % {"year": year}),
            "previous": _e(_("The accepted answer of %(year)s") % {"year": year}),
            "copied": _(
                "Copied from the answer of %(year)s: check it and change what differs this "
                "year, or confirm it as it is."
            ),
        }
    return memo[key]


def _lines(text) -> str:
    """Like the `linebreaksbr` filter: escaped, each line break a <br>."""
    return _e(text).replace("\r\n", "\n").replace("\n", "<br>")


PREVIOUS_TEXTS = ("not_relevant_reason", "done", "target_groups", "child_rights", "next_steps")


def _previous_rows(item, memo: dict) -> list[tuple[str, str]]:
    """(label, text) of last year's answer as HTML, escaped (the status and every text given),
    with the labels and status names translated once a page."""
    if "previous_labels" not in memo:
        fields = item.form.fields
        memo["previous_labels"] = {
            name: _e(fields[name].label) for name in ("status", *PREVIOUS_TEXTS)
        }
        memo["status_names"] = {}
    labels, names = memo["previous_labels"], memo["status_names"]
    previous = item.previous
    if previous.status not in names:
        names[previous.status] = _e(previous.get_status_display() or "–")
    rows = [(labels["status"], names[previous.status])]
    for name in PREVIOUS_TEXTS:
        text = getattr(previous, name)
        if text:
            rows.append((labels[name], _lines(text)))
    return rows


@register.simple_tag(takes_context=True)
def measure_editor(context, item, previous_year=None):
    """One measure's part of the answer form: the copied mark with its confirmation, last
    year's answer to copy from, the fields and the button that saves and stays there."""
    memo = context.render_context.setdefault("fast_field", {})
    words = _words(memo, previous_year)
    answer, form = item.answer, item.form
    code = f'<span class="visually-hidden"> ({_e(answer.measure.code)})</span>'
    anchor = _e(item.anchor)
    html = []
    if answer.copied_from_year:
        note = _e(words["copied"] % {"year": answer.copied_from_year})
        html.append(
            f'<p class="copied-note">{note}\n        <button type="submit" name="confirm" '
            f'value="{anchor}" class="secondary">{words["confirm"]}{code}</button></p>'
        )
    if item.previous is not None:
        copy = (
            f'<button type="submit" name="copy" value="{anchor}" class="secondary">'
            f"{words['copy']}{code}</button>"
            if not answer.status
            else ""
        )
        rows = "".join(
            f"<dt>{label}</dt><dd>{text}</dd>" for label, text in _previous_rows(item, memo)
        )
        html.append(
            f'<div class="previous-answer">{copy}<details><summary>{words["previous"]}{code}'
            f'</summary><dl class="answer-read">{rows}</dl></details></div>'
        )
    html.append(render_field(form["version"], memo))
    fields = "\n".join(render_field(form[name], memo) for name in MEASURE_FIELDS)
    html.append(f'<div class="answer-grid">\n{fields}\n</div>')
    html.append(
        f'<p class="measure-answer__save"><button type="submit" name="return_to" '
        f'value="{anchor}" class="secondary">{words["save"]}{code}</button></p>'
    )
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped


def _head_words(memo: dict) -> dict[str, str]:
    """The fixed words of a measure's head, translated and escaped once a page."""
    if "measure_head" not in memo:
        from django.utils.translation import gettext as _

        memo["measure_head"] = {
            "copied": _e(_("copied, check")),
            "comments": _e(_("Comments from review")),
            "held": _("Held by %(who)s"),
        }
    return memo["measure_head"]


@register.simple_tag(takes_context=True)
def measure_head(context, item, editable):
    """A measure's part of the answer page down to its answer: the folded line (code, the
    measure's first words, its state, the copied mark), the opening of its body with the whole
    measure, the reviewer's comments and who holds it. Written here, not in the template, for
    the same reason as the fields: it repeats for every measure of the page."""
    from django.utils.formats import date_format
    from django.utils.text import Truncator
    from django.utils.timezone import template_localtime

    memo = context.render_context.setdefault("fast_field", {})
    words = _head_words(memo)
    answer = item.answer
    measure = answer.measure
    state = _e(item.state)
    opened = " open" if item.open or not editable else ""
    copied = (
        f' <span class="chip chip--copied">{words["copied"]}</span>'
        if answer.copied_from_year
        else ""
    )
    html = [
        f'<details class="measure-answer state-{state}"{opened}>\n'
        f'    <summary><span class="measure__code">{_e(measure.code)}</span> '
        f'<span class="measure-answer__text">{_e(Truncator(measure.text).words(24, truncate=" …"))}</span>\n'
        f'      <span class="chip chip--{state}">{_e(item.chip)}</span>{copied}</summary>\n'
        f'    <div class="measure-answer__body" id="{_e(item.anchor)}" tabindex="-1">\n'
        f'      <p class="measure-answer__full">{_e(measure.text)}</p>'
    ]
    if item.comments:
        comments = "".join(
            f'<li>{_e(c.text)} <span class="muted">– {_e(c.author)}, '
            f"{_e(date_format(template_localtime(c.created_at), 'SHORT_DATE_FORMAT'))}</span></li>"
            for c in item.comments
        )
        html.append(f'<div class="comments"><h3>{words["comments"]}</h3><ul>{comments}</ul></div>')
    if answer.assignee:
        held = _e(words["held"] % {"who": answer.assignee})
        html.append(f'<p class="muted">{held}</p>')
    return mark_safe("\n".join(html))  # noqa: S308 - every value above is escaped
