"""Each measure's head on the answer page (answer_fields.measure_head, written in Python for
speed): the folded line, the whole measure, the reviewer's comments and who holds it, escaped,
and open where the page must show it open."""

import re

import pytest
from django.utils import translation

from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

COMMENT = "<b>Vilka</b> enheter & grupper?"


def _details(page: str, code: str) -> str:
    """The <details> of one measure, from its opening tag to its body's first lines."""
    match = re.search(
        r'<details class="measure-answer[^>]*>\s*<summary><span class="measure__code">'
        + re.escape(code)
        + r"</span>.*?</details>",
        page,
        re.S,
    )
    assert match, code
    return match.group(0)


def test_a_returned_answer_shows_each_measures_head_escaped_and_open_where_commented(client, world):
    response = world.response_a
    answer_everything(response, world.reporter_a)
    with translation.override("sv"):  # a measure long enough to be cut short when folded
        held = next(
            a
            for a in response.measure_answers.select_related("measure").order_by("pk")
            if len(str(a.measure.text).split()) > 24
        )
    held.assignee = world.reporter_a
    held.copied_from_year = 2024
    held.save(update_fields=["assignee", "copied_from_year"])
    response = response_transition(response=response, user=world.reporter_a, action=Action.SUBMIT)
    response = response_transition(response=response, user=world.approver_a, action=Action.APPROVE)
    response_transition(
        response=response,
        user=world.coordinator,
        action=Action.RETURN,
        comments={"measure:2.1": COMMENT},
    )
    client.force_login(world.reporter_a)
    page = client.get(f"/arbete/svar/{response.pk}/").content.decode()

    commented = _details(page, "2.1")
    assert commented.startswith('<details class="measure-answer state-commented" open>')
    assert "&lt;b&gt;Vilka&lt;/b&gt; enheter &amp; grupper?" in commented
    assert COMMENT not in page
    assert "Kommentarer från granskningen" in commented
    assert 'class="chip chip--commented">kommentar från granskaren</span>' in commented

    assert held.measure.code != "2.1"
    quiet = _details(page, held.measure.code)
    assert quiet.startswith('<details class="measure-answer state-done">')  # folded
    assert "Hanteras av reporter_a" in quiet
    assert 'class="chip chip--copied">kopierat, kontrollera</span>' in quiet
    # The folded line holds the measure's first 24 words; its body the whole measure.
    whole = re.search(r'<p class="measure-answer__full">(.*?)</p>', quiet, re.S).group(1).split()
    shown = re.search(r'<span class="measure-answer__text">(.*?)</span>', quiet).group(1)
    assert len(whole) > 24
    assert shown == " ".join(whole[:24]) + " …"
    assert f'id="m{held.pk}" tabindex="-1"' in quiet

    # Read by the county board, who does not edit it: every measure open, in English too.
    client.force_login(world.coordinator)
    english = client.get(f"/en/arbete/svar/{response.pk}/").content.decode()
    heads = re.findall(r'<details class="measure-answer[^"]*"( open)?>', english)
    assert len(heads) > 30
    assert all(heads)
    assert "Comments from review" in _details(english, "2.1")
    assert "Held by reporter_a" in _details(english, held.measure.code)
