"""No raw identifiers on public pages (issue 25, item 7): what a visitor reads on a public page
names things, never shows an identifier such as a plan's slug, a body's key or an indicator's
code (used by test_public_face_published.py, which crawls the default county's pages).

The identifiers are read from the database (every slug, key and code field of our models), and
only those that cannot be ordinary words are looked for: lower-case parts joined by hyphens
(`vasternorrland-2022-2026`, `regional-samverkansgrupp`, `anmalda-valdsbrott`). They are looked
for in the text a visitor reads (text nodes and the page's title), not in addresses or
attributes, where identifiers belong."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models

SLUG_LIKE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
IDENTIFIER_FIELDS = {"slug", "key", "code", "plan_slug"}
# Not pages: the back office, accounts, the API, the quick exit, static files and downloads.
SKIPPED = ("/arbete/", "/konto/", "/admin/", "/api/", "/lamna/", "/static/", "/media/", "/i18n/")
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx|ics|csv|json)$|/dokument\.")


class _Text(HTMLParser):
    """The text a visitor reads, and the links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def identifiers() -> set[str]:
    """Every slug-like value of a slug, key or code field of our models."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("nollvision."):
            continue
        for field in model._meta.concrete_fields:
            if field.name in IDENTIFIER_FIELDS and isinstance(field, models.CharField):
                values = model._default_manager.values_list(field.name, flat=True).distinct()
                found |= {value for value in values if value and SLUG_LIKE.match(value)}
    return found


def raw_identifiers(text: str, known: set[str]) -> set[str]:
    """The known identifiers that stand as words of `text` (a web address's host, such as
    kvinnofridslinjen.se, is not one)."""
    words = set(re.findall(r"(?<![\w.])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-]|\.[a-z])", text))
    return words & known


def crawl(client, start: str = "/") -> dict[str, str]:
    """Every public page of the site reachable by links from `start` without leaving its
    language: address -> the text a visitor reads."""
    seen, queue, texts = {start}, [start], {}
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        assert response.status_code == 200, path
        parser = _Text()
        parser.feed(response.content.decode())
        texts[path] = " ".join(parser.parts)
        for href in parser.links:
            link = urldefrag(href)[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/"):
                continue
            if link.startswith("/en/") or link.startswith(SKIPPED) or DOWNLOAD.search(parts.path):
                continue
            if "utskrift" in parts.query:  # the frozen print file: what the frame shows
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return texts
