"""Real Chromium: the plan pages work with the keyboard alone and without JavaScript. Every public
page passes axe in test_e2e_public.py, in the same walk that checks it on a phone."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("SHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def support_site(plan_site):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    return plan_site


def test_support_finder_with_keyboard_and_without_javascript(browser, support_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(support_site + "/stod/")
    page.get_by_role("link", name="Härnösand").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/stod/2280/")
    assert page.locator("h1").inner_text() == "Stöd i Härnösand"
    context.close()


def test_filter_with_keyboard_and_without_javascript(browser, plan_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(plan_site + "/planer/vasternorrland-2022-2026/")  # the plan's page has the filters
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.locator("#id_goal").focus()
    page.keyboard.press("End")  # the last goal
    page.locator("button", has_text="Visa åtgärder").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**goal=4**")
    assert page.locator("li.measure").count() == 9
    assert page.locator("[role=status]").inner_text() == "Visar 9 åtgärder av 40."
    context.close()


# The contrast of the focused element's focus ring against what is behind it: the better of the
# outline and the ring's inner shadow (WCAG's non-text contrast asks for 3:1).
FOCUS_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); };
  const element = document.activeElement;
  let behind = element.parentElement, bg = [255, 255, 255];
  for (; behind; behind = behind.parentElement) {
    const c = rgb(getComputedStyle(behind).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c.slice(0, 3); break; }
  }
  const style = getComputedStyle(element);
  const rings = [style.outlineColor, (style.boxShadow.match(/rgba?\\([^)]*\\)/) || [""])[0]];
  return Math.max(...rings.filter((c) => c && style.outlineStyle !== "none").map((c) => ratio(rgb(c).slice(0, 3), bg)));
}"""


def test_the_focus_ring_stands_out_from_what_is_behind_it(browser, support_site):
    page = browser.new_page()
    page.goto(support_site + "/")
    seen = set()
    for _step in range(25):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.textContent.trim().slice(0, 40)")
        contrast = page.evaluate(FOCUS_CONTRAST)
        assert contrast >= 3, (name, contrast)
        seen.add(name)
    assert len(seen) >= 10  # the quick exit, the menus, the municipalities, the front doors
    page.close()
