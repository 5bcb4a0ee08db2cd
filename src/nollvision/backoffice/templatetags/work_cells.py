"""Fast HTML for the measure matrix's cells.

The matrix has a cell per measure and body (some 40 by 15); each through the template language
(a URL, two conditions, four lookups) cost more than the rest of the page. This writes the same
markup directly: every value is escaped once (a body's answer address once a page, a state's
symbol and label once a page, the measure's code once a row) and the cells are joined as text.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from nollvision.followup.selectors import CELL_SYMBOLS, cell_label

register = template.Library()

EMPTY = '<td class="wm-cell"></td>'
_LINK = (
    '<td class="wm-cell"><a class="wm wm--{state}" href="{url}?open=m{pk}#m{pk}">'
    '<span aria-hidden="true">{symbol}</span><span class="visually-hidden">{code}: {label}</span>'
    "</a></td>"
)
_PLAIN = (
    '<td class="wm-cell"><span class="wm wm--{state}" title="{label}"><span aria-hidden="true">'
    '{symbol}</span><span class="visually-hidden">{code}: {label}</span></span></td>'
)


@register.simple_tag(takes_context=True)
def matrix_row(context, measure, cells, readable, prioritised):
    """A row: the measure (with its prioritised periods) and its cells."""
    from django.utils.translation import gettext as _

    tags = "".join(
        f' <span class="tag tag--priority">{escape(_("Prioritised %(period)s") % {"period": p})}'
        "</span>"
        for p in ((prioritised or {}).get(measure.key) or ())
    )
    head = f'<th scope="row" title="{escape(measure.text)}">{escape(measure.code)}{tags}</th>\n    '
    return mark_safe(head + matrix_cells(context, measure, cells, readable))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def matrix_cells(context, measure, cells, readable):
    """A row's cells: a link to the answer where the viewer may open it, else the state only;
    an empty cell where the measure does not concern the body."""
    memo = context.render_context.setdefault("matrix_cells", {"urls": {}, "states": {}})
    urls, states = memo["urls"], memo["states"]
    code = escape(measure.code)
    html = []
    for cell in cells:
        if cell is None:
            html.append(EMPTY)
            continue
        if cell.state not in states:
            states[cell.state] = {
                "state": escape(cell.state or "none"),
                "symbol": escape(CELL_SYMBOLS.get(cell.state, "?")),
                "label": escape(cell_label(cell.state)),
            }
        parts = states[cell.state]
        pk = int(cell.answer_id)
        if cell.response_id in readable:
            if cell.response_id not in urls:
                urls[cell.response_id] = escape(
                    reverse("backoffice:response", args=[cell.response_id])
                )
            html.append(_LINK.format(url=urls[cell.response_id], pk=pk, code=code, **parts))
        else:
            html.append(_PLAIN.format(pk=pk, code=code, **parts))
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
