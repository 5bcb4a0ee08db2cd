"""Charts drawn on the server as SVG, so one drawing serves the page, the PDF and Word.

Every chart has a title and a description (read by screen readers through aria-labelledby) and
the table of its numbers, which the pages and documents show beside it.
"""

from dataclasses import dataclass, field
from html import escape as _escape

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Verdana, sans-serif"
STATUS_COLOURS = {
    "implemented": "#1b6b33",
    "ongoing": "#4f9d5d",
    "planned": "#a6d4a3",
    "not_started": "#c7c7c7",
    "not_relevant": "#f0b27a",
}
SERIES_COLOURS = ["#5a2d82", "#1b6b33", "#b35c00", "#1f5fa8", "#a4000f", "#555555"]


def format_html(template: str, *args) -> str:
    """Django's format_html for the drawings' many small pieces, the same output at a tenth of
    the cost (a page of charts puts thousands together): each argument escaped unless it is
    already safe HTML. The pieces are joined and marked safe once, in `_frame`."""
    return template.format(
        *(arg.__html__() if hasattr(arg, "__html__") else _escape(str(arg)) for arg in args)
    )


@dataclass
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def body_html(self) -> SafeString:
        """The table's rows as HTML (the first cell of each a row header), escaped: the same
        markup the chart template's loop writes, for pages that show many charts."""
        return mark_safe(  # noqa: S308 - every cell is escaped here
            "".join(
                f'<tr><th scope="row">{_escape(str(row[0]))}</th>'
                + "".join(f"<td>{_escape(str(cell))}</td>" for cell in row[1:])
                + "</tr>"
                for row in self.rows
            )
        )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{number_format(round(100 * value), 0)} %"


def _fit(label: str, length: int) -> str:
    """Shorten a long label inside the drawing; the table beside it has the whole label."""
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _frame(
    chart_id: str, title: str, description: str, width: int, height: int, body: str
) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below is escaped where it is put in
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="{FONT}" font-size="12">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{body}</svg>'
    )


def stacked_bars(
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, dict[str, float | None], int]],
    categories: list[tuple[str, str]],
    row_header: str = "",
) -> Chart:
    """One bar per row, split by category shares (0..1); `n` is shown at the end of each bar."""
    label_width, bar_width, row_height = 210, 400, 26
    legend_height = 24
    height = legend_height + row_height * len(rows) + 10
    width = label_width + bar_width + 60
    parts = []
    x = 0  # the legend runs from the left edge, so every category fits within the drawing
    for key, label in categories:
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="14">{}</text>',
                x,
                STATUS_COLOURS.get(key, "#888"),
                x + 16,
                label,
            )
        )
        x += 16 + 7 * len(str(label)) + 14
    for index, (label, shares, n) in enumerate(rows):
        y = legend_height + index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                label_width - 8,
                y + 16,
                _fit(str(label), 28),
            )
        )
        offset = float(label_width)
        for key, _label in categories:
            share = shares.get(key) or 0
            if share:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"/>',
                        f"{offset:.1f}",
                        y + 3,
                        f"{share * bar_width:.1f}",
                        STATUS_COLOURS.get(key, "#888"),
                    )
                )
                offset += share * bar_width
        parts.append(
            format_html('<text x="{}" y="{}">n={}</text>', label_width + bar_width + 6, y + 16, n)
        )
    table_rows = [
        [str(label), *[percent(shares.get(key)) for key, _l in categories], str(n)]
        for label, shares, n in rows
    ]
    return Chart(
        chart_id,
        title,
        description,
        _frame(chart_id, title, description, width, height, "".join(parts)),
        headers=[row_header, *[str(label) for _k, label in categories], "n"],
        rows=table_rows,
    )


def bars(
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, float | None]],
    n_label: str = "",
    row_header: str = "",
    maximum: float = 1.0,
    fmt=None,
) -> Chart:
    """Horizontal bars: shares (0..1) by default, or any values up to `maximum` shown by `fmt`."""
    fmt = fmt or percent
    label_width, bar_width, row_height = 260, 340, 24
    height = row_height * len(rows) + 10
    width = label_width + bar_width + 60
    parts = []
    for index, (label, share) in enumerate(rows):
        y = index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                label_width - 8,
                y + 16,
                _fit(str(label), 36),
            )
        )
        fraction = min((share or 0) / maximum, 1) if maximum else 0
        if fraction:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>',
                    label_width,
                    y + 4,
                    f"{fraction * bar_width:.1f}",
                    SERIES_COLOURS[0],
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}">{}</text>',
                label_width + fraction * bar_width + 6,
                y + 16,
                fmt(share),
            )
        )
    return Chart(
        chart_id,
        title,
        description,
        _frame(chart_id, title, description, width, height, "".join(parts)),
        headers=[row_header, n_label or "%"],
        rows=[[str(label), fmt(share)] for label, share in rows],
    )


def lines(
    chart_id: str,
    title: str,
    description: str,
    years: list[int],
    series: list[tuple[str, list[float | None]]],
    row_header: str = "",
    maximum: float = 1.0,
    fmt=None,
) -> Chart:
    """Values over years, one line per series: shares (0..1) by default, or any values up to
    `maximum` shown by `fmt`."""
    fmt = fmt or percent
    maximum = maximum or 1.0
    left, top, plot_w, plot_h = 60, 30, 400, 160
    width, height = left + plot_w + 190, top + plot_h + 30
    parts = []
    for tick in (0, 0.5, 1):
        y = top + plot_h - tick * plot_h
        tick_label = fmt(tick * maximum)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#bbb"/><text x="{}" y="{}" '
                'text-anchor="end">{}</text>',
                left,
                left + plot_w,
                y,
                y,
                left - 4,
                y + 4,
                tick_label,
            )
        )
    step = plot_w / max(len(years) - 1, 1)
    for index, year in enumerate(years):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{left + index * step:.1f}",
                top + plot_h + 18,
                year,
            )
        )
    for number, (label, values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        points = [
            (left + i * step, top + plot_h - min(v / maximum, 1) * plot_h)
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>',
                    colour,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                )
            )
        for x, y in points:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>', f"{x:.1f}", f"{y:.1f}", colour
                )
            )
        legend_y = top + number * 18
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>',
                left + plot_w + 16,
                legend_y,
                colour,
                left + plot_w + 32,
                legend_y + 10,
                _fit(str(label), 22),
            )
        )
    return Chart(
        chart_id,
        title,
        description,
        _frame(chart_id, title, description, width, height, "".join(parts)),
        headers=[row_header, *[str(y) for y in years]],
        rows=[[str(label), *[fmt(v) for v in values]] for label, values in series],
    )
