from urllib.parse import urlsplit

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
            translate_url(_page_path(request), code),
        )
        for code, _name in settings.LANGUAGES
        if code != current
    ]
    return {
        "language_links": links,
        "quick_exit_url": settings.NOLLVISION_QUICK_EXIT_URL,
        "county_links": county_links(current_plan_slug(request)),
    }


def _page_path(request) -> str:
    """The address the language link changes: this page, or, on a page answering a POST (a
    confirmation, a form with errors), the page the form was sent from, since the POST's own
    address cannot be opened again."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"
