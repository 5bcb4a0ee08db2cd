"""Every PDF and every chart picture of the platform is made here: WeasyPrint for the documents,
CairoSVG for the charts of the Word files.

Both are pure functions of their input and cost seconds of CPU, so the last few results are kept
in memory: the same page (a publication's public edition when it holds what the full one holds,
a plan document asked for twice, a report published again unchanged) is laid out once per
process. The key is the whole input, so a changed letter makes a new file.

A publication lays out several PDFs (the report, its annex, the public annex). `lay_out_ahead`
starts them side by side, each in a Python process of its own (`NOLLVISION_PDF_PROCESSES` at
once, 1 for none), while the caller goes on with the other formats; `html_to_pdf` then takes the
finished file. They are plain child processes (`python -m nollvision.core.pdf`), never forks of
the caller: a job runs in a task queue's worker, which may hold threads and database
connections and may not start multiprocessing children of its own."""

import logging
import subprocess
import sys
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO

logger = logging.getLogger(__name__)

# Each entry holds a document's HTML and its PDF (a few hundred kilobytes each at county scale).
_KEPT = 8


@dataclass
class _Kept:
    """The last few results, by their whole input (an LRU list that can also take a result laid
    out elsewhere)."""

    size: int
    misses: int = 0
    elsewhere: int = 0  # results taken from the pool

    def __post_init__(self):
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def __contains__(self, key) -> bool:
        with self.lock:
            return key in self.items

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.misses = self.elsewhere = 0


_pdfs = _Kept(_KEPT)
_pngs = _Kept(4 * _KEPT)
# Layouts started and not yet taken, oldest first. A job that fails before taking its files
# leaves them here: the oldest are dropped beyond twice what is kept, so a long-running worker
# never gathers them.
_pending: OrderedDict[tuple[str, bool], Future] = OrderedDict()
_pending_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _layout(html: str, archival: bool) -> bytes:
    from weasyprint import HTML  # loaded on use: it needs Pango, and costs a second to import

    variant = {"pdf_variant": "pdf/a-3a"} if archival else {}
    return HTML(string=html).write_pdf(pdf_tags=True, **variant)


def html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    """A tagged PDF (structure tree, language, title), so screen readers can follow it;
    `archival` also makes it PDF/A-3a, for the archive."""
    key = (html, archival)
    kept = _pdfs.get(key)
    if kept is not None:
        return kept
    with _pending_lock:
        future = _pending.pop(key, None)
    data = None
    if future is not None:
        try:
            data = future.result()
            _pdfs.elsewhere += 1
        except Exception:  # a child that failed: laid out here, where its error shows
            logger.warning("A PDF could not be laid out in a process of its own", exc_info=True)
    if data is None:
        _pdfs.misses += 1
        data = _layout(html, archival)
    _pdfs.put(key, data)
    return data


def lay_out_ahead(htmls, *, archival: bool = False) -> int:
    """Start laying out these documents in the pool, side by side, while the caller goes on;
    `html_to_pdf` of the same HTML then waits for its file. Documents already kept or already on
    their way are not started again. Returns how many were started (none without a pool)."""
    from django.conf import settings

    processes = getattr(settings, "NOLLVISION_PDF_PROCESSES", 1)
    started = 0
    if processes < 2:
        return started
    pool = _executor(processes)
    for html in dict.fromkeys(htmls):
        key = (html, archival)
        with _pending_lock:
            if key in _pending or key in _pdfs:
                continue
            _pending[key] = pool.submit(_layout_in_child, html, archival)
            while len(_pending) > 2 * _KEPT:
                _pending.popitem(last=False)[1].cancel()
        started += 1
    return started


def _executor(processes: int) -> ThreadPoolExecutor:
    global _pool
    with _pending_lock:
        if _pool is None:
            # Threads that only wait for their child process: the layout runs in the child.
            _pool = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="pdf")
        return _pool


def _layout_in_child(html: str, archival: bool) -> bytes:
    """One document laid out by a Python process of its own (the same interpreter and
    environment), the HTML on its standard input and the PDF on its standard output."""
    command = [sys.executable, "-m", "nollvision.core.pdf"] + (["--archival"] if archival else [])
    finished = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
        command, input=html.encode("utf-8"), capture_output=True, check=True, timeout=600
    )
    return finished.stdout


def svg_to_png(svg: str) -> BytesIO:
    """The chart as a PNG at twice its size, for the Word files."""
    kept = _pngs.get(svg)
    if kept is None:
        import cairosvg  # loaded on use, as the spreadsheet and Word libraries: each costs a start

        _pngs.misses += 1
        kept = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2)
        _pngs.put(svg, kept)
    return BytesIO(kept)


def forget() -> None:
    """Drop what is kept and what is on its way: the next call lays out again (for a check of
    WeasyPrint's own log, and for the benchmark's rounds)."""
    with _pending_lock:
        for future in _pending.values():
            future.cancel()
        _pending.clear()
    _pdfs.clear()
    _pngs.clear()


if __name__ == "__main__":
    # A child of `lay_out_ahead`: HTML in, PDF out.
    sys.stdout.buffer.write(
        _layout(sys.stdin.buffer.read().decode("utf-8"), "--archival" in sys.argv)
    )
