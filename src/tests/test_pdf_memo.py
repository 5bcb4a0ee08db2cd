"""The PDFs and chart pictures are laid out once per input (core/pdf.py): the same page asked for
again is the same file without a second layout, and any change in the page is a new layout."""

import io

import pytest
from pypdf import PdfReader

from nollvision.core import pdf

from .helpers import pdf_text

pytestmark = pytest.mark.unit

PAGE = '<html lang="sv"><head><title>Rapport</title></head><body><h1>{}</h1></body></html>'


def _text(data: bytes) -> str:
    return "".join(pdf_text(data))


def _pdfa_part(data: bytes):
    xmp = PdfReader(io.BytesIO(data)).xmp_metadata
    return xmp.pdfaid_part if xmp else None


def test_the_same_page_is_laid_out_once_and_a_changed_one_again():
    pdf.forget()
    first = pdf.html_to_pdf(PAGE.format("Uppföljning 2025"))
    again = pdf.html_to_pdf(PAGE.format("Uppföljning 2025"))
    changed = pdf.html_to_pdf(PAGE.format("Uppföljning 2026"))
    archival = pdf.html_to_pdf(PAGE.format("Uppföljning 2025"), archival=True)
    assert again == first
    assert pdf._pdfs.misses == 3  # the repeat alone came from memory
    assert "2025" in _text(first)
    assert "2026" in _text(changed)
    assert "2025" not in _text(changed)
    assert _pdfa_part(archival) == "3"
    assert _pdfa_part(first) is None
    pdf.forget()
    assert len(pdf._pdfs.items) == 0


def test_a_chart_picture_is_made_once_per_drawing():
    pdf.forget()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="10"><rect width="{0}" height="10"/></svg>'
    small, same, wide = (pdf.svg_to_png(svg.format(w)).getvalue() for w in (10, 10, 40))
    assert small == same
    assert small.startswith(b"\x89PNG")
    assert wide != small
    assert pdf._pngs.misses == 2


def test_documents_laid_out_ahead_come_from_other_processes_and_are_the_same_pages(settings):
    """A publication's PDFs are laid out side by side in the pool while the caller goes on; the
    caller then takes each finished file. A page already kept is not started again."""
    pdf.forget()
    settings.NOLLVISION_PDF_PROCESSES = 2
    pages = [PAGE.format("Rapport 2025"), PAGE.format("Bilaga 2025")]
    assert pdf.lay_out_ahead([*pages, pages[0]], archival=True) == 2
    report, annex = (pdf.html_to_pdf(page, archival=True) for page in pages)
    assert (pdf._pdfs.elsewhere, pdf._pdfs.misses) == (2, 0)
    assert "Rapport 2025" in _text(report)
    assert "Bilaga 2025" in _text(annex)
    assert _pdfa_part(report) == "3"
    assert pdf.lay_out_ahead(pages, archival=True) == 0  # both kept: nothing started
    # Without a pool (one process), nothing is started and the caller lays out itself.
    settings.NOLLVISION_PDF_PROCESSES = 1
    assert pdf.lay_out_ahead([PAGE.format("Rapport 2026")], archival=True) == 0
    assert "Rapport 2026" in _text(pdf.html_to_pdf(PAGE.format("Rapport 2026"), archival=True))
    assert pdf._pdfs.misses == 1
    pdf.forget()


def test_layouts_never_taken_are_dropped_beyond_a_bound(settings):
    """A job that fails before taking its files leaves their layouts behind: the oldest are
    dropped, so a worker that runs for months holds at most a few."""
    pdf.forget()
    settings.NOLLVISION_PDF_PROCESSES = 2
    pages = [PAGE.format(f"Rapport {year}") for year in range(2000, 2000 + 2 * pdf._KEPT + 3)]
    assert pdf.lay_out_ahead(pages) == len(pages)
    assert len(pdf._pending) == 2 * pdf._KEPT
    assert (pages[0], False) not in pdf._pending  # the oldest went first
    assert (pages[-1], False) in pdf._pending
    pdf.forget()
    assert len(pdf._pending) == 0


def test_the_tests_pdf_reader_finds_text_in_cells_on_every_page_and_across_a_hyphen():
    """The suite reads PDFs with PDFium (helpers.pdf_text): a marker in a table cell, on a later
    page, or broken at a hyphen at the end of a line is found as pypdf finds it."""
    body = (
        "<table><tr><td>cell-one</td><td>MARKER-CELL</td></tr></table>"
        '<p style="break-before: page">MARKER-PAGE-TWO</p>'
        '<p style="width: 2em">hälso-och sjukvård</p>'
    )
    data = pdf.html_to_pdf(f'<html lang="sv"><body>{body}</body></html>')
    pages = pdf_text(data)
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages) == 2
    assert "MARKER-CELL" in pages[0]
    assert "MARKER-PAGE-TWO" in pages[1]
    assert "MARKER-PAGE-TWO" not in pages[0]
    assert "hälso-\noch" in pages[1]
