"""A published report's public HTML edition inside the site's frame (quick exit, menu,
language): the frozen file stays byte for byte as it was published (the print version); the
public page shows the same content, taken from that file, in the site's page.

The frozen file is our own template's output (reports/report.html, reports/annex.html), so its
body is taken as it is, with two changes that a page inside the site needs: its <main> becomes a
<div> (the site's page has its own main landmark), and every table not already in a scrolling
.table-wrap gets one (a phone is narrower than the report's tables)."""

import re
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from .documents import FORMATS

# The formats whose public file is a page shown in the browser, and the part each is.
FRAMED = {"html": "report", "bilaga.html": "annex"}

_BODY = re.compile(r"<body[^>]*>(?P<body>.*)</body>", re.S)
_TITLE = re.compile(r"<title>(?P<title>.*?)</title>", re.S)
_LANG = re.compile(r"<html[^>]*\blang=\"(?P<lang>[a-zA-Z-]+)\"")
_TABLE = re.compile(
    r"(?P<before><div class=\"table-wrap\">\s*)?(?P<table><table\b.*?</table>)", re.S
)


@dataclass(frozen=True)
class FramedReport:
    publication: object
    fmt: str
    title: SafeString  # the file's own title (escaped as in the file)
    body: SafeString
    language: str  # the language the report was published in

    @property
    def is_annex(self) -> bool:
        return FRAMED[self.fmt] == "annex"


def _wrapped(match: re.Match) -> str:
    if match.group("before"):
        return match.group(0)
    return f'<div class="table-wrap">{match.group("table")}</div>'


def framed_body(data: bytes) -> tuple[str, str, str]:
    """(title, body, language) of a frozen report page, the body ready to sit in the site's
    page."""
    text = data.decode("utf-8")
    body = _BODY.search(text)
    title = _TITLE.search(text)
    language = _LANG.search(text)
    inner = body.group("body") if body else ""
    inner = re.sub(r"<main(\s[^>]*)?>", '<div class="report-frame__main">', inner)
    inner = inner.replace("</main>", "</div>")
    inner = _TABLE.sub(_wrapped, inner)
    return (
        title.group("title").strip() if title else "",
        inner,
        language.group("lang") if language else "sv",
    )


def framed_report(publication, fmt: str) -> FramedReport | None:
    """The public edition's page `fmt` of a publication, to show in the site's frame; None when
    there is none (no such publication, format or public edition)."""
    if publication is None or fmt not in FRAMED:
        return None
    stored = getattr(publication, FORMATS[fmt].field_of(public=True))
    if not stored:
        return None
    with stored.open("rb") as file:
        title, body, language = framed_body(file.read())
    # The file is our own template's rendering, escaped when it was made: shown as it is.
    return FramedReport(publication, fmt, mark_safe(title), mark_safe(body), language)  # noqa: S308
