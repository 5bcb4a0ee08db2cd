"""Every PDF and every chart picture of the platform is made here: WeasyPrint for the documents,
CairoSVG for the charts of the Word files.

Both are pure functions of their input and cost seconds of CPU, so the last few results are kept
in memory: the same page (a publication's public edition when it holds what the full one holds,
a plan document asked for twice, a report published again unchanged) is laid out once per
process. The key is the whole input, so a changed letter makes a new file."""

from functools import lru_cache
from io import BytesIO

# Each entry holds a document's HTML and its PDF (a few hundred kilobytes each at county scale).
_KEPT = 8


def html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    """A tagged PDF (structure tree, language, title), so screen readers can follow it;
    `archival` also makes it PDF/A-3a, for the archive."""
    return _pdf(html, archival)


@lru_cache(maxsize=_KEPT)
def _pdf(html: str, archival: bool) -> bytes:
    from weasyprint import HTML  # loaded on use: it needs Pango, and costs a second to import

    variant = {"pdf_variant": "pdf/a-3a"} if archival else {}
    return HTML(string=html).write_pdf(pdf_tags=True, **variant)


def svg_to_png(svg: str) -> BytesIO:
    """The chart as a PNG at twice its size, for the Word files."""
    return BytesIO(_png(svg))


@lru_cache(maxsize=4 * _KEPT)
def _png(svg: str) -> bytes:
    import cairosvg  # loaded on use, as the spreadsheet and Word libraries: each costs a start-up

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2)


def forget() -> None:
    """Drop what is kept: the next call lays out again (for a check of WeasyPrint's own log)."""
    _pdf.cache_clear()
    _png.cache_clear()
