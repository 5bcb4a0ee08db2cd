"""Reads of the follow-up, always limited to what the user may see."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta

from django.db import models
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from nollvision.accounts.models import Membership, Role
from nollvision.accounts.selectors import coordinated_region_ids, memberships_of
from nollvision.core.collation import swedish
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Measure

from .enums import (
    EDITABLE_STATUSES,
    Action,
    CampaignStatus,
    Course,
    MeasureStatus,
    ResponseStatus,
    Routine,
)
from .models import (
    BodyAnswer,
    Campaign,
    ExtraAnswer,
    MeasureAnswer,
    ParticipationAnswer,
    Response,
    RoutineAnswer,
    StatusChange,
)
from .rules import COORDINATOR_VISIBLE, role_for


def responses_visible_to(user) -> QuerySet[Response]:
    """Own body's answers in every state; others' only as `rules.view_response` allows."""
    memberships = memberships_of(user)
    own = [m.organisation_id for m in memberships if m.role in {Role.REPORTER, Role.APPROVER}]
    readers = [m.organisation.region_id for m in memberships if m.role == Role.READER]
    condition = Q(organisation_id__in=own)
    condition |= Q(
        campaign__plan__region_id__in=coordinated_region_ids(user),
        status__in=list(COORDINATOR_VISIBLE),
    )
    condition |= Q(campaign__plan__region_id__in=readers, status=ResponseStatus.ACCEPTED)
    return Response.objects.filter(condition).select_related(
        "campaign__plan__region", "organisation__kind"
    )


def response_get(*, user, pk: int) -> Response | None:
    return responses_visible_to(user).filter(pk=pk).first()


def response_of_own_body(*, user, pk: int) -> Response | None:
    """For actions only the body itself takes (saving, assigning)."""
    own = [
        m.organisation_id for m in memberships_of(user) if m.role in {Role.REPORTER, Role.APPROVER}
    ]
    return (
        Response.objects.filter(pk=pk, organisation_id__in=own)
        .select_related("campaign__plan", "organisation__kind")
        .first()
    )


def campaigns_coordinated_by(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(plan__region_id__in=coordinated_region_ids(user)).select_related(
        "plan"
    )


def campaigns_with_results(user) -> QuerySet[Campaign]:
    """Follow-ups whose results the user may see: as coordinator or as reader of the county."""
    readers = [m.organisation.region_id for m in memberships_of(user) if m.role == Role.READER]
    regions = coordinated_region_ids(user) | set(readers)
    return (
        Campaign.objects.filter(plan__region_id__in=regions)
        .exclude(status="draft")
        .order_by("-year")
    )


def campaign_get(*, user, pk: int) -> Campaign | None:
    return campaigns_coordinated_by(user).filter(pk=pk).first()


def my_responses(user) -> QuerySet[Response]:
    own = [
        m.organisation_id for m in memberships_of(user) if m.role in {Role.REPORTER, Role.APPROVER}
    ]
    return (
        Response.objects.filter(organisation_id__in=own)
        .select_related("campaign__plan", "organisation")
        .order_by("-campaign__year")
    )


@dataclass
class OverviewRow:
    response: Response
    answered: int
    total: int
    late: bool = False  # the deadline has passed and the answer is not sent in
    last_reminder: object = None

    @property
    def readable(self) -> bool:
        """The county board opens an answer once the body has sent it in."""
        return self.response.status in COORDINATOR_VISIBLE

    @property
    def remindable(self) -> bool:
        return self.response.status in EDITABLE_STATUSES


def campaign_overview(
    campaign: Campaign, *, measure_keys: frozenset[str] | None = None
) -> list[OverviewRow]:
    """Every participating body with its state, progress and last activity (fixed query count).
    With `measure_keys` (the stable keys of the prioritised measures, say), the progress counts
    only the answers about those measures."""
    answered = ~Q(measure_answers__status="")
    if measure_keys is None:
        total = Count("measure_answers", distinct=True)
    else:
        only = Q(measure_answers__measure__key__in=measure_keys)
        total = Count("measure_answers", filter=only, distinct=True)
        answered &= only
    responses = (
        campaign.responses.select_related("organisation__kind")
        .annotate(
            total=total,
            answered=Count("measure_answers", filter=answered, distinct=True),
            last_reminder=Max("reminders__sent_on"),
        )
        .order_by(swedish("organisation__name"))
    )
    past = campaign.deadline < timezone.localdate()
    return [
        OverviewRow(
            response,
            response.answered,
            response.total,
            late=past and response.status in EDITABLE_STATUSES,
            last_reminder=response.last_reminder,
        )
        for response in responses
    ]


def status_counts(rows: list[OverviewRow]) -> list[tuple[str, str, int]]:
    """(status, label, how many bodies) for every status, in workflow order."""
    counts = dict.fromkeys(ResponseStatus.values, 0)
    for row in rows:
        counts[row.response.status] += 1
    return [(status, label, counts[status]) for status, label in ResponseStatus.choices]


@dataclass
class FormData:
    """Everything the answer page shows, in a fixed number of queries."""

    answers: list[MeasureAnswer]
    prevention_levels: list
    routines: list
    participations: list[ParticipationAnswer]
    extras: list[ExtraAnswer]
    comments: list
    members: list
    status_changes: list


def response_form_data(response: Response) -> FormData:
    answers = list(
        response.measure_answers.select_related("measure__goal", "assignee", "cleared_by").order_by(
            "measure__goal__number", "measure__position"
        )
    )
    terms = list(response.campaign.plan.terms.filter(vocabulary=Vocabulary.PREVENTION_LEVEL))
    return FormData(
        answers=answers,
        prevention_levels=terms,
        routines=list(response.routines.all()),
        participations=list(
            response.participations.select_related("body").order_by("body__position")
        ),
        extras=list(
            response.extra_answers.select_related("question").order_by(
                "question__position", "question__pk"
            )
        ),
        comments=list(response.comments.select_related("author")),
        members=list(
            Membership.objects.filter(
                organisation=response.organisation_id, role__in=[Role.REPORTER, Role.APPROVER]
            ).select_related("user")
        ),
        status_changes=list(response.status_changes.select_related("by")),
    )


_NOT_CONTENT = ["version", "updated_by", "cleared_by", "cleared_at", "assignee"]


def history_moments(user, response) -> list | None:
    """When the answer became visible to `user`, if they are outside the body: the times it was
    sent in, approved or accepted for the county board, accepted only for readers. None for the
    body's own people, who see every change they made."""
    role = role_for(user, response)
    if role in {Role.REPORTER, Role.APPROVER}:
        return None
    shown = (
        {ResponseStatus.SUBMITTED, ResponseStatus.APPROVED, ResponseStatus.ACCEPTED}
        if role == Role.COORDINATOR
        else {ResponseStatus.ACCEPTED}
    )
    return [c.at for c in response.status_changes.all() if c.target in shown]


def _at_moments(records, moments: list) -> list:
    """Of each object's historical records (ordered by object, then time), only those in
    effect at one of `moments`: what the viewer could see, never the drafts in between."""
    kept = []
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for versions in by_object.values():
        seen = set()
        for moment in sorted(moments):
            current = next((r for r in reversed(versions) if r.history_date <= moment), None)
            if current is not None and current.history_id not in seen:
                seen.add(current.history_id)
                kept.append(current)
    return kept


def _display(field, value):
    """A value of the history as people read it: labels for choices and yes/no, lists joined,
    nothing shown as a dash (never "True" or a code)."""
    if value in (None, "", [], {}):
        return None
    if isinstance(field, models.BooleanField) or isinstance(value, bool):  # also a JSON yes/no
        return str(_("yes") if value else _("no"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return str(value.get("sv") or next(iter(value.values()), ""))
    return value


def _first_version(record, label_of) -> list[dict]:
    """The content of an object's first version shown to an outsider, as changes from nothing."""
    entries = []
    for field in record.instance._meta.concrete_fields:
        if field.attname in _NOT_CONTENT or field.is_relation or field.primary_key:
            continue
        value = getattr(record, field.attname, None)
        if value not in (None, "", [], {}):
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "item": label_of(record),
                    "field": field.verbose_name,
                    "before": None,
                    "after": _display(field, value),
                }
            )
    return entries


def _changes(records, label_of, from_nothing: bool = False) -> list[dict]:
    """Field-by-field changes between consecutive historical records of each object (and, for
    an outsider's view, the first version shown as changes from nothing)."""
    entries = []
    previous: dict[int, object] = {}
    for record in records:
        before = previous.get(record.id)
        if before is None and from_nothing:
            entries.extend(_first_version(record, label_of))
        if before is not None:
            delta = record.diff_against(before, excluded_fields=_NOT_CONTENT)
            for change in delta.changes:
                field = record.instance._meta.get_field(change.field)
                entries.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "item": label_of(record),
                        "field": field.verbose_name,
                        "before": _display(field, change.old),
                        "after": _display(field, change.new),
                    }
                )
        previous[record.id] = record
    return entries


def answer_history(response: Response, moments: list | None = None) -> list[dict]:
    """Every change of content of a body's answer, newest first: who, when, what, before, after.
    With `moments` (see `history_moments`), only the changes between the versions that were in
    effect at those moments."""
    codes = dict(response.measure_answers.values_list("pk", "measure__code"))
    routines = dict(Routine.choices)
    bodies = {p.pk: str(p.body.name) for p in response.participations.select_related("body")}
    questions = {
        e.pk: str(e.question.text) for e in response.extra_answers.select_related("question")
    }
    sources = [
        (MeasureAnswer.history.filter(response_id=response.pk), lambda r: codes.get(r.id, "")),
        (BodyAnswer.history.filter(response_id=response.pk), lambda r: ""),
        (
            RoutineAnswer.history.filter(response_id=response.pk),
            lambda r: str(routines.get(r.routine, "")),
        ),
        (
            ParticipationAnswer.history.filter(response_id=response.pk),
            lambda r: bodies.get(r.id, ""),
        ),
        (ExtraAnswer.history.filter(response_id=response.pk), lambda r: questions.get(r.id, "")),
    ]
    entries = []
    for records, label_of in sources:
        ordered = records.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        )
        if moments is None:
            entries += _changes(ordered, label_of)
        else:
            entries += _changes(_at_moments(ordered, moments), label_of, from_nothing=True)
    return sorted(entries, key=lambda entry: entry["when"], reverse=True)


def response_versions(response: Response) -> dict[str, int]:
    """The current version of every item, as the answer page's hidden fields name them."""
    versions = {
        f"m{pk}-version": version
        for pk, version in MeasureAnswer.objects.filter(response=response).values_list(
            "pk", "version"
        )
    }
    versions["body-version"] = BodyAnswer.objects.get(response=response).version
    return versions


def competence_shares(body) -> list[tuple[str, float | None]]:
    """Share of the staff concerned (in per cent) who completed each web course."""
    shares = []
    for course in Course:
        completed = body.completed(course.value)
        if not body.staff_concerned or completed is None:
            shares.append((str(course.label), None))
        else:
            shares.append((str(course.label), 100 * completed / body.staff_concerned))
    return shares


def answers_by_key(response: Response) -> dict[str, MeasureAnswer]:
    """A response's measure answers by the measure's stable key (to set last year's beside this
    year's, across versions of the plan): one query."""
    shown = ("status", "not_relevant_reason", "done", "target_groups", "child_rights")
    return {
        answer.measure.key: answer
        for answer in response.measure_answers.select_related("measure").only(
            *shown, "next_steps", "response_id", "measure__key"
        )
    }


@dataclass
class Returned:
    """Why an answer came back: the latest return, its message and the comments per measure."""

    change: StatusChange
    comments: list


def latest_return(data: FormData) -> Returned | None:
    returns = [c for c in data.status_changes if c.action == Action.RETURN]
    if not returns:
        return None
    latest = returns[-1]
    comments = [c for c in data.comments if c.created_at >= latest.at - timedelta(seconds=5)]
    return Returned(latest, comments)


@dataclass
class Waiting:
    """One follow-up's answers that wait for the user, each with what is to be done."""

    campaign: Campaign
    items: list = dataclass_field(default_factory=list)  # (response, what, comments)
    late: int = 0  # bodies past the deadline that have not sent their answer in (coordinator)


def waiting_for(user) -> list[Waiting]:
    """What waits for the user, per follow-up, newest first: their body's answers to write or
    correct (reporters), to approve (approvers), to review (the county board), and for the
    county board how many bodies are late. A fixed number of queries."""
    memberships = memberships_of(user)
    writing = [m.organisation_id for m in memberships if m.role in {Role.REPORTER, Role.APPROVER}]
    approving = [m.organisation_id for m in memberships if m.role == Role.APPROVER]
    regions = coordinated_region_ids(user)
    condition = Q(
        organisation_id__in=writing,
        status__in=[ResponseStatus.NOT_STARTED, ResponseStatus.DRAFT, ResponseStatus.RETURNED],
    )
    condition |= Q(organisation_id__in=approving, status=ResponseStatus.SUBMITTED)
    condition |= Q(campaign__plan__region_id__in=regions, status=ResponseStatus.APPROVED)
    responses = (
        Response.objects.filter(condition, campaign__status=CampaignStatus.OPEN)
        .select_related("campaign__plan", "organisation")
        .annotate(comment_count=Count("comments"))
        .order_by("-campaign__year", swedish("organisation__name"))
    )
    groups: dict[int, Waiting] = {}
    for response in responses:
        group = groups.setdefault(response.campaign_id, Waiting(response.campaign))
        if response.status == ResponseStatus.APPROVED:
            what = _("review and accept or return")
        elif response.status == ResponseStatus.SUBMITTED:
            what = _("approve or return to the reporter")
        elif response.status == ResponseStatus.RETURNED:
            what = _("correct and send in again")
        else:
            what = _("answer and send in")
        group.items.append((response, what, response.comment_count))
    if regions:
        today = timezone.localdate()
        late = (
            Response.objects.filter(
                campaign__plan__region_id__in=regions,
                campaign__status=CampaignStatus.OPEN,
                campaign__deadline__lt=today,
                status__in=list(EDITABLE_STATUSES),
            )
            .values("campaign_id")
            .annotate(n=Count("pk"))
        )
        campaigns = {
            c.pk: c
            for c in Campaign.objects.filter(
                pk__in=[row["campaign_id"] for row in late]
            ).select_related("plan")
        }
        for row in late:
            group = groups.setdefault(row["campaign_id"], Waiting(campaigns[row["campaign_id"]]))
            group.late = row["n"]
    return sorted(groups.values(), key=lambda g: -g.campaign.year)


# The work matrix: each measure against each body, in the follow-up's current state. A cell is a
# state with a symbol as well as a colour (never colour alone).
CELL_NOT_SENT = "not_sent"  # the body has not sent its answer in (draft, not started, returned)
CELL_WAITING = "waiting"  # sent in, not yet accepted by the county board
CELL_SYMBOLS = {
    MeasureStatus.IMPLEMENTED: "✓",
    MeasureStatus.ONGOING: "◐",
    MeasureStatus.PLANNED: "○",
    MeasureStatus.NOT_STARTED: "✗",
    MeasureStatus.NOT_RELEVANT: "–",
    CELL_WAITING: "…",
    CELL_NOT_SENT: "·",
}


def cell_label(state: str) -> str:
    if state == CELL_WAITING:
        return str(_("sent in, not yet accepted"))
    if state == CELL_NOT_SENT:
        return str(_("not sent in"))
    if state == "":
        return str(_("accepted, no status"))
    return str(MeasureStatus(state).label)


@dataclass
class WorkCell:
    state: str
    answer_id: int
    response_id: int

    @property
    def symbol(self) -> str:
        return CELL_SYMBOLS.get(self.state, "?")

    @property
    def label(self) -> str:
        return cell_label(self.state)


@dataclass
class WorkMatrix:
    measures: list
    bodies: list  # (response, organisation)
    cells: dict  # (measure id, response id) -> WorkCell

    def rows(self):
        for measure in self.measures:
            yield measure, [self.cells.get((measure.pk, response.pk)) for response in self.bodies]


def work_matrix(
    campaign: Campaign,
    *,
    goal=None,
    kind=None,
    state=None,
    measure_keys: frozenset[str] | None = None,
) -> WorkMatrix:
    """Each measure against each participating body, as the follow-up stands now: two queries.
    Filters: a goal number, an organisation kind's code, a cell state, the stable keys of the
    measures to show (the prioritised ones)."""
    responses = list(
        campaign.responses.select_related("organisation__kind").order_by(
            swedish("organisation__name")
        )
    )
    if kind:
        responses = [r for r in responses if r.organisation.kind.code == kind]
    measures = list(
        Measure.objects.filter(plan=campaign.plan_id)
        .select_related("goal")
        # What the matrix shows and filters on; the rest of a measure is left unread.
        .only("code", "key", "text", "position", "goal__number")
        .order_by("goal__number", "position")
    )
    if goal:
        measures = [m for m in measures if m.goal.number == goal]
    if measure_keys is not None:
        measures = [m for m in measures if m.key in measure_keys]
    by_status = {r.pk: r.status for r in responses}
    cells = {}
    for answer_id, response_id, measure_id, status in MeasureAnswer.objects.filter(
        response__in=responses
    ).values_list("pk", "response_id", "measure_id", "status"):
        sent = by_status[response_id]
        if sent == ResponseStatus.ACCEPTED:
            cell_state = status
        elif sent in (ResponseStatus.SUBMITTED, ResponseStatus.APPROVED):
            cell_state = CELL_WAITING
        else:
            cell_state = CELL_NOT_SENT
        cells[(measure_id, response_id)] = WorkCell(cell_state, answer_id, response_id)
    if state:
        cells = {key: cell for key, cell in cells.items() if cell.state == state}
        kept = {measure_id for measure_id, _r in cells}
        measures = [m for m in measures if m.pk in kept]
    return WorkMatrix(measures, responses, cells)
