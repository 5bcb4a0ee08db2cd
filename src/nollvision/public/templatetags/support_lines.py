"""The lines to call on every page that opens with help, before a municipality is chosen."""

from django import template

from nollvision.support.selectors import around_the_clock_lines

register = template.Library()


@register.inclusion_tag("public/_call_list.html")
def around_the_clock():
    return {"services": around_the_clock_lines(), "around_the_clock": True}
