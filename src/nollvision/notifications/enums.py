"""The kinds of notice (one per hand-off), how each person wants to hear of them, and the states
of a message in the outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FOLLOWUP_OPENED = "followup_opened", _("A follow-up is opened for your body")
    SUBMITTED = "submitted", _("An answer is sent in for your approval")
    APPROVED = "approved", _("An answer is approved and waits for the county board")
    RETURNED = "returned", _("An answer is returned with comments")
    ACCEPTED = "accepted", _("An answer is accepted by the county board")
    CONSULTATION_SENT = "consultation_sent", _("A draft plan is sent for consultation")
    CONSULTATION_ANSWERED = "consultation_answered", _("A consultation answer is sent in")
    MINUTES_PUBLISHED = "minutes_published", _("Minutes are published")
    SIGNING_AWAITED = "signing_awaited", _("An adopted plan waits for your body's signing")
    REPORT_PUBLISHED = "report_published", _("The annual report is published")


# What happened, as the first words of the notice's subject.
HEADLINES = {
    Kind.FOLLOWUP_OPENED: _("Follow-up opened"),
    Kind.SUBMITTED: _("Answer sent in for approval"),
    Kind.APPROVED: _("Answer approved, to review"),
    Kind.RETURNED: _("Answer returned"),
    Kind.ACCEPTED: _("Answer accepted"),
    Kind.CONSULTATION_SENT: _("Consultation on a draft plan"),
    Kind.CONSULTATION_ANSWERED: _("Consultation answer sent in"),
    Kind.MINUTES_PUBLISHED: _("Minutes published"),
    Kind.SIGNING_AWAITED: _("Signing awaited"),
    Kind.REPORT_PUBLISHED: _("Annual report published"),
}


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", _("By e-mail at once")
    DIGEST = "digest", _("In a daily e-mail digest")
    PAGE = "page", _("Only on my work page")


class OutboxState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    FAILING = "failing", _("failing, will be tried again")
    SENT = "sent", _("sent")
