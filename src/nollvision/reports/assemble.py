"""Joins figures and charts into what the dashboard and every report format show."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from nollvision.accounts.models import OrganisationKind
from nollvision.core import charts
from nollvision.followup.enums import Course, MeasureStatus, Routine, RoutineState

from . import figures
from .figures import CampaignData, Filter


@dataclass
class Assembled:
    data: CampaignData
    criteria: Filter
    rate: tuple[int, int]
    goal_chart: charts.Chart
    kind_chart: charts.Chart
    competence_chart: charts.Chart
    trend_chart: charts.Chart
    trend_competence_chart: charts.Chart
    matrix: figures.Matrix
    routine_rows: list
    routine_counts: dict
    competence_rows: list
    competence_county: figures.Competence
    competence_n: int
    bodies: list
    goal_counts: list

    @property
    def rate_share(self) -> float | None:
        return self.rate[0] / self.rate[1] if self.rate[1] else None

    def texts(self, measure_id: int):
        """Which of the filtered bodies did what for one measure: (body, status, text)."""
        bodies = {b.id for b in self.criteria.bodies(self.data)}
        return [row for row in figures.measure_texts(self.data, measure_id) if row[0].id in bodies]

    @cached_property
    def _answers_by_body(self) -> dict[int, dict[int, figures.Answer]]:
        grouped: dict[int, dict] = {}
        for answer in self.data.answers:
            grouped.setdefault(answer.body, {})[answer.measure] = answer
        return grouped

    def body_answers(self, body_id: int) -> list[tuple[figures.MeasureRow, str, str]]:
        """One body's accepted answers, in the plan's order: (measure, status, text); with a
        filter on measures, only those measures'."""
        answers = self._answers_by_body.get(body_id, {})
        return [
            (m, answers[m.id].status, answers[m.id].done)
            for m in self.criteria.measures(self.data)
            if m.id in answers
        ]

    @property
    def only_prioritised(self) -> bool:
        """The measure-level figures count the prioritised measures only."""
        return self.criteria.measure_keys is not None


def status_label(status: str) -> str:
    if status == figures.MISSING:
        return _("no accepted answer")
    if status == figures.NOT_CONCERNED:
        return ""
    return str(dict(MeasureStatus.choices).get(status, status))


def assemble(
    campaign,
    criteria: Filter = figures.EVERYTHING,
    data: CampaignData | None = None,
    *,
    public: bool = False,
) -> Assembled:
    data = data or figures.load_campaign(campaign, public=public)
    statuses = [(key, str(label)) for key, label in MeasureStatus.choices]
    rate = figures.response_rate(data, criteria)
    goal_counts = figures.status_by_goal(data, criteria)
    goal_chart = charts.stacked_bars(
        "chart-goals",
        _("Measures by status, per goal"),
        _(
            "For each goal, the share of the measures that concern each body that are implemented, "
            "ongoing, planned, not started or not relevant, from %(n)d accepted answers."
        )
        % {"n": rate[0]},
        [
            (_("Goal %(number)d") % {"number": goal}, counts.shares, counts.n)
            for goal, counts in goal_counts
        ],
        statuses,
        row_header=_("Goal"),
    )
    kind_names = {k.code: str(k.name) for k in OrganisationKind.objects.all()}
    kind_chart = charts.stacked_bars(
        "chart-kinds",
        _("Measures by status, per kind of organisation"),
        _("The same shares for each kind of organisation."),
        [
            (kind_names.get(kind, kind), counts.shares, counts.n)
            for kind, counts in figures.status_by_kind(data, criteria)
        ],
        statuses,
        row_header=_("Kind of organisation"),
    )
    county, n_competence = figures.competence_county(data, criteria)
    competence_chart = charts.bars(
        "chart-competence",
        _("Staff who completed each web course"),
        _(
            "Share of the staff concerned who completed each course, all bodies together "
            "(weighted by staff), from %(n)d bodies."
        )
        % {"n": n_competence},
        [(str(course.label), county.share(course.value)) for course in Course],
        row_header=_("Web course"),
    )
    trend = figures.load_trend(campaign, criteria)
    goal_numbers = sorted({g for year in trend for g in year.implemented_by_goal})
    trend_chart = charts.lines(
        "chart-trend",
        _("Change over the years"),
        _("Response rate and the share of measures implemented per goal, each year."),
        [year.year for year in trend],
        [
            (
                _("Response rate"),
                [year.rate[0] / year.rate[1] if year.rate[1] else None for year in trend],
            )
        ]
        + [
            (
                _("Goal %(number)d implemented") % {"number": goal},
                [year.implemented_by_goal.get(goal) for year in trend],
            )
            for goal in goal_numbers
        ],
        row_header=_("Figure"),
    )
    trend_competence_chart = charts.lines(
        "chart-trend-competence",
        _("Competence and routines over the years"),
        _(
            "Share of the staff concerned who completed each web course (weighted by staff), and "
            "share of the routines that are in place, each year."
        ),
        [year.year for year in trend],
        [
            (
                str(course.label),
                [
                    year.competence.share(course.value) if year.competence else None
                    for year in trend
                ],
            )
            for course in Course
        ]
        + [(_("Routines in place"), [year.routines_in_place for year in trend])],
        row_header=_("Figure"),
    )
    return Assembled(
        data=data,
        criteria=criteria,
        rate=rate,
        goal_chart=goal_chart,
        kind_chart=kind_chart,
        competence_chart=competence_chart,
        trend_chart=trend_chart,
        trend_competence_chart=trend_competence_chart,
        matrix=figures.measure_matrix(data, criteria),
        routine_rows=figures.routines_table(data, criteria),
        routine_counts={
            str(dict(Routine.choices)[r]): {
                str(dict(RoutineState.choices)[s]): n for s, n in c.items()
            }
            for r, c in figures.routine_counts(data, criteria).items()
        },
        competence_rows=figures.competence_by_body(data, criteria),
        competence_county=county,
        competence_n=n_competence,
        bodies=figures.status_by_body(data, criteria),
        goal_counts=goal_counts,
    )
