"""Choices of the follow-up, and the one table of allowed status transitions."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nollvision.accounts.models import Role


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved by the body")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


EDITABLE_STATUSES = frozenset(
    {ResponseStatus.NOT_STARTED, ResponseStatus.DRAFT, ResponseStatus.RETURNED}
)
# The county board reads an answer once the body has sent it in.
SENT_STATUSES = frozenset(
    {ResponseStatus.SUBMITTED, ResponseStatus.APPROVED, ResponseStatus.ACCEPTED}
)


class Action(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("action", "submit")
    APPROVE = "approve", pgettext_lazy("action", "approve")
    RETURN = "return", pgettext_lazy("action", "return")
    ACCEPT = "accept", pgettext_lazy("action", "accept")
    REOPEN = "reopen", pgettext_lazy("action", "reopen")


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    needs_reason: bool = False


_BODY = frozenset({Role.REPORTER, Role.APPROVER})
_COORDINATOR = frozenset({Role.COORDINATOR})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.SUBMIT, ResponseStatus.DRAFT, ResponseStatus.SUBMITTED, _BODY),
    Transition(Action.SUBMIT, ResponseStatus.RETURNED, ResponseStatus.SUBMITTED, _BODY),
    Transition(
        Action.APPROVE,
        ResponseStatus.SUBMITTED,
        ResponseStatus.APPROVED,
        frozenset({Role.APPROVER}),
    ),
    Transition(
        Action.RETURN,
        ResponseStatus.SUBMITTED,
        ResponseStatus.RETURNED,
        frozenset({Role.APPROVER}),
    ),
    Transition(Action.RETURN, ResponseStatus.APPROVED, ResponseStatus.RETURNED, _COORDINATOR),
    Transition(Action.ACCEPT, ResponseStatus.APPROVED, ResponseStatus.ACCEPTED, _COORDINATOR),
    Transition(
        Action.REOPEN,
        ResponseStatus.ACCEPTED,
        ResponseStatus.RETURNED,
        _COORDINATOR,
        needs_reason=True,
    ),
)


def transition_for(action: str, source: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.action == action and transition.source == source:
            return transition
    return None


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("measure status", "not started")
    PLANNED = "planned", pgettext_lazy("measure status", "planned")
    ONGOING = "ongoing", pgettext_lazy("measure status", "ongoing")
    IMPLEMENTED = "implemented", pgettext_lazy("measure status", "implemented")
    NOT_RELEVANT = "not_relevant", pgettext_lazy("measure status", "not relevant for us")


class Routine(models.TextChoices):
    """The routines the plan asks every body to have."""

    ASK_CLIENTS = "ask_clients", _("Asking the people the body meets about violence")
    ASK_STAFF = "ask_staff", _("Asking the body's own staff about violence")
    CHILDREN_AT_RISK = "children_at_risk", _("Noticing children and young people at risk")
    HANDLE_ANSWER = "handle_answer", _("Handling the answer and referring onward")
    TREATMENT = "treatment", _("Treatment of victims and perpetrators")
    PROTECTION_PLANNING = "protection_planning", _("Protection planning in collaboration")


class RoutineState(models.TextChoices):
    YES = "yes", _("yes")
    IN_PROGRESS = "in_progress", _("in progress")
    NO = "no", _("no")


class Course(models.TextChoices):
    """The four web courses the plan names (measure 4.2)."""

    VIOLENCE = "violence", _("Web course on violence (NCK)")
    PROSTITUTION = "prostitution", _("Web course on prostitution and human trafficking")
    HONOUR = "honour", _("Web course on honour-related violence")
    CHILDREN = "children", _("Basic programme on violence against children (Barnafrid)")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("text")
    NUMBER = "number", _("number")
    YES_NO = "yes_no", _("yes or no")
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
