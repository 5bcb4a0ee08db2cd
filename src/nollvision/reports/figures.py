"""The follow-up's figures, from accepted answers only. Every figure says how many answers it
rests on. Loading is a fixed number of queries (`load_campaign`, `load_trend`); everything else is
plain Python over what was loaded, so it can be tested on data written by hand."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from nollvision.core.collation import swedish_sort_key
from nollvision.followup.enums import Course, MeasureStatus, ResponseStatus, Routine
from nollvision.followup.models import BodyAnswer, Campaign, MeasureAnswer, Response, RoutineAnswer

STATUSES = MeasureStatus.values
MISSING = "missing"  # the body takes part but has no accepted answer
NOT_CONCERNED = ""  # the measure does not concern the body's kind


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    kind: str
    accepted: bool


@dataclass(frozen=True)
class MeasureRow:
    id: int
    code: str
    goal: int
    text: str
    key: str = ""  # the measure's stable key across plan versions


@dataclass(frozen=True)
class Answer:
    body: int
    measure: int
    status: str
    done: str = ""


@dataclass
class CampaignData:
    """What one campaign's figures are computed from."""

    year: int
    goals: dict[int, str]
    measures: list[MeasureRow]
    bodies: list[Body]
    concerned: set[tuple[int, int]]  # (body, measure) pairs asked about
    answers: list[Answer]  # of accepted responses only
    routines: dict[int, dict[str, str]] = field(default_factory=dict)
    competence: dict[int, dict[str, int | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Filter:
    goal: int | None = None
    kind: str | None = None
    body: int | None = None
    # The stable keys of the measures to count (the prioritised ones); None counts every measure.
    measure_keys: frozenset[str] | None = None

    def bodies(self, data: CampaignData) -> list[Body]:
        return [
            b
            for b in data.bodies
            if (self.kind is None or b.kind == self.kind)
            and (self.body is None or b.id == self.body)
        ]

    def measures(self, data: CampaignData) -> list[MeasureRow]:
        return [
            m
            for m in data.measures
            if (self.goal is None or m.goal == self.goal)
            and (self.measure_keys is None or m.key in self.measure_keys)
        ]


EVERYTHING = Filter()


@dataclass
class StatusCounts:
    counts: dict[str, int]

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def share(self, status: str) -> float | None:
        return None if not self.n else self.counts.get(status, 0) / self.n

    @property
    def shares(self) -> dict[str, float | None]:
        return {status: self.share(status) for status in STATUSES}


def response_rate(data: CampaignData, criteria: Filter = Filter()) -> tuple[int, int]:
    """(bodies with an accepted answer, bodies taking part)."""
    bodies = criteria.bodies(data)
    return sum(1 for b in bodies if b.accepted), len(bodies)


def status_by_goal(
    data: CampaignData, criteria: Filter = Filter()
) -> list[tuple[int, StatusCounts]]:
    """Per goal, how the measures that concern each (accepted) body stand."""
    bodies = {b.id for b in criteria.bodies(data)}
    goal_of = {m.id: m.goal for m in criteria.measures(data)}
    counts: dict[int, Counter] = {goal: Counter() for goal in sorted(set(goal_of.values()))}
    for answer in data.answers:
        if answer.body in bodies and answer.measure in goal_of and answer.status:
            counts[goal_of[answer.measure]][answer.status] += 1
    return [(goal, StatusCounts(dict(counter))) for goal, counter in counts.items()]


def status_by_body(
    data: CampaignData, criteria: Filter = Filter()
) -> list[tuple[Body, StatusCounts]]:
    measures = {m.id for m in criteria.measures(data)}
    counters: dict[int, Counter] = defaultdict(Counter)
    for answer in data.answers:
        if answer.measure in measures and answer.status:
            counters[answer.body][answer.status] += 1
    return [(b, StatusCounts(dict(counters[b.id]))) for b in criteria.bodies(data) if b.accepted]


def status_by_kind(
    data: CampaignData, criteria: Filter = Filter()
) -> list[tuple[str, StatusCounts]]:
    kinds: dict[str, Counter] = defaultdict(Counter)
    for body, counts in status_by_body(data, criteria):
        kinds[body.kind].update(counts.counts)
    return [(kind, StatusCounts(dict(counter))) for kind, counter in sorted(kinds.items())]


@dataclass
class Matrix:
    measures: list[MeasureRow]
    bodies: list[Body]
    cells: dict[tuple[int, int], str]  # (measure, body) -> status, MISSING or NOT_CONCERNED

    def row(self, measure: MeasureRow) -> list[str]:
        return [self.cells[(measure.id, body.id)] for body in self.bodies]

    def body_row(self, body: Body, measures: list[MeasureRow]) -> list[str]:
        """One body's cells for some measures: a row of the printed report's goal tables."""
        return [self.cells[(measure.id, body.id)] for measure in measures]

    def completeness(self, measure: MeasureRow) -> tuple[int, int]:
        """(bodies concerned that answered, bodies concerned)."""
        row = [cell for cell in self.row(measure) if cell != NOT_CONCERNED]
        return sum(1 for cell in row if cell not in {MISSING, ""}), len(row)


def measure_matrix(data: CampaignData, criteria: Filter = Filter()) -> Matrix:
    """Each measure against each body: that body's own status for the year."""
    answered = {(a.measure, a.body): a.status for a in data.answers}
    bodies = criteria.bodies(data)
    measures = criteria.measures(data)
    cells = {}
    for measure in measures:
        for body in bodies:
            if (body.id, measure.id) not in data.concerned:
                cells[(measure.id, body.id)] = NOT_CONCERNED
            elif not body.accepted:
                cells[(measure.id, body.id)] = MISSING
            else:
                cells[(measure.id, body.id)] = answered.get((measure.id, body.id)) or MISSING
    return Matrix(measures=measures, bodies=bodies, cells=cells)


def measure_texts(data: CampaignData, measure_id: int) -> list[tuple[Body, str, str]]:
    """Which bodies did what for one measure: (body, status, text)."""
    by_id = {b.id: b for b in data.bodies}
    return [
        (by_id[a.body], a.status, a.done)
        for a in data.answers
        if a.measure == measure_id and a.body in by_id
    ]


def routines_table(data: CampaignData, criteria: Filter = Filter()) -> list[tuple[Body, list[str]]]:
    return [
        (b, [data.routines.get(b.id, {}).get(r, "") for r in Routine.values])
        for b in criteria.bodies(data)
        if b.accepted
    ]


def routine_counts(data: CampaignData, criteria: Filter = Filter()) -> dict[str, Counter]:
    counts: dict[str, Counter] = {routine: Counter() for routine in Routine.values}
    for _body, states in routines_table(data, criteria):
        for routine, state in zip(Routine.values, states, strict=True):
            if state:
                counts[routine][state] += 1
    return counts


@dataclass
class Competence:
    staff: int
    completed: dict[str, int]

    def share(self, course: str) -> float | None:
        return None if not self.staff else self.completed.get(course, 0) / self.staff


def competence_by_body(
    data: CampaignData, criteria: Filter = Filter()
) -> list[tuple[Body, Competence]]:
    rows = []
    for body in criteria.bodies(data):
        values = data.competence.get(body.id)
        if body.accepted and values and values.get("staff"):
            rows.append(
                (body, Competence(values["staff"], {c: values.get(c) or 0 for c in Course.values}))
            )
    return rows


def competence_county(data: CampaignData, criteria: Filter = Filter()) -> tuple[Competence, int]:
    """Weighted by staff: all who completed / all staff concerned; and how many bodies it rests on."""
    rows = competence_by_body(data, criteria)
    staff = sum(c.staff for _b, c in rows)
    completed = {course: sum(c.completed[course] for _b, c in rows) for course in Course.values}
    return Competence(staff, completed), len(rows)


# --- Loading ---------------------------------------------------------------------------------


def load_campaign(
    campaign: Campaign, *, body_questions: bool = True, public: bool = False
) -> CampaignData:
    """Everything the figures need, in six queries whatever the size of the campaign
    (four without the routines and competence, which the measure matrix does not need).
    `public` keeps only the answer texts the public projection lets out."""
    from .published import public_text  # the one rule for what an answer text may show

    plan = campaign.plan
    goals = {g.number: str(g.title) for g in plan.goals.all()}
    measures = [
        MeasureRow(m.pk, m.code, m.goal.number, str(m.text), m.key)
        for m in plan.measures.select_related("goal").order_by("goal__number", "position")
    ]
    responses = sorted(
        Response.objects.filter(campaign=campaign).select_related("organisation__kind"),
        key=lambda r: swedish_sort_key(r.organisation.name),
    )
    organisation_of = {r.pk: r.organisation_id for r in responses}
    bodies = [
        Body(
            r.organisation_id,
            r.organisation.name,
            r.organisation.kind.code,
            r.status == ResponseStatus.ACCEPTED,
        )
        for r in responses
    ]
    accepted = {r.pk: r.organisation_id for r in responses if r.status == ResponseStatus.ACCEPTED}
    concerned, answers = set(), []
    for (
        response_id,
        measure_id,
        status,
        done,
        may_publish,
        cleared_at,
    ) in MeasureAnswer.objects.filter(response__campaign=campaign).values_list(
        "response_id", "measure_id", "status", "done", "may_publish", "cleared_at"
    ):
        concerned.add((organisation_of[response_id], measure_id))
        if response_id in accepted:
            if public:
                done = public_text(done, may_publish=may_publish, cleared_at=cleared_at)
            answers.append(Answer(accepted[response_id], measure_id, status, done))
    data = CampaignData(
        year=campaign.year,
        goals=goals,
        measures=measures,
        bodies=bodies,
        concerned=concerned,
        answers=answers,
    )
    if not body_questions:
        return data
    routines: dict[int, dict[str, str]] = defaultdict(dict)
    for response_id, routine, state in RoutineAnswer.objects.filter(
        response_id__in=list(accepted)
    ).values_list("response_id", "routine", "state"):
        routines[accepted[response_id]][routine] = state
    competence = {}
    for body in BodyAnswer.objects.filter(response_id__in=list(accepted)):
        competence[accepted[body.response_id]] = {
            "staff": body.staff_concerned,
            **{course: body.completed(course) for course in Course.values},
        }
    data.routines, data.competence = dict(routines), competence
    return data


@dataclass
class YearFigures:
    year: int
    rate: tuple[int, int]
    implemented_by_goal: dict[int, float | None]
    n_by_goal: dict[int, int]
    competence: Competence | None = None
    routines_in_place: float | None = None  # share of routine answers that are "yes"


def load_trend(campaign: Campaign, criteria: Filter = Filter()) -> list[YearFigures]:
    """The same plan's follow-ups up to this year: response rate, share implemented per goal,
    competence (weighted by staff) and the share of routines in place; five queries.

    Measures are matched to goals by goal number, so plan versions with the same goals compare,
    and to `criteria.measure_keys` by their stable key.
    """
    campaigns = Campaign.objects.filter(
        plan__slug=campaign.plan.slug, year__lte=campaign.year
    ).order_by("year")
    years = {c.pk: c.year for c in campaigns}
    responses = list(
        Response.objects.filter(campaign_id__in=list(years)).values_list(
            "pk", "campaign_id", "status", "organisation_id", "organisation__kind__code"
        )
    )
    wanted = {
        pk
        for pk, _c, _s, org, kind in responses
        if (criteria.kind is None or kind == criteria.kind)
        and (criteria.body is None or org == criteria.body)
    }
    rates: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    accepted = set()
    for pk, campaign_id, status, _org, _kind in responses:
        if pk not in wanted:
            continue
        rates[years[campaign_id]][1] += 1
        if status == ResponseStatus.ACCEPTED:
            rates[years[campaign_id]][0] += 1
            accepted.add(pk)
    counts: dict[int, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    answers = MeasureAnswer.objects.filter(response_id__in=list(accepted))
    if criteria.measure_keys is not None:  # measures are the same across versions by key
        answers = answers.filter(measure__key__in=criteria.measure_keys)
    # Counted by the database: one row per year, goal and status rather than one per answer.
    for campaign_id, goal, status, n in (
        answers.exclude(status="")
        .values_list("response__campaign_id", "measure__goal__number", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if criteria.goal is None or goal == criteria.goal:
            counts[years[campaign_id]][goal][status] += n
    staff: dict[int, list[int]] = defaultdict(lambda: [0] * (1 + len(Course.values)))
    for campaign_id, *values in BodyAnswer.objects.filter(
        response_id__in=list(accepted), staff_concerned__gt=0
    ).values_list(
        "response__campaign_id", "staff_concerned", *[f"completed_{c}" for c in Course.values]
    ):
        totals = staff[years[campaign_id]]
        for index, value in enumerate(values):
            totals[index] += value or 0
    routine_states: dict[int, Counter] = defaultdict(Counter)
    for campaign_id, state in (
        RoutineAnswer.objects.filter(response_id__in=list(accepted))
        .exclude(state="")
        .values_list("response__campaign_id", "state")
    ):
        routine_states[years[campaign_id]][state] += 1
    result = []
    for year in sorted(set(years.values())):
        by_goal = counts.get(year, {})
        totals = staff.get(year)
        states = routine_states.get(year, Counter())
        result.append(
            YearFigures(
                year=year,
                rate=tuple(rates[year]),
                implemented_by_goal={
                    g: StatusCounts(dict(c)).share(MeasureStatus.IMPLEMENTED)
                    for g, c in sorted(by_goal.items())
                },
                n_by_goal={g: sum(c.values()) for g, c in sorted(by_goal.items())},
                competence=Competence(totals[0], dict(zip(Course.values, totals[1:], strict=True)))
                if totals
                else None,
                routines_in_place=states["yes"] / sum(states.values()) if states else None,
            )
        )
    return result
