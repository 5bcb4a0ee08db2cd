"""The simple formatting coordinators use in the report's narrative: paragraphs (blank line),
bullet lists (lines starting with "- ") and **bold**. Turned into HTML here and into Word
paragraphs in documents.py."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BOLD = re.compile(r"\*\*(.+?)\*\*")


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """("p", [line]) or ("ul", [items]) blocks of the text."""
    result: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            result.append(("ul", [line[2:].strip() for line in lines]))
        else:
            result.append(("p", [" ".join(lines)]))
    return result


def runs(line: str) -> list[tuple[str, bool]]:
    """(text, bold) pieces of one line."""
    pieces, last = [], 0
    for match in BOLD.finditer(line):
        if match.start() > last:
            pieces.append((line[last : match.start()], False))
        pieces.append((match.group(1), True))
        last = match.end()
    if last < len(line):
        pieces.append((line[last:], False))
    return pieces


def _inline(line: str) -> str:
    return "".join(
        f"<strong>{escape(t)}</strong>" if bold else str(escape(t)) for t, bold in runs(line)
    )


def to_html(text: str) -> SafeString:
    html = []
    for kind, items in blocks(text):
        if kind == "ul":
            html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        else:
            html.append(f"<p>{_inline(items[0])}</p>")
    return mark_safe("".join(html))  # noqa: S308 - built from escaped pieces only
