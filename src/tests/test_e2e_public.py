"""The public face in Chromium, every public page in both languages: on a 390 by 844 phone help is
on the first screen after one tap, each service appears once, no public page is wider than the
screen or breaks a table header inside a word, and no visitor ever sees a command line; and axe
finds no violation, in Swedish on the phone and in English on a desktop (as the back office's
walk, test_e2e_backoffice.py). One walk over one published demo site does both."""

import re

import pytest

from .conftest import axe_run
from .test_e2e import screenshot
from .test_public_face import SLUG, public_routes

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Page states beyond one address per route: a need chosen, a whole county, the English pages.
STATES = [
    "/stod/2281/?behov=children",
    "/stod/0022/",
    f"/planer/{SLUG}/rapporter/",
    f"/planer/{SLUG}/v1/?prioritised=on",
]
COMMAND = re.compile(
    r"nollvision [a-z]+_[a-z]+|import_[a-z]+|--region|--from-file|manage\.py|id not yet"
)


def client_text(site: str, path: str) -> str:
    import urllib.request

    with urllib.request.urlopen(site + path) as answer:  # noqa: S310 - the test's own server
        return answer.read().decode()


BROKEN_HEADER_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll("main th")) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest(".visually-hidden")) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(
          [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
        );
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def test_on_a_phone_help_comes_first_and_every_public_page_fits_and_passes_axe(
    browser, public_site
):
    """A person in Sundsvall sees who to call on the first screen after one tap; then every
    public page: no wider than the screen, each service once, table headers whole, no command
    line, the page's language on it, and no axe violation (Swedish on the phone, with colour
    contrast; English on a desktop)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(public_site + "/")
    support = page.locator(".support-first")
    assert support.get_by_role("link", name="112").is_visible()
    link = support.get_by_role("link", name="Sundsvall", exact=True)
    box = link.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]
    link.click()
    page.wait_for_url("**/stod/2281/")
    first = page.locator(".service").first
    assert first.locator("h2").inner_text() == "Socialtjänsten, Sundsvalls kommun"
    card = first.bounding_box()
    assert card is not None
    assert card["y"] < PHONE["height"] - 100, card  # its name and more
    heading = first.locator("h2").bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"]
    screenshot(page, "phone-support-sundsvall")
    # Narrowing by need is a plain link, and keeps each service once.
    page.locator(".need-filter summary").click()
    page.locator(".need-filter").get_by_role("link", name="Barn och unga").click()
    page.wait_for_url("**behov=children")
    names = page.locator(".service__name").all_inner_texts()
    assert "BRIS" in names
    assert "Polisen" not in names
    # The quick exit stays on screen without scrolling.
    box = page.get_by_role("link", name="Lämna sidan snabbt").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"]

    # Every public page (and a few states of them), in both languages, on the same phone.
    swedish = ["/konto/logga-in/", *public_routes(), *STATES]
    paths = swedish + ["/en" + path for path in swedish]
    problems, failures = {}, {}
    for path in paths:
        response = page.goto(public_site + path)
        assert response.status == 200, path
        english = path.startswith("/en/")
        assert page.get_attribute("html", "lang") == ("en" if english else "sv"), path
        if not english:
            results = axe_run(page)
            if results.violations_count:
                failures[path] = results.generate_report()
            screenshot(page, "phone-" + (path.strip("/").replace("/", "_") or "home"))
        found = []
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"{width} px wide")
        names = page.locator(".service__name").all_inner_texts()
        if len(names) != len(set(names)):
            found.append(f"a service twice: {names}")
        broken = page.evaluate(BROKEN_HEADER_WORDS)
        if broken:
            found.append(f"table headers broken inside words: {broken}")
        text = page.locator("body").inner_text()
        if COMMAND.search(text):
            found.append(f"a command line: {COMMAND.search(text).group(0)}")
        if found:
            problems[path] = found
    context.close()
    assert not problems, problems
    # English on a desktop: axe's rules but colour contrast, which the Swedish pass checked
    # (the colours are the style sheet's, whatever the language; conftest.axe_run).
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for path in ("/en" + path for path in swedish):
        response = page.goto(public_site + path)
        assert response.status == 200, path
        results = axe_run(page, contrast=False)
        if results.violations_count:
            failures[path] = results.generate_report()
        screenshot(page, path.strip("/").replace("/", "_"))
    context.close()
    assert not failures, "\n".join(f"{path}: {report}" for path, report in failures.items())
    # The walk met the pages' other states: a closed line, an edition being prepared.
    assert "Stängt nu" in client_text(public_site, "/stod/2260/")
    assert "förbereds" in client_text(public_site, f"/planer/{SLUG}/rapporter/")
