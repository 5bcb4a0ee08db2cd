"""Absolute addresses in e-mail: one configured base (`NOLLVISION_BASE_URL`) and a path from
`reverse`, joined with exactly one slash."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def base_url(given: str = "") -> str:
    """The site's address without a trailing slash: the one a request gave, else the configured
    one."""
    return (given or settings.NOLLVISION_BASE_URL).rstrip("/")


def absolute(path: str, *, base: str = "") -> str:
    return base_url(base) + "/" + path.lstrip("/")


def site_path(name: str, *args) -> str:
    """A page's path in the site's language, whatever the language of the page that made the
    move: the person who opens the link reads it in their own (the language switch keeps it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def absolute_reverse(name: str, *args, base: str = "") -> str:
    return absolute(site_path(name, *args), base=base)
