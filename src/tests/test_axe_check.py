"""The accessibility check every browser test relies on (conftest.axe_run) can fail: it finds a
violation on the page it was first called on, and on a page opened after it, where axe comes
from the browser context's init script instead of being sent again."""

from urllib.parse import quote

import pytest

from .conftest import axe_run

pytestmark = [pytest.mark.e2e]

FAULTY = (
    "<!doctype html><html lang='sv'><head><title>Prov</title></head><body><main>"
    "<h1>Prov</h1><img src='data:,'><p style='color:#bbb;background:#fff'>Ljusgrå text</p>"
    "</main></body></html>"
)


def _rules(results) -> set[str]:
    return {violation["id"] for violation in results.response["violations"]}


def test_the_check_finds_violations_on_the_first_page_and_on_later_ones(page):
    page.set_content(FAULTY)
    assert page.evaluate("typeof window.axe") == "undefined"
    first = axe_run(page)
    assert {"image-alt", "color-contrast"} <= _rules(first)
    assert first.violations_count >= 2

    page.goto("data:text/html;charset=utf-8," + quote(FAULTY))
    # Given by the context before the page's own content: nothing is sent again.
    assert page.evaluate("typeof window.axe") == "object"
    later = axe_run(page)
    assert _rules(later) == _rules(first)
    # Contrast can be left to the other language's pass; every other rule still runs.
    without_contrast = axe_run(page, contrast=False)
    assert _rules(without_contrast) == _rules(first) - {"color-contrast"}

    page.set_content(FAULTY.replace("<img src='data:,'>", "<img src='data:,' alt='Prov'>"))
    assert "image-alt" not in _rules(axe_run(page))
