"""The consultation (remiss) of a draft plan version with its signatories: writes and reads.

The coordinator sends a draft version out with a deadline; every signatory gets an answer row
and its approvers an e-mail. The approver answers overall and per measure (agree, agree with
changes, disagree, with a comment), saves drafts and sends the answer in; a measure without an
answer counts as no comment. The coordinator reads the answers sent in, per measure and per
body, and records how each was handled (accepted, partly, not, with a reason). Reminders work as
in the follow-up: one body or all who have not answered, at most once a day per body, logged,
and a daily reminder near and after the deadline (`nollvision send_reminders`).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nollvision.accounts.models import Membership, Role
from nollvision.accounts.reach import Reached
from nollvision.accounts.selectors import memberships_of
from nollvision.core.mail_county import about_county
from nollvision.core.parsing import whole_number
from nollvision.core.validators import one_line
from nollvision.notifications import services as notices
from nollvision.notifications.enums import Kind
from nollvision.notifications.links import absolute_reverse, site_path
from nollvision.notifications.links import base_url as site_url
from nollvision.notifications.selectors import coordinators_of, people_of

from .editor import Text
from .enums import Handling, PlanStatus, Verdict
from .errors import PlanError
from .models import (
    Consultation,
    ConsultationAnswer,
    ConsultationMeasureAnswer,
    ConsultationReminder,
    Goal,
    Measure,
    Plan,
)

REMINDER_DAYS_BEFORE_DEADLINE = 7
# A reason must say why an answer was only partly or not taken in.
NEEDS_REASON = (Handling.PARTLY, Handling.NOT_ACCEPTED)


def _clean(instance, exclude=None) -> None:
    """The model's own validation (the text guards among it), as a refusal with its message."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise PlanError(" ".join(error.messages)) from error


def _base(base_url: str) -> str:
    return site_url(base_url)


# --- Sending and closing -----------------------------------------------------------------------


@transaction.atomic
def consultation_send(
    *,
    plan: Plan,
    deadline: date,
    message: str = "",
    user,
    today: date | None = None,
    base_url: str = "",
) -> Consultation:
    """Send a draft version to its signatories: one answer row per signatory, and a notice to
    the approvers of each (notifications), their e-mail stored in the outbox with the change."""
    today = today or timezone.localdate()
    # A second click waits for the first, then finds its consultation open and is refused.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft version of the plan can be sent for consultation."))
    if deadline is None or deadline <= today:
        raise PlanError(_("The last day to answer must be in the future."))
    if plan.consultations.filter(closed_at__isnull=True).exists():
        raise PlanError(
            _("This version is out for consultation already; close that consultation first.")
        )
    organisations = [s.organisation for s in plan.signatures.select_related("organisation")]
    if not organisations:
        raise PlanError(_("The plan has no signatories to consult."))
    consultation = Consultation(plan=plan, deadline=deadline, message=message, sent_by=user)
    _clean(consultation)
    consultation.save()
    answers = ConsultationAnswer.objects.bulk_create(
        [ConsultationAnswer(consultation=consultation, organisation=o) for o in organisations]
    )
    with translation.override(settings.LANGUAGE_CODE):
        for answer in answers:
            text = render_to_string(
                "plans/consultation_email.txt",
                {"consultation": consultation, "answer": answer, "base_url": ""},
            )
            notices.notify(
                kind=Kind.CONSULTATION_SENT,
                users=people_of([answer.organisation_id], [Role.APPROVER]),
                about=notices.about_plan(plan, body=answer.organisation.name),
                url=absolute_reverse("backoffice:consultation-answer", answer.pk, base=base_url),
                text=text.strip(),
            )
    return consultation


def without_approvers(organisations) -> list:
    """The bodies among `organisations` with no approver who has an e-mail address: nobody there
    hears of a consultation (the pages that send one say so, accounts/reach.py)."""
    organisations = list(organisations)
    reached = _approver_addresses(o.pk for o in organisations)
    return [o for o in organisations if not reached.get(o.pk)]


def _approver_addresses(organisation_ids) -> dict[int, list[str]]:
    addresses: dict[int, set[str]] = {}
    for organisation_id, email in (
        Membership.objects.filter(
            organisation__in=list(organisation_ids), role=Role.APPROVER, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    ):
        addresses.setdefault(organisation_id, set()).add(email)
    return {key: sorted(value) for key, value in addresses.items()}


def _subject(consultation: Consultation, *, reminder: bool) -> str:
    text = (
        _("Reminder: consultation on %(title)s, answer by %(deadline)s")
        if reminder
        else _("Consultation on %(title)s, answer by %(deadline)s")
    )
    return one_line(
        text % {"title": consultation.plan.title, "deadline": f"{consultation.deadline:%Y-%m-%d}"}
    )


def _mail(consultation, answers, template: str, base_url: str, *, reminder=False) -> int:
    """E-mail each body's approvers (one message per body); the number of messages sent."""
    addresses = _approver_addresses(a.organisation_id for a in answers)
    sent = 0
    region = consultation.plan.region_id
    with translation.override(settings.LANGUAGE_CODE), about_county(region):
        subject = _subject(consultation, reminder=reminder)
        for answer in answers:
            recipients = addresses.get(answer.organisation_id)
            if not recipients:
                continue
            body = render_to_string(
                template,
                {"consultation": consultation, "answer": answer, "base_url": _base(base_url)},
            )
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return sent


@transaction.atomic
def consultation_close(*, consultation: Consultation, now=None) -> Consultation:
    """No more answers; answers not sent in stay unsent. Handling goes on after closing."""
    if not consultation.is_open:
        raise PlanError(_("The consultation is closed already."))
    consultation.closed_at = now or timezone.now()
    consultation.save(update_fields=["closed_at", "updated_at"])
    return consultation


# --- Answering ---------------------------------------------------------------------------------


def _require_open(answer: ConsultationAnswer) -> None:
    if not answer.consultation.is_open:
        raise PlanError(_("The consultation is closed: the answer can no longer be changed."))
    if answer.submitted_at is not None:
        raise PlanError(_("The answer has been sent in and can no longer be changed."))


@transaction.atomic
def answer_save(
    *,
    answer: ConsultationAnswer,
    verdict: str,
    comment: str,
    measure_answers: dict[Measure, tuple[str, str]],
    user,
) -> ConsultationAnswer:
    """Save a draft of a body's answer: overall, and per measure `{measure: (verdict, comment)}`.
    A measure given neither a verdict nor a comment has no answer (an earlier one is removed)."""
    _require_open(answer)
    plan_id = answer.consultation.plan_id
    if any(measure.plan_id != plan_id for measure in measure_answers):
        raise PlanError(_("A measure of another plan version cannot be answered here."))
    answer.verdict = verdict or ""
    answer.comment = comment or ""
    _clean(answer)
    answer.save()
    existing = {row.measure_id: row for row in answer.measure_answers.exclude(measure=None)}
    for measure, (measure_verdict, measure_comment) in measure_answers.items():
        row = existing.get(measure.pk)
        measure_verdict, measure_comment = measure_verdict or "", measure_comment or ""
        if not measure_verdict and not measure_comment.strip():
            if row is not None:
                row.delete()
            continue
        if not measure_verdict:
            raise PlanError(
                _("Measure %(code)s: choose an answer for the comment.") % {"code": measure.code}
            )
        text = str(Text.of(dict(measure.text)).sv)
        if row is not None and (row.verdict, row.comment, row.measure_code, row.measure_text) == (
            measure_verdict,
            measure_comment,
            measure.code,
            text,
        ):
            continue
        row = row or ConsultationMeasureAnswer(answer=answer, measure=measure)
        row.measure_code = measure.code
        row.measure_text = text
        row.verdict = measure_verdict
        row.comment = measure_comment
        _clean(row, exclude=["answer"])
        row.save()
    return answer


@transaction.atomic
def answer_submit(*, answer: ConsultationAnswer, user, now=None) -> ConsultationAnswer:
    """Send the body's answer in. It needs an overall answer; measures without one count as no
    comment. After this the answer cannot be changed."""
    _require_open(answer)
    if not answer.verdict:
        raise PlanError(_("Give an overall answer before you send the answer in."))
    answer.submitted_at = now or timezone.now()
    answer.submitted_by = user
    answer.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    # The body's notice of the consultation is done.
    notices.notices_settle(paths=[site_path("backoffice:consultation-answer", answer.pk)])
    plan = answer.consultation.plan
    notices.notify(
        kind=Kind.CONSULTATION_ANSWERED,
        users=coordinators_of(plan.region_id),
        about=notices.about_plan(plan, body=answer.organisation.name),
        url=absolute_reverse("backoffice:consultation", answer.consultation_id),
        exclude=user,
    )
    return answer


# --- Handling ----------------------------------------------------------------------------------


def _answer_of(item) -> ConsultationAnswer:
    return item.answer if isinstance(item, ConsultationMeasureAnswer) else item


@transaction.atomic
def handle(*, item, handling: str, reason: str = "", now=None):
    """Record how the coordinator handled an answer sent in: overall (a `ConsultationAnswer`) or
    on a measure (a `ConsultationMeasureAnswer`). Partly or not accepted needs a reason."""
    if _answer_of(item).submitted_at is None:
        raise PlanError(_("Only an answer that has been sent in can be handled."))
    if handling not in Handling.values:
        raise PlanError(_("Choose how the answer was handled."))
    reason = (reason or "").strip()
    if handling in NEEDS_REASON and not reason:
        raise PlanError(_("Say why the answer was only partly or not accepted."))
    item.handling = handling
    item.handling_reason = reason
    item.handled_at = now or timezone.now()
    _clean(item, exclude=["answer", "consultation", "organisation"])
    item.save()
    return item


# --- Reminders ---------------------------------------------------------------------------------


def consultation_reminders_send(*, today: date, base_url: str = "") -> Reached:
    """The daily reminder: bodies that have not sent their answer in to an open consultation whose
    deadline is near or past; at most once a day per body (`nollvision send_reminders`)."""
    due = ConsultationAnswer.objects.filter(
        consultation__closed_at__isnull=True,
        consultation__deadline__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_DEADLINE),
        submitted_at__isnull=True,
    )
    return _remind(due, today=today, base_url=base_url)


def consultation_remind(
    *, consultation: Consultation, answers, by, today: date, base_url: str = ""
) -> Reached:
    """The coordinator reminds chosen bodies now (one, or all who have not answered): the same
    e-mail and log as the daily reminder, at most once a day per body, who sent it recorded.
    Bodies that have answered, and a closed consultation, are skipped."""
    if not consultation.is_open:
        raise PlanError(_("The consultation is closed: there is no one to remind."))
    due = consultation.answers.filter(
        pk__in=[answer.pk for answer in answers], submitted_at__isnull=True
    )
    return _remind(due, today=today, base_url=base_url, by=by)


def _remind(due: QuerySet, *, today: date, base_url: str, by=None) -> Reached:
    due = list(due.select_related("consultation__plan", "organisation"))
    reminded = set(
        ConsultationReminder.objects.filter(
            consultation__in={a.consultation_id for a in due}, sent_on=today
        ).values_list("consultation_id", "organisation_id")
    )
    due = [a for a in due if (a.consultation_id, a.organisation_id) not in reminded]
    addresses = _approver_addresses(a.organisation_id for a in due)
    logs, unreachable = [], []
    for answer in due:
        if not addresses.get(answer.organisation_id):  # nobody to receive it: named, not logged
            unreachable.append(answer.organisation)
            continue
        with transaction.atomic():
            log, created = ConsultationReminder.objects.get_or_create(
                consultation_id=answer.consultation_id,
                organisation_id=answer.organisation_id,
                sent_on=today,
                defaults={
                    "recipients": len(addresses.get(answer.organisation_id, [])),
                    "sent_by": by,
                },
            )
            if not created:
                continue
            _mail(
                answer.consultation,
                [answer],
                "plans/consultation_reminder_email.txt",
                base_url,
                reminder=True,
            )
            logs.append(log)
    return Reached(logs, unreachable)


# --- Reads -------------------------------------------------------------------------------------


def consultations_of(plan: Plan) -> QuerySet[Consultation]:
    """Every consultation of every version of the plan, newest first."""
    return (
        Consultation.objects.filter(plan__slug=plan.slug)
        .select_related("plan")
        .annotate(
            answer_count=Count("answers"),
            answered_count=Count("answers", filter=Q(answers__submitted_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )


def open_consultation(plan: Plan) -> Consultation | None:
    return plan.consultations.filter(closed_at__isnull=True).first()


def answers_by_body(consultation: Consultation) -> list[ConsultationAnswer]:
    """Every signatory's answer row (sent in or not) with its measure answers and the day it was
    last reminded (`last_reminder`), in the order of the bodies' names: three queries."""
    answers = list(
        consultation.answers.select_related("organisation", "submitted_by").prefetch_related(
            Prefetch(
                "measure_answers",
                queryset=ConsultationMeasureAnswer.objects.select_related("measure"),
            )
        )
    )
    last = dict(
        consultation.reminders.values("organisation_id")
        .annotate(last=Max("sent_on"))
        .values_list("organisation_id", "last")
    )
    for answer in answers:
        answer.last_reminder = last.get(answer.organisation_id)
    return answers


@dataclass
class MeasureRow:
    """One measure of the draft with the answers sent in about it; `measure` is None for a
    measure answered and since removed from the draft (its code is kept)."""

    code: str
    measure: Measure | None
    answers: list[ConsultationMeasureAnswer] = field(default_factory=list)
    removed_text: str = ""  # the text a removed measure had when it was answered

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        found = Counter(answer.verdict for answer in self.answers)
        return [(value, label, found[value]) for value, label in Verdict.choices]

    @property
    def needs_handling(self) -> int:
        return sum(1 for answer in self.answers if needs_handling(answer) and not answer.handling)


def needs_handling(item) -> bool:
    """An answer the coordinator should say how it was handled: anything but a plain 'agree'."""
    return item.verdict != Verdict.AGREE or bool(item.comment.strip())


def answers_by_measure(
    consultation: Consultation, answers: list[ConsultationAnswer] | None = None
) -> list[tuple[Goal | None, list[MeasureRow]]]:
    """The measures of the draft in plan order, grouped by goal, each with the answers sent in
    about it (measures without answers too); answers about measures no longer in the draft come
    last, under no goal. `answers`: those of `answers_by_body`, to spare the queries."""
    if answers is None:
        answers = answers_by_body(consultation)
    plan = consultation.plan
    goals = list(plan.goals.all())
    measures = list(plan.measures.order_by("goal__number", "position"))
    by_measure = {m.pk: MeasureRow(code=m.code, measure=m) for m in measures}
    gone: dict[str, MeasureRow] = {}
    for answer in answers:
        if answer.submitted_at is None:
            continue
        for item in answer.measure_answers.all():
            item.answer = answer  # the body, without a query per row
            row = by_measure.get(item.measure_id) if item.measure_id else None
            if row is None:
                row = gone.setdefault(
                    item.measure_code,
                    MeasureRow(
                        code=item.measure_code, measure=None, removed_text=item.measure_text
                    ),
                )
            row.answers.append(item)
    grouped: dict[int, list[MeasureRow]] = {}
    for measure in measures:
        grouped.setdefault(measure.goal_id, []).append(by_measure[measure.pk])
    result: list[tuple[Goal | None, list[MeasureRow]]] = [
        (goal, grouped.get(goal.pk, [])) for goal in goals
    ]
    if gone:
        result.append((None, sorted(gone.values(), key=lambda row: row.code)))
    return result


@dataclass(frozen=True)
class VerdictCount:
    verdict: str
    label: str
    overall: int
    measures: int


def verdict_counts(answers: list[ConsultationAnswer]) -> list[VerdictCount]:
    """How many bodies answered each way overall, and how many measure answers each way, among
    the answers sent in (from `answers_by_body`)."""
    sent = [answer for answer in answers if answer.submitted_at is not None]
    overall = Counter(answer.verdict for answer in sent)
    measures = Counter(item.verdict for answer in sent for item in answer.measure_answers.all())
    return [
        VerdictCount(value, str(label), overall[value], measures[value])
        for value, label in Verdict.choices
    ]


def bodies_not_answered(consultation: Consultation) -> QuerySet[ConsultationAnswer]:
    return consultation.answers.filter(submitted_at__isnull=True).select_related("organisation")


def consultations_to_answer(user) -> list[ConsultationAnswer]:
    """The answers the user must give: open consultations, not yet sent in, of the bodies the
    user approves for (for the home page)."""
    bodies = [m.organisation_id for m in memberships_of(user) if m.role == Role.APPROVER]
    if not bodies:
        return []
    return list(
        ConsultationAnswer.objects.filter(
            organisation_id__in=bodies,
            consultation__closed_at__isnull=True,
            submitted_at__isnull=True,
        )
        .select_related("organisation", "consultation__plan")
        .order_by("consultation__deadline", "pk")
    )


def consultation_item(
    consultation: Consultation, key: str
) -> ConsultationAnswer | ConsultationMeasureAnswer | None:
    """A body's answer (`a<pk>`) or one of its measure answers (`m<pk>`) in this consultation."""
    kind, number = key[:1], whole_number(key[1:])
    if number is None:
        return None
    if kind == "a":
        return consultation.answers.filter(pk=number).select_related("organisation").first()
    if kind == "m":
        return (
            ConsultationMeasureAnswer.objects.filter(answer__consultation=consultation, pk=number)
            .select_related("answer__organisation", "measure")
            .first()
        )
    return None


def answer_measures(
    answer: ConsultationAnswer,
) -> tuple[list[Measure], dict[int, ConsultationMeasureAnswer]]:
    """The measures of the draft in plan order (with their goals), and the body's answers on them
    by measure id: what the answer form shows."""
    measures = list(
        answer.consultation.plan.measures.select_related("goal").order_by(
            "goal__number", "position"
        )
    )
    items = {item.measure_id: item for item in answer.measure_answers.exclude(measure=None)}
    return measures, items


def answer_items(answer: ConsultationAnswer) -> list[ConsultationMeasureAnswer]:
    """The body's answers on measures, for reading."""
    return list(answer.measure_answers.select_related("measure__goal"))
