"""Writes of the follow-up. Status moves happen here only, following `enums.TRANSITIONS`."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from nollvision.accounts.models import Membership, Role
from nollvision.accounts.reach import Reached
from nollvision.core.mail_county import about_county
from nollvision.notifications import services as notices
from nollvision.notifications.enums import Kind
from nollvision.notifications.links import absolute_reverse, site_path
from nollvision.notifications.links import base_url as site_url
from nollvision.notifications.selectors import coordinators_of, people_of
from nollvision.plans.enums import PlanStatus

from .enums import (
    EDITABLE_STATUSES,
    Action,
    CampaignStatus,
    ResponseStatus,
    Routine,
    transition_for,
)
from .errors import Conflict, FollowupError, SaveConflict
from .models import (
    BodyAnswer,
    Campaign,
    ExtraAnswer,
    ExtraQuestion,
    MeasureAnswer,
    ParticipationAnswer,
    ReminderLog,
    Response,
    ReviewComment,
    RoutineAnswer,
    StatusChange,
)
from .progress import Progress, progress_of
from .rules import role_for

REMINDER_DAYS_BEFORE_DEADLINE = 7


# --- Campaigns --------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, plan, year: int, deadline: date, introduction=None) -> Campaign:
    """A follow-up of an adopted version: a draft is still being written, and an archived one
    has been replaced (follow-ups already running keep the version they were opened on)."""
    if plan.status != PlanStatus.ADOPTED:
        raise FollowupError(
            _("Only the adopted version of a plan is followed up; this one is %(status)s.")
            % {"status": plan.get_status_display()}
        )
    if Campaign.objects.filter(plan=plan, year=year).exists():
        raise FollowupError(
            _("There is already a follow-up of this plan for %(year)d.") % {"year": year}
        )
    campaign = Campaign(plan=plan, year=year, deadline=deadline, introduction=introduction or "")
    campaign.full_clean()
    campaign.save()
    return campaign


def _measures_for(plan, kind_id: int, measures=None):
    """The plan's measures that concern a kind of body (those naming no kind concern all);
    `measures`, read once with their kinds, spares a query per body."""
    if measures is None:
        measures = plan.measures.prefetch_related("organisation_kinds")
    return [
        measure
        for measure in measures
        if not measure.organisation_kinds.all()
        or any(kind.pk == kind_id for kind in measure.organisation_kinds.all())
    ]


@transaction.atomic
def campaign_open(*, campaign: Campaign, organisations=None) -> list[Response]:
    """Open the follow-up: every participating body (default: the signatories) gets its answer."""
    if campaign.status != CampaignStatus.DRAFT:
        raise FollowupError(_("Only a follow-up that is being prepared can be opened."))
    plan = campaign.plan
    plan.refresh_from_db(fields=["status"])
    if plan.status != PlanStatus.ADOPTED:  # a newer version was adopted since it was prepared
        raise FollowupError(
            _("Only the adopted version of a plan is followed up; this one is %(status)s.")
            % {"status": plan.get_status_display()}
        )
    organisations = list(organisations if organisations is not None else plan.signatories.all())
    if not organisations:
        raise FollowupError(_("The follow-up needs at least one participating organisation."))
    bodies = list(plan.collaboration_bodies.all())
    questions = list(campaign.questions.all())
    measures = list(plan.measures.prefetch_related("organisation_kinds"))
    responses = []
    for organisation in organisations:
        response, _created = Response.objects.get_or_create(
            campaign=campaign, organisation=organisation
        )
        BodyAnswer.objects.get_or_create(response=response)
        bulk_create_with_history(
            [
                MeasureAnswer(response=response, measure=measure)
                for measure in _measures_for(plan, organisation.kind_id, measures)
            ],
            MeasureAnswer,
        )
        bulk_create_with_history(
            [RoutineAnswer(response=response, routine=routine) for routine in Routine.values],
            RoutineAnswer,
        )
        bulk_create_with_history(
            [ParticipationAnswer(response=response, body=body) for body in bodies],
            ParticipationAnswer,
        )
        bulk_create_with_history(
            [ExtraAnswer(response=response, question=question) for question in questions],
            ExtraAnswer,
        )
        responses.append(response)
        _tell(response, Kind.FOLLOWUP_OPENED, people_of([organisation], [Role.REPORTER]))
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status", "updated_at"])
    return responses


def _about(response: Response) -> notices.About:
    return notices.about_plan(
        response.campaign.plan,
        followup_year=response.campaign.year,
        body=response.organisation.name,
    )


def _tell(response: Response, kind: str, users, *, by=None, text: str = "", page=None) -> None:
    """The hand-off's notice (notifications.services.notify), in the move's transaction."""
    url = absolute_reverse(*(page or ("backoffice:response", response.pk)))
    notices.notify(kind=kind, users=users, about=_about(response), url=url, text=text, exclude=by)


def _tell_transition(response: Response, action: str, user, reason: str, comments) -> None:
    """Who hears of a move: the approvers of what is sent in, the county board of what is
    approved, the reporters of what is returned (with the comments), both of what is accepted."""
    body = [response.organisation_id]
    # What earlier notices of this answer announced is done now: they leave "new".
    notices.notices_settle(
        paths=[
            site_path("backoffice:response", response.pk),
            site_path("backoffice:campaign-body", response.campaign_id, response.pk),
        ]
    )
    if action == Action.SUBMIT:
        _tell(response, Kind.SUBMITTED, people_of(body, [Role.APPROVER]), by=user)
    elif action == Action.APPROVE:
        _tell(
            response,
            Kind.APPROVED,
            coordinators_of(response.campaign.plan.region_id),
            by=user,
            page=("backoffice:campaign-body", response.campaign_id, response.pk),
        )
    elif action in (Action.RETURN, Action.REOPEN):
        with translation.override(settings.LANGUAGE_CODE):
            about = [f"{ReviewComment.subject_of(item)}: {said}" for item, said in comments.items()]
        text = "\n".join([reason, *about])
        _tell(response, Kind.RETURNED, people_of(body, [Role.REPORTER]), by=user, text=text)
    elif action == Action.ACCEPT:
        users = people_of(body, [Role.REPORTER, Role.APPROVER])
        _tell(response, Kind.ACCEPTED, users, by=user)


@transaction.atomic
def campaign_close(*, campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise FollowupError(_("Only an open follow-up can be closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status", "updated_at"])


@transaction.atomic
def question_add(*, campaign: Campaign, kind: str, text, choices: list[str]) -> ExtraQuestion:
    if campaign.status == CampaignStatus.CLOSED:
        raise FollowupError(_("A closed follow-up cannot get new questions."))
    question = ExtraQuestion(
        campaign=campaign,
        kind=kind,
        text=text,
        choices=choices,
        position=campaign.questions.count(),
    )
    question.full_clean()
    if question.kind in {"single", "multiple"} and len(choices) < 2:
        raise FollowupError(_("A choice question needs at least two choices."))
    question.save()
    bulk_create_with_history(
        [
            ExtraAnswer(response=response, question=question)
            for response in campaign.responses.all()
        ],
        ExtraAnswer,
    )
    return question


@transaction.atomic
def questions_copy(*, source: Campaign, target: Campaign) -> list[ExtraQuestion]:
    """Reuse last year's extra questions."""
    return [
        question_add(campaign=target, kind=q.kind, text=q.text, choices=list(q.choices))
        for q in source.questions.all()
    ]


# --- Saving answers ---------------------------------------------------------------------------


@dataclass
class MeasureChange:
    answer_id: int
    version: int
    values: dict[str, Any]
    # The year of the accepted answer the values were copied from; None for the person's own
    # change, which clears the "copied, check" mark.
    copied_from_year: int | None = None


@dataclass
class BodyChange:
    version: int
    values: dict[str, Any] = field(default_factory=dict)
    routines: dict[str, dict[str, Any]] = field(default_factory=dict)
    participations: dict[int, bool | None] = field(default_factory=dict)
    extras: dict[int, Any] = field(default_factory=dict)
    copied_from_year: int | None = None


def _require_editable(response: Response) -> None:
    if response.status not in EDITABLE_STATUSES:
        raise FollowupError(
            _("This answer is %(status)s and cannot be changed.")
            % {"status": response.get_status_display()}
        )
    if response.campaign.status != CampaignStatus.OPEN:
        raise FollowupError(_("The follow-up is not open for answers."))


def _as_dict(instance, names) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _check(instance) -> None:
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise FollowupError(" ".join(error.messages)) from None


def _touch(response: Response, user) -> None:
    if response.status == ResponseStatus.NOT_STARTED:
        response.status = ResponseStatus.DRAFT
    response.last_activity_at = timezone.now()
    response._history_user = user
    response.save(update_fields=["status", "last_activity_at", "updated_at"])


@transaction.atomic
def response_save(
    *, response: Response, user, measures: list[MeasureChange], body: BodyChange | None = None
) -> int:
    """Save what the user changed. Items saved by someone else since the user loaded them are
    refused, all together, with both versions (`SaveConflict`); nothing is overwritten."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=response.pk)
    )
    _require_editable(response)
    answers = {
        answer.pk: answer
        for answer in MeasureAnswer.objects.select_for_update(of=("self",))
        .filter(response=response, pk__in=[change.answer_id for change in measures])
        .select_related("measure", "updated_by")
    }
    conflicts = []
    saved = 0
    for change in measures:
        answer = answers.get(change.answer_id)
        if answer is None:
            raise FollowupError(_("That measure is not part of this answer."))
        if answer.version != change.version:
            conflicts.append(
                Conflict(
                    label=answer.measure.code,
                    theirs=_as_dict(answer, change.values),
                    yours=change.values,
                    by=str(answer.updated_by or ""),
                )
            )
            continue
        for name, value in change.values.items():
            setattr(answer, name, value)
        answer.copied_from_year = change.copied_from_year
        _check(answer)
        answer.version += 1
        answer.updated_by = user
        answer._history_user = user
        answer.save()
        saved += 1
    if body is not None:
        saved += _save_body(response, user, body, conflicts)
    if conflicts:
        raise SaveConflict(conflicts=conflicts)
    if saved:
        _touch(response, user)
    return saved


def _save_body(response, user, change: BodyChange, conflicts: list[Conflict]) -> int:
    answer = (
        BodyAnswer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(response=response)
    )
    if answer.version != change.version:
        conflicts.append(
            Conflict(
                label=_("About your organisation"),
                theirs=_as_dict(answer, change.values),
                yours=change.values,
                by=str(answer.updated_by or ""),
            )
        )
        return 0
    for name, value in change.values.items():
        setattr(answer, name, value)
    answer.copied_from_year = change.copied_from_year
    _check(answer)
    for routine in RoutineAnswer.objects.filter(
        response=response, routine__in=list(change.routines)
    ):
        for name, value in change.routines[routine.routine].items():
            setattr(routine, name, value)
        routine._history_user = user
        routine.save()
    for participation in ParticipationAnswer.objects.filter(
        response=response, body_id__in=list(change.participations)
    ):
        participation.participates = change.participations[participation.body_id]
        participation._history_user = user
        participation.save()
    for extra in ExtraAnswer.objects.filter(response=response, question_id__in=list(change.extras)):
        extra.value = change.extras[extra.question_id]
        extra._history_user = user
        extra.save()
    answer.version += 1
    answer.updated_by = user
    answer._history_user = user
    answer.save()
    return 1


# --- Workflow ---------------------------------------------------------------------------------


@transaction.atomic
def response_transition(
    *,
    response: Response,
    user,
    action: str,
    reason: str = "",
    comments: dict[str, str] | None = None,
) -> Response:
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign__plan", "organisation")
        .get(pk=response.pk)
    )
    if action not in Action.values:
        raise FollowupError(_("Unknown action."))
    transition = transition_for(action, response.status)
    if transition is None:
        raise FollowupError(
            _("An answer that is %(status)s cannot be %(action)s.")
            % {"status": response.get_status_display(), "action": Action(action).label}
        )
    if role_for(user, response) not in transition.roles:
        raise FollowupError(
            _("Your role does not allow you to %(action)s this answer.")
            % {"action": Action(action).label}
        )
    if response.campaign.status != CampaignStatus.OPEN:
        raise FollowupError(_("The follow-up is not open."))
    reason = reason.strip()
    comments = {item: text.strip() for item, text in (comments or {}).items() if text.strip()}
    if transition.needs_reason and not reason:
        raise FollowupError(_("Give a reason."))
    if action == Action.RETURN and not (reason or comments):
        raise FollowupError(_("Say what needs to change before returning the answer."))
    for model_field, text in [
        (StatusChange._meta.get_field("reason"), reason),
        *((ReviewComment._meta.get_field("text"), text) for text in comments.values()),
    ]:
        try:
            model_field.run_validators(text)  # the guards and length limit of the model field
        except ValidationError as error:
            raise FollowupError(" ".join(error.messages)) from None
    if action == Action.SUBMIT:
        gaps = response_progress(response).gaps
        if gaps:
            raise FollowupError(
                _("Answer every part before submitting; missing: %(parts)s.")
                % {"parts": "; ".join(gap.label for gap in gaps)}
            )
    StatusChange.objects.create(
        response=response,
        action=action,
        source=response.status,
        target=transition.target,
        by=user,
        reason=reason,
    )
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(response=response, item=item, text=text, author=user)
            for item, text in comments.items()
        ]
    )
    response.status = transition.target
    response.last_activity_at = timezone.now()
    response._history_user = user
    response.save(update_fields=["status", "last_activity_at", "updated_at"])
    _tell_transition(response, action, user, reason, comments)
    return response


def response_progress(response: Response) -> Progress:
    """Every part of the answer the form asks for, and which are missing (followup/progress.py)."""
    return progress_of(
        answers=list(response.measure_answers.select_related("measure")),
        routines=list(response.routines.all()),
        participations=list(response.participations.select_related("body")),
        extras=list(response.extra_answers.select_related("question")),
        body=response.body_answer,
    )


def previous_accepted(response: Response) -> Response | None:
    return (
        Response.objects.filter(
            organisation=response.organisation_id,
            campaign__plan__slug=response.campaign.plan.slug,
            campaign__year__lt=response.campaign.year,
            status=ResponseStatus.ACCEPTED,
        )
        .select_related("campaign")
        .order_by("-campaign__year")
        .first()
    )


MEASURE_FIELDS = (
    "status",
    "not_relevant_reason",
    "done",
    "prevention_levels",
    "target_groups",
    "child_rights",
    "next_steps",
    "may_publish",
)
BODY_FIELDS = (
    "resource_centre_url",
    "staff_concerned",
    "completed_violence",
    "completed_prostitution",
    "completed_honour",
    "completed_children",
    "specialist_staff",
    "comment",
)


@transaction.atomic
def response_start_from_previous(
    *, response: Response, user, answer_ids: list[int] | None = None, body: bool = True
) -> int:
    """Fill the questions not yet answered from last year's accepted answer of the same body:
    all of them, or the measures named by `answer_ids` (and the questions about the body only
    if `body`). Each copied part is marked "copied, check" until it is changed or confirmed."""
    source = previous_accepted(response)
    if source is None:
        raise FollowupError(_("There is no accepted answer from an earlier year to start from."))
    year = source.campaign.year
    old = {a.measure.key: a for a in source.measure_answers.select_related("measure")}
    answers = response.measure_answers.select_related("measure")
    if answer_ids is not None:
        answers = answers.filter(pk__in=answer_ids)
    changes = [
        MeasureChange(
            answer.pk,
            answer.version,
            _as_dict(old[answer.measure.key], MEASURE_FIELDS),
            copied_from_year=year,
        )
        for answer in answers
        if not answer.status and answer.measure.key in old
    ]
    copy_body, body = body, None
    current_body = response.body_answer
    if copy_body and current_body.version == 0 and hasattr(source, "body_answer"):
        old_routines = {r.routine: r for r in source.routines.all()}
        old_participation = {
            p.body.key: p.participates for p in source.participations.select_related("body")
        }
        body = BodyChange(
            version=0,
            values=_as_dict(source.body_answer, BODY_FIELDS),
            routines={
                code: {"state": r.state, "last_revised": r.last_revised}
                for code, r in old_routines.items()
            },
            participations={
                p.body_id: old_participation.get(p.body.key)
                for p in response.participations.select_related("body")
            },
            copied_from_year=year,
        )
    return response_save(response=response, user=user, measures=changes, body=body)


@transaction.atomic
def answers_confirm_copied(
    *, response: Response, user, answer_ids: list[int], body: bool = False
) -> int:
    """The person has checked copied parts and keeps them as they are: the "copied, check" mark
    goes (recorded in the history; the texts and their version stay, so nobody's open page is
    refused for it)."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=response.pk)
    )
    _require_editable(response)
    count = 0
    items = list(
        MeasureAnswer.objects.select_for_update(of=("self",)).filter(
            response=response, pk__in=answer_ids, copied_from_year__isnull=False
        )
    )
    if body:
        items += list(
            BodyAnswer.objects.select_for_update(of=("self",)).filter(
                response=response, copied_from_year__isnull=False
            )
        )
    for item in items:
        item.copied_from_year = None
        item.updated_by = user
        item._history_user = user
        item.save(update_fields=["copied_from_year", "updated_by", "updated_at"])
        count += 1
    if count:
        _touch(response, user)
    return count


@transaction.atomic
def response_assign(
    *, response: Response, user, assignee, answer_ids: list[int], body: bool = False
) -> int:
    """Hand measures (or the questions about the body) to a colleague of the same body."""
    _require_editable(response)
    if not answer_ids and not body:
        raise FollowupError(
            _(
                "Nothing was handed over: tick the measures, or the questions about the organisation."
            )
        )
    if (
        assignee is not None
        and not Membership.objects.filter(
            user=assignee,
            organisation=response.organisation_id,
            role__in=[Role.REPORTER, Role.APPROVER],
        ).exists()
    ):
        raise FollowupError(
            _("Measures can only be handed to a reporter or approver of the same organisation.")
        )
    count = response.measure_answers.filter(pk__in=answer_ids).update(assignee=assignee)
    if body:
        count += BodyAnswer.objects.filter(response=response).update(assignee=assignee)
    return count


@transaction.atomic
def answer_clear_for_publication(*, answer: MeasureAnswer, user, cleared: bool = True) -> None:
    """The coordinator has reviewed the texts for secrecy and personal data."""
    if answer.response.status != ResponseStatus.ACCEPTED:
        raise FollowupError(_("Only accepted answers can be cleared for publication."))
    if cleared and not answer.may_publish:
        raise FollowupError(_("The body has not agreed to publishing these texts."))
    answer.cleared_by = user if cleared else None
    answer.cleared_at = timezone.now() if cleared else None
    answer._history_user = user
    answer.save(update_fields=["cleared_by", "cleared_at"])


def clearable_answers(responses):
    """The answers the county board may clear for publication now: accepted, the body agreed,
    there is text, and not cleared yet."""
    return (
        MeasureAnswer.objects.filter(
            response__in=responses,
            response__status=ResponseStatus.ACCEPTED,
            may_publish=True,
            cleared_at__isnull=True,
        )
        .exclude(done="")
        .select_related("response", "measure")
        .order_by("response__pk", "measure__goal__number", "measure__position")
    )


@transaction.atomic
def answers_clear_for_publication(*, answers, user) -> int:
    """Clear many answers at once (a whole body with exceptions, or a whole follow-up): each
    recorded as if cleared one by one (who, when, a history row)."""
    count = 0
    for answer in answers:
        answer_clear_for_publication(answer=answer, user=user)
        count += 1
    return count


@transaction.atomic
def responses_accept(*, responses, user) -> int:
    """Accept every approved answer given (the county board's bulk action): each through the
    status table, with its own status change recorded."""
    count = 0
    for response in responses:
        if response.status == ResponseStatus.APPROVED:
            response_transition(response=response, user=user, action=Action.ACCEPT)
            count += 1
    return count


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(*, today: date, base_url: str = "") -> Reached:
    """E-mail the contact persons of bodies that have not submitted when the deadline is near or
    past; at most once a day per body (`nollvision send_reminders`, daily)."""
    due = Response.objects.filter(
        campaign__status=CampaignStatus.OPEN,
        campaign__deadline__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE),
        status__in=list(EDITABLE_STATUSES),
    )
    return _remind(due, today=today, base_url=base_url)


def reminders_send_now(*, responses, by, today: date, base_url: str = "") -> Reached:
    """The county board reminds chosen bodies now (one, or everyone not yet submitted): the same
    e-mail and log as the daily reminders, at most once a day per body, who sent it recorded.
    Bodies that have sent their answer in are skipped."""
    due = Response.objects.filter(
        pk__in=[r.pk for r in responses],
        campaign__status=CampaignStatus.OPEN,
        status__in=list(EDITABLE_STATUSES),
    )
    return _remind(due, today=today, base_url=base_url, by=by)


def _remind(due, *, today: date, base_url: str, by=None) -> Reached:
    base_url = site_url(base_url)  # the configured site if none given; one slash before paths
    due = list(
        due.exclude(reminders__sent_on=today).select_related(
            "campaign__plan__region", "organisation"
        )
    )
    addresses: dict[int, set[str]] = {}
    for organisation_id, email in (
        Membership.objects.filter(
            organisation__in=[response.organisation_id for response in due],
            role__in=[Role.REPORTER, Role.APPROVER],
            user__is_active=True,
        )
        .filter(~Q(user__email=""))
        .values_list("organisation_id", "user__email")
    ):
        addresses.setdefault(organisation_id, set()).add(email)
    logs, unreachable = [], []
    for response in due:
        recipients = sorted(addresses.get(response.organisation_id, set()))
        if not recipients:  # nobody to receive it: not recorded as reached, named instead
            unreachable.append(response.organisation)
            continue
        with transaction.atomic():
            log, created = ReminderLog.objects.get_or_create(
                response=response,
                sent_on=today,
                defaults={"recipients": len(recipients), "sent_by": by},
            )
            if not created:
                continue
            region = response.campaign.plan.region_id
            with translation.override(settings.LANGUAGE_CODE), about_county(region):
                send_mail(
                    _("Reminder: the follow-up of %(year)d") % {"year": response.campaign.year},
                    render_to_string(
                        "followup/reminder_email.txt",
                        {"response": response, "today": today, "base_url": base_url},
                    ),
                    settings.DEFAULT_FROM_EMAIL,
                    recipients,
                )
            logs.append(log)
    return Reached(logs, unreachable)
