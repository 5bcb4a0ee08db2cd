"""The revision of a plan as a task list: draft, consultation, handling of the answers, adoption
and signing, each with its state and the next step (who does what).

A revision is a version started from an earlier one (`previous_version`): the newest version of
the plan while it is a draft, and after its adoption until the next draft starts. Reads only:
the writes are the editor's (`editor.py`), the consultation's (`consultation.py`) and the
signings' (`services.signing_record`). Which address a step leads to is the interface's choice:
a step names its `action` (`send`, `follow`, `handle`, `adopt`, `sign`) and the page links it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from nollvision.accounts.selectors import coordinated_region_ids

from .enums import MeasureChange, PlanStatus, Verdict
from .models import Consultation, ConsultationAnswer, ConsultationMeasureAnswer, Plan, Signing


class State:
    """The state of a stage; `LABELS` names each on the page."""

    DONE = "done"
    NOW = "now"  # the coordinator's turn
    OPEN = "open"  # under way, waiting on others
    LATER = "later"
    SKIPPED = "skipped"


LABELS = {
    State.DONE: gettext_lazy("done"),
    State.NOW: gettext_lazy("your turn"),
    State.OPEN: gettext_lazy("under way"),
    State.LATER: gettext_lazy("not yet"),
    State.SKIPPED: gettext_lazy("not held"),
}

STAGES = {
    "draft": gettext_lazy("Draft"),
    "consultation": gettext_lazy("Consultation"),
    "handling": gettext_lazy("Handling of the answers"),
    "adoption": gettext_lazy("Adoption"),
    "signing": gettext_lazy("Signing"),
}


@dataclass
class NextStep:
    who: str
    what: str
    action: str  # what the page links: send, follow, handle, adopt, sign


@dataclass
class Stage:
    key: str
    state: str
    summary: str
    next: NextStep | None = None

    @property
    def title(self) -> str:
        return str(STAGES[self.key])

    @property
    def state_label(self) -> str:
        return str(LABELS[self.state])


@dataclass
class Revision:
    plan: Plan
    stages: list[Stage] = field(default_factory=list)
    consultation: Consultation | None = None  # the newest consultation on the version

    @property
    def current(self) -> Stage | None:
        """The stage the work is at: the first that is the coordinator's turn (answers to
        handle come before following a consultation still open), else the first under way."""
        for state in (State.NOW, State.OPEN):
            found = next((s for s in self.stages if s.state == state), None)
            if found is not None:
                return found
        return None

    @property
    def finished(self) -> bool:
        return self.current is None


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def needs_handling_q() -> Q:
    """An answer sent in that the coordinator has not said how it was handled, and that asks for
    it (anything but a plain 'agree': `consultation.needs_handling`)."""
    return Q(handling="") & (~Q(verdict=Verdict.AGREE) | ~Q(comment=""))


def unhandled_by_consultation(consultations) -> dict[int, int]:
    """For each consultation among `consultations` (a queryset), how many answers sent in wait
    for their handling, overall and on measures: two queries."""
    counts: dict[int, int] = {}
    overall = (
        ConsultationAnswer.objects.filter(
            needs_handling_q(), consultation__in=consultations, submitted_at__isnull=False
        )
        .values("consultation_id")
        .annotate(n=Count("pk"))
    )
    measures = (
        ConsultationMeasureAnswer.objects.filter(
            needs_handling_q(),
            answer__consultation__in=consultations,
            answer__submitted_at__isnull=False,
        )
        .values("answer__consultation_id")
        .annotate(n=Count("pk"))
    )
    for row in overall:
        counts[row["consultation_id"]] = counts.get(row["consultation_id"], 0) + row["n"]
    for row in measures:
        key = row["answer__consultation_id"]
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def answers_to_handle(user) -> list[tuple[Consultation, int]]:
    """For the coordinator's "Waiting for you": each consultation of the counties the user
    coordinates with answers sent in that wait for their handling, and how many; the oldest
    first. Three queries."""
    regions = coordinated_region_ids(user)
    if not regions:
        return []
    consultations = Consultation.objects.filter(plan__region_id__in=regions)
    counts = unhandled_by_consultation(consultations)
    if not counts:
        return []
    found = consultations.filter(pk__in=counts).select_related("plan").order_by("created_at")
    return [(consultation, counts[consultation.pk]) for consultation in found]


def revision_version(newest: Plan) -> Plan | None:
    """The version under revision, given the plan's newest version: itself when it was started
    from an earlier version (a draft, or adopted from one), else None (a first version as it
    was imported has no revision to follow)."""
    return newest if newest.previous_version_id else None


def revision_of(plan: Plan) -> Revision:
    """The stages of the revision that made `plan` (a version with a previous version)."""
    consultations = list(
        plan.consultations.annotate(
            answer_count=Count("answers"),
            answered_count=Count("answers", filter=Q(answers__submitted_at__isnull=False)),
        ).order_by("created_at", "pk")
    )
    latest = consultations[-1] if consultations else None
    to_handle = sum(
        unhandled_by_consultation(plan.consultations.all()).values()
    )  # every consultation on the version
    answered = sum(c.answered_count for c in consultations)
    draft = plan.status == PlanStatus.DRAFT
    coordinator = _("You (the county administrative board)")
    stages = [
        _draft_stage(plan, latest, draft, coordinator),
        _consultation_stage(latest, draft, coordinator),
        _handling_stage(latest, draft, answered, to_handle, coordinator),
    ]
    stages.append(_adoption_stage(plan, draft, stages, coordinator))
    stages.append(_signing_stage(plan, draft))
    return Revision(plan=plan, stages=stages, consultation=latest)


def _draft_stage(plan, latest, draft, coordinator) -> Stage:
    changed = plan.measures.exclude(change=MeasureChange.UNCHANGED).count()
    retired = plan.retired_measures.count()
    counts = (
        ngettext("%(count)d measure changed or new", "%(count)d measures changed or new", changed)
        % {"count": changed}
        + ", "
        + ngettext("%(count)d retired", "%(count)d retired", retired) % {"count": retired}
    )
    started = _("Version %(version)d started from version %(previous)d: %(counts)s.") % {
        "version": plan.version,
        "previous": plan.previous_version.version,
        "counts": counts,
    }
    if draft and latest is None:
        return Stage(
            "draft",
            State.NOW,
            started,
            NextStep(
                coordinator,
                _("Revise the measures, then send the draft to the signatories for consultation."),
                "send",
            ),
        )
    return Stage("draft", State.DONE, started)


def _consultation_stage(latest, draft, coordinator) -> Stage:
    if latest is None:
        if draft:
            return Stage("consultation", State.LATER, _("The draft has not been sent yet."))
        return Stage("consultation", State.SKIPPED, _("No consultation was held on this version."))
    counts = {"done": latest.answered_count, "total": latest.answer_count}
    if latest.is_open:
        waiting = latest.answer_count - latest.answered_count
        return Stage(
            "consultation",
            State.OPEN,
            _(
                "Sent on %(sent)s, open until %(deadline)s: %(done)d of %(total)d bodies have "
                "answered."
            )
            % {**counts, "sent": _date(latest.created_at), "deadline": _date(latest.deadline)},
            NextStep(
                _("The signatories' approvers"),
                ngettext(
                    "%(count)d body still to answer by %(deadline)s. Follow the answers, remind "
                    "or close the consultation.",
                    "%(count)d bodies still to answer by %(deadline)s. Follow the answers, "
                    "remind or close the consultation.",
                    waiting,
                )
                % {"count": waiting, "deadline": _date(latest.deadline)},
                "follow",
            ),
        )
    return Stage(
        "consultation",
        State.DONE,
        _("Closed on %(closed)s: %(done)d of %(total)d bodies answered.")
        % {**counts, "closed": _date(latest.closed_at)},
    )


def _handling_stage(latest, draft, answered, to_handle, coordinator) -> Stage:
    if to_handle:
        return Stage(
            "handling",
            State.NOW,
            ngettext(
                "%(count)d answer waits for its handling.",
                "%(count)d answers wait for their handling.",
                to_handle,
            )
            % {"count": to_handle},
            NextStep(
                coordinator,
                _("Record how each answer was handled (accepted, partly, not) and why."),
                "handle",
            ),
        )
    if latest is None:
        return Stage(
            "handling",
            State.LATER if draft else State.SKIPPED,
            _("Starts when answers come in.") if draft else _("There were no answers to handle."),
        )
    if latest.is_open:
        return Stage(
            "handling",
            State.LATER if not answered else State.OPEN,
            _("Starts when answers come in.")
            if not answered
            else _("Every answer sent in so far is handled."),
        )
    return Stage(
        "handling",
        State.DONE,
        _("Every answer sent in is handled.")
        if answered
        else _("There were no answers to handle."),
    )


def _adoption_stage(plan, draft, before, coordinator) -> Stage:
    if not draft:
        summary = (
            _("Adopted on %(date)s.") % {"date": _date(plan.adopted_on)}
            if plan.adopted_on
            else _("Adopted.")  # a version imported from a file may give no date
        )
        if plan.previous_version.status == PlanStatus.ARCHIVED:
            summary += " " + _(
                "Version %(previous)d is archived; the public site shows version %(version)d."
            ) % {"previous": plan.previous_version.version, "version": plan.version}
        return Stage("adoption", State.DONE, summary)
    busy = any(stage.state in (State.NOW, State.OPEN) for stage in before)
    return Stage(
        "adoption",
        State.LATER if busy else State.NOW,
        _("Not adopted yet: the public site and the follow-ups use version %(previous)d.")
        % {"previous": plan.previous_version.version},
        NextStep(
            coordinator,
            _("Adopt version %(version)d with the date of the decision.")
            % {"version": plan.version},
            "adopt",
        ),
    )


def _signing_stage(plan, draft) -> Stage:
    if draft:
        return Stage(
            "signing", State.LATER, _("After adoption each signatory records its signing.")
        )
    total = plan.signatures.count()
    signed = Signing.objects.filter(plan=plan).count()
    counts = {"done": signed, "total": total}
    if signed >= total:
        return Stage(
            "signing",
            State.DONE,
            _("All %(total)d signatories have recorded their signing.") % counts,
        )
    return Stage(
        "signing",
        State.OPEN,
        _("%(done)d of %(total)d signatories have recorded their signing.") % counts,
        NextStep(
            _("Each signatory's approver, or you for them"),
            _("Record who signed for each body, in which role and when."),
            "sign",
        ),
    )


@dataclass
class MeasureChanges:
    """What changed in a draft since its previous version, for those who answer a consultation
    on it: the comparison rows of the changed measures by the draft measure's id, the retired
    measures' rows, and how many of each kind."""

    previous: Plan | None = None
    by_measure: dict = field(default_factory=dict)
    retired: list = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)


def measure_changes(plan: Plan) -> MeasureChanges:
    """The coordinator's comparison (`selectors.plan_diff`) of `plan` with its previous version,
    by measure. A first version has nothing to compare."""
    from .selectors import plan_diff

    if not plan.previous_version_id:
        return MeasureChanges()
    rows = plan_diff(plan.previous_version, plan)
    changes = MeasureChanges(previous=plan.previous_version)
    found: dict[str, int] = {}
    for row in rows:
        if row.change == MeasureChange.UNCHANGED:
            continue
        found[row.change] = found.get(row.change, 0) + 1
        if row.new is None:
            changes.retired.append(row)
        else:
            changes.by_measure[row.new.pk] = row
    kinds = [*MeasureChange.choices, ("retired", pgettext_lazy("measure change", "retired"))]
    changes.counts = [
        (value, str(label), found[value]) for value, label in kinds if found.get(value)
    ]
    return changes
