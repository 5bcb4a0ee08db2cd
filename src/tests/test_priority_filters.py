"""Prioritised measures in the back office (#18): the follow-up overview, the dashboard, the matrix
and the report each offer "only prioritised measures" (the public plan page's `prioritised`
parameter, a GET form that works without JavaScript), keep their other filters, and mark the
prioritised measures where they list measures."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nollvision.followup.services import MeasureChange, response_save
from nollvision.plans.selectors import prioritised_periods

from .test_priorities import _prioritise
from .test_reports import accept

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PRIORITISED = ["1.1", "2.1"]  # what `_prioritise` names
LABEL = "Bara prioriterade åtgärder"
MARK = "Prioriterad 2022–2024"
CONTROL = 'name="prioritised"'


@pytest.fixture
def prioritised(world, client):
    """Sundsvall's answer accepted, every measure implemented; measures 1.1 and 2.1 prioritised;
    the coordinator logged in."""
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    _prioritise(world.plan)
    client.force_login(world.coordinator)
    world.keys = frozenset(prioritised_periods(world.plan))
    return world


def _page(client, name, world, query=None, *args) -> str:
    response = client.get(reverse(f"backoffice:{name}", args=[world.campaign.pk, *args]), query)
    assert response.status_code == 200
    return response.content.decode()


def _all_codes(world) -> list[str]:
    return list(
        world.plan.measures.order_by("goal__number", "position").values_list("code", flat=True)
    )


def _checked(page: str) -> bool:
    control = re.search(r'<input[^>]*name="prioritised"[^>]*>', page)
    assert control is not None, "no prioritised filter on the page"
    return "checked" in control.group(0)


# --- The follow-up overview (per body: its progress counts the prioritised measures) ----------


def _progress(page: str, body: str) -> tuple[int, int]:
    row = re.search(
        rf">{re.escape(body)}</a></th>\s*<td>.*?</td>\s*<td>(\d+) / (\d+)</td>", page, re.DOTALL
    )
    assert row is not None, body
    return int(row.group(1)), int(row.group(2))


def test_the_overview_counts_only_prioritised_measures_with_the_filter_on(client, prioritised):
    world = prioritised
    # Timrå has answered one prioritised measure and one other, in a draft.
    timra = world.response_b
    picked = timra.measure_answers.filter(measure__code__in=["1.1", "1.2"])
    assert picked.count() == 2
    response_save(
        response=timra,
        user=world.reporter_b,
        measures=[
            MeasureChange(a.pk, a.version, {"status": "ongoing", "done": "Påbörjat."})
            for a in picked
        ],
    )
    sundsvall = world.response_a.measure_answers
    timra_all = timra.measure_answers.count()
    timra_prioritised = timra.measure_answers.filter(measure__key__in=world.keys).count()
    sundsvall_prioritised = sundsvall.filter(measure__key__in=world.keys).count()
    assert 0 < timra_prioritised < timra_all

    everything = _page(client, "campaign", world)
    assert LABEL in everything
    assert not _checked(everything)
    assert 'id="only-prioritised"' not in everything
    assert _progress(everything, "Sundsvalls kommun") == (sundsvall.count(), sundsvall.count())
    assert _progress(everything, "Timrå kommun") == (2, timra_all)

    only = _page(client, "campaign", world, {"prioritised": "on"})
    assert _checked(only)
    assert 'id="only-prioritised"' in only  # says so on the page
    assert _progress(only, "Sundsvalls kommun") == (sundsvall_prioritised, sundsvall_prioritised)
    assert _progress(only, "Timrå kommun") == (1, timra_prioritised)
    # The linked pages keep the filter.
    dashboard = reverse("backoffice:dashboard", args=[world.campaign.pk])
    assert f'href="{dashboard}?prioritised=on"' in only
    assert f'href="{dashboard}?prioritised=on"' not in everything


def test_no_prioritised_filter_where_the_plan_has_none(client, world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    client.force_login(world.coordinator)
    for name in ("campaign", "dashboard", "matrix", "report"):
        page = _page(client, name, world)
        assert CONTROL not in page, name
        assert MARK not in page, name
    # The parameter alone changes nothing.
    page = _page(client, "matrix", world, {"prioritised": "on"})
    codes = re.findall(r'<th scope="row" title="[^"]*">([\d.]+)', page)
    assert codes == _all_codes(world)


# --- The dashboard --------------------------------------------------------------------------


def _dashboard_codes(page: str) -> list[str]:
    table = page.split('<table class="table matrix">')[1].split("</table>")[0]
    return re.findall(r'<th scope="row" title="[^"]*">([\d.]+)', table)


def test_the_dashboard_counts_and_lists_only_prioritised_measures_with_the_filter_on(
    client, prioritised, template_contexts
):
    world = prioritised
    url = reverse("backoffice:dashboard", args=[world.campaign.pk])
    answered = world.response_a.measure_answers
    everything = client.get(url)
    page = everything.content.decode()
    assert LABEL in page
    assert not _checked(page)
    assert 'id="only-prioritised"' not in page
    assert _dashboard_codes(page) == _all_codes(world)
    assert page.count(MARK) == len(PRIORITISED)  # marked in the matrix
    counted = sum(c.n for _goal, c in everything.context["f"].goal_counts)
    assert counted == answered.count()

    only = client.get(url, {"prioritised": "on"})
    page = only.content.decode()
    assert _checked(page)
    assert 'id="only-prioritised"' in page
    assert _dashboard_codes(page) == PRIORITISED
    goal_counts = only.context["f"].goal_counts
    assert [goal for goal, _c in goal_counts] == [1, 2]
    assert (
        sum(c.n for _goal, c in goal_counts) == answered.filter(measure__key__in=world.keys).count()
    )
    # What the bodies did, for the prioritised measures, each marked.
    texts = page.split('id="texts"')[1]
    assert re.findall(r"<h3>([\d.]+) ", texts) == PRIORITISED
    assert MARK in texts
    # The trend counts the same measures: the response rate and goals 1 and 2 only.
    assert len(everything.context["f"].trend_chart.rows) == 1 + world.plan.goals.count()
    assert len(only.context["f"].trend_chart.rows) == 1 + 2

    # Kept together with the page's other filters.
    both = client.get(url, {"goal": 2, "prioritised": "on"}).content.decode()
    assert _dashboard_codes(both) == ["2.1"]
    assert _checked(both)
    matrix = reverse("backoffice:matrix", args=[world.campaign.pk])
    assert f'href="{matrix}?prioritised=on"' in both


# --- The matrix -----------------------------------------------------------------------------


def _matrix_codes(page: str) -> list[str]:
    table = page.split('<table class="table work-matrix">')[1].split("</table>")[0]
    return re.findall(r'<th scope="row" title="[^"]*">([\d.]+)', table)


def test_the_matrix_shows_only_prioritised_measures_with_the_filter_on(client, prioritised):
    world = prioritised
    everything = _page(client, "matrix", world)
    assert LABEL in everything
    assert not _checked(everything)
    assert _matrix_codes(everything) == _all_codes(world)
    assert everything.count(MARK) == len(PRIORITISED)
    assert 'id="only-prioritised"' not in everything

    only = _page(client, "matrix", world, {"prioritised": "on"})
    assert _checked(only)
    assert 'id="only-prioritised"' in only
    assert _matrix_codes(only) == PRIORITISED
    assert only.count(MARK) == len(PRIORITISED)

    # The other filters still apply beside it.
    goal_one = _page(client, "matrix", world, {"goal": 1, "prioritised": "on"})
    assert _matrix_codes(goal_one) == ["1.1"]
    assert 'value="1" selected' in goal_one
    police = _page(client, "matrix", world, {"kind": "police", "prioritised": "on"})
    assert _matrix_codes(police) == PRIORITISED
    assert "Sundsvalls kommun" not in police.split('<table class="table work-matrix">')[1]
    implemented = _page(client, "matrix", world, {"state": "implemented", "prioritised": "on"})
    assert _matrix_codes(implemented) == PRIORITISED


# --- The report -----------------------------------------------------------------------------


def _report_codes(html: str) -> list[str]:
    return [
        code
        for block in re.findall(r'<dl class="measures">(.*?)</dl>', html, re.DOTALL)
        for code in re.findall(r"<dt>([\d.]+)</dt>", block)
    ]


def _appendix_row(html: str, body: str) -> list[int]:
    appendix = html.split('id="appendix"')[1]
    row = re.search(rf"<th scope=\"row\">{re.escape(body)}</th>(.*?)</tr>", appendix, re.DOTALL)
    assert row is not None, body
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


def test_the_report_page_and_its_draft_count_only_prioritised_measures_with_the_filter_on(
    client, prioritised
):
    world = prioritised
    answered = world.response_a.measure_answers
    in_prioritised = answered.filter(measure__key__in=world.keys).count()
    preview = reverse("backoffice:report-download", args=[world.campaign.pk, "html"])

    page = _page(client, "report", world)
    assert LABEL in page
    assert not _checked(page)
    assert 'id="only-prioritised"' not in page
    assert f'href="{preview}"' in page
    # Beside the texts: the summary, each goal and the trend.
    figures = page.count('class="report-section__figures"')
    assert figures == 2 + world.plan.goals.count()

    only = _page(client, "report", world, {"prioritised": "on"})
    assert _checked(only)
    assert 'id="only-prioritised"' in only
    assert f'href="{preview}?prioritised=on"' in only  # the draft follows the filter
    assert only.count('class="report-section__figures"') == 2 + 2  # goals 1 and 2 only

    draft = client.get(preview).content.decode()
    assert LABEL not in draft
    assert _report_codes(draft) == _all_codes(world)
    assert draft.count(MARK) == len(PRIORITISED)  # marked in the goals' lists of measures
    assert _appendix_row(draft, "Sundsvalls kommun")[-1] == answered.count()

    narrowed = client.get(preview, {"prioritised": "on"}).content.decode()
    assert LABEL in narrowed
    assert _report_codes(narrowed) == PRIORITISED
    assert narrowed.count(MARK) == len(PRIORITISED)
    assert _appendix_row(narrowed, "Sundsvalls kommun")[-1] == in_prioritised

    # The Excel draft takes the same address: its answers in long form are the prioritised ones.
    xlsx = client.get(
        reverse("backoffice:report-download", args=[world.campaign.pk, "xlsx"]),
        {"prioritised": "on"},
    )
    assert "prioriterade" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    sheet = book[book.sheetnames[-3]]  # all accepted answers, before meetings and decisions
    measures = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert measures == set(PRIORITISED)
