"""Text shown in a language other than the page's says so to screen readers."""

from django import template
from django.utils.html import format_html

from nollvision.core.translated import PRIMARY_LANGUAGE, Translated

register = template.Library()


@register.filter
def own_language(value):
    """A translated text as the page shows it, inside `<span lang="sv">` where the page's
    language has no text of its own and the Swedish is shown: read aloud in Swedish, not as
    English words."""
    if isinstance(value, Translated) and value.is_fallback:
        return format_html('<span lang="{}">{}</span>', PRIMARY_LANGUAGE, value.get_text())
    return value
