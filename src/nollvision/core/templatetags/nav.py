"""Marks the menu's link to the page a person is on, for screen readers and the eye."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def current(context, url: str) -> SafeString:
    """` aria-current="page"` on the link to this very page, ` aria-current="true"` on the
    link to the section the page is in (a support page under "Get support"), else nothing."""
    request = context.get("request")
    if request is None or not url:
        return SafeString("")
    path = request.path
    if path == url:
        return format_html(' aria-current="{}"', "page")
    if url not in ("/", "/en/") and path.startswith(url):
        return format_html(' aria-current="{}"', "true")
    return SafeString("")
