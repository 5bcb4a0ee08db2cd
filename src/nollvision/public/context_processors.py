from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from .county import county_links, current_plan_slug


def site(request):
    """Language links (the language is in the URL: no cookie) and the quick-exit target."""
    current = translation.get_language()
    links = [
        (
            code,
            translation.get_language_info(code)["name_local"].capitalize(),
            translate_url(request.get_full_path(), code),
        )
        for code, _name in settings.LANGUAGES
        if code != current
    ]
    return {
        "language_links": links,
        "quick_exit_url": settings.NOLLVISION_QUICK_EXIT_URL,
        "county_links": county_links(current_plan_slug(request)),
    }
