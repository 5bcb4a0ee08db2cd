"""The yearly follow-up: a campaign, each body's response, and its answers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from nollvision.accounts.models import (
    Organisation,
    OrganisationForeignKey,
)
from nollvision.core.fields import FreeTextField, GuardedJSONField
from nollvision.core.models import TimeStampedModel
from nollvision.core.translated import TranslatedField
from nollvision.core.validators import validate_https_url
from nollvision.plans.models import CollaborationBody, Measure, Plan

from .enums import (
    Action,
    CampaignStatus,
    MeasureStatus,
    QuestionKind,
    ResponseStatus,
    Routine,
    RoutineState,
)

USER = settings.AUTH_USER_MODEL


def _free_text(label, **kwargs):
    return FreeTextField(label, blank=True, **kwargs)


class Campaign(TimeStampedModel):
    """One year's follow-up of one version of a plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000)])
    deadline = models.DateField(_("deadline"))
    introduction = TranslatedField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="campaign_one_per_plan_year")
        ]

    def __str__(self) -> str:
        return f"{_('Follow-up')} {self.year} – {self.plan.title}"


class ExtraQuestion(models.Model):
    """A question the coordinator adds to a campaign; kept so next year's can reuse it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = TranslatedField(_("question"))
    choices = GuardedJSONField(
        _("choices"),
        multiline=False,
        default=list,
        blank=True,
        help_text=_("For choice questions: the options, one per line."),
    )

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return str(self.text)


class Response(TimeStampedModel):
    """One body's answer to one campaign, as a whole: its status and who moved it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    organisation = OrganisationForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ResponseStatus.choices,
        default=ResponseStatus.NOT_STARTED,
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="response_one_per_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.campaign.year}"


class MeasureAnswer(models.Model):
    """What a body did for one measure in the year."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="measure_answers")
    measure = models.ForeignKey(
        Measure,
        verbose_name=pgettext_lazy("plan", "measure"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, blank=True)
    not_relevant_reason = _free_text(_("why it is not relevant"))
    done = _free_text(_("what was done"))
    prevention_levels = models.JSONField(_("prevention levels addressed"), default=list, blank=True)
    target_groups = _free_text(_("target groups"))
    child_rights = _free_text(_("how the rights of the child were taken into account"))
    next_steps = _free_text(_("planned next steps"))
    may_publish = models.BooleanField(_("the texts may be published"), default=False)
    cleared_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared for publication by"),
    )
    cleared_at = models.DateTimeField(_("cleared for publication"), null=True, blank=True)
    assignee = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_measure_answers",
        verbose_name=_("held by"),
    )
    # Filled from last year's accepted answer and not looked at since: shown as "copied, check"
    # until the person changes the part or confirms it (services.response_save clears it).
    copied_from_year = models.PositiveSmallIntegerField(
        _("copied from the answer of"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("measure answer")
        verbose_name_plural = _("measure answers")
        ordering = ["response", "measure__goal__number", "measure__position"]
        constraints = [
            models.UniqueConstraint(fields=["response", "measure"], name="answer_one_per_measure"),
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.NOT_RELEVANT) | ~Q(not_relevant_reason=""),
                name="answer_not_relevant_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} – {self.measure.code}"

    def clean(self) -> None:
        if self.status == MeasureStatus.NOT_RELEVANT and not self.not_relevant_reason.strip():
            raise ValidationError(
                {
                    "not_relevant_reason": _(
                        "Say why the measure is not relevant for your organisation."
                    )
                }
            )

    @property
    def is_answered(self) -> bool:
        return bool(self.status)


class BodyAnswer(models.Model):
    """The questions asked once per body: competence, the resource centre link."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="body_answer")
    resource_centre_url = models.URLField(
        _("address of the page on your website that links to the resource centre"),
        blank=True,
        validators=[validate_https_url],
        max_length=500,
    )
    staff_concerned = models.PositiveIntegerField(_("staff concerned"), null=True, blank=True)
    completed_violence = models.PositiveIntegerField(
        _("staff who completed the web course on violence"), null=True, blank=True
    )
    completed_prostitution = models.PositiveIntegerField(
        _("staff who completed the web course on prostitution and human trafficking"),
        null=True,
        blank=True,
    )
    completed_honour = models.PositiveIntegerField(
        _("staff who completed the web course on honour-related violence"), null=True, blank=True
    )
    completed_children = models.PositiveIntegerField(
        _("staff who completed the basic programme on violence against children"),
        null=True,
        blank=True,
    )
    specialist_staff = models.PositiveIntegerField(
        _("staff with specialist knowledge"), null=True, blank=True
    )
    comment = _free_text(_("comment"))
    assignee = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_body_answers",
        verbose_name=_("held by"),
    )
    copied_from_year = models.PositiveSmallIntegerField(
        _("copied from the answer of"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("answers about the body")
        verbose_name_plural = _("answers about the body")

    def __str__(self) -> str:
        return str(self.response)

    def completed(self, course: str) -> int | None:
        return getattr(self, f"completed_{course}")


class RoutineAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="routines")
    routine = models.CharField(_("routine"), max_length=30, choices=Routine.choices)
    state = models.CharField(_("answer"), max_length=20, choices=RoutineState.choices, blank=True)
    last_revised = models.DateField(_("last revised"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routine answer")
        verbose_name_plural = _("routine answers")
        constraints = [models.UniqueConstraint(fields=["response", "routine"], name="routine_once")]

    def __str__(self) -> str:
        return self.get_routine_display()


class ParticipationAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="participations")
    body = models.ForeignKey(CollaborationBody, on_delete=models.PROTECT, related_name="+")
    participates = models.BooleanField(_("takes part"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation answer")
        verbose_name_plural = _("participation answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "body"], name="participation_once")
        ]

    def __str__(self) -> str:
        return str(self.body)


class ExtraAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="extra_answers")
    question = models.ForeignKey(ExtraQuestion, on_delete=models.CASCADE, related_name="answers")
    value = GuardedJSONField(_("answer"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer to an extra question")
        verbose_name_plural = _("answers to extra questions")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="extra_answer_once")
        ]

    def __str__(self) -> str:
        return str(self.question)


class StatusChange(models.Model):
    """Every move of a response through the workflow, with who, when and why."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="status_changes")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    source = models.CharField(_("from"), max_length=20, choices=ResponseStatus.choices)
    target = models.CharField(_("to"), max_length=20, choices=ResponseStatus.choices)
    by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = FreeTextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.response}: {self.source} → {self.target}"

    @property
    def said(self) -> str:
        """The step as the answer's history tells it: what was done and by whom (a name)."""
        done = {
            Action.SUBMIT: _("Sent in by %(who)s"),
            Action.APPROVE: _("Approved by %(who)s"),
            Action.RETURN: _("Sent back by %(who)s"),
            Action.ACCEPT: _("Accepted by %(who)s"),
            Action.REOPEN: _("Opened again by %(who)s"),
        }.get(self.action)
        who = str(self.by) if self.by else "–"  # the name where one is given
        return done % {"who": who} if done else self.get_action_display()


class ReviewComment(models.Model):
    """A comment on one question of a response, written when it is returned."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    item = models.CharField(_("question"), max_length=50)
    text = FreeTextField(_("comment"))
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text

    MEASURE_PREFIX = "measure:"

    @classmethod
    def subject_of(cls, item: str) -> str:
        """What a comment is about, as the answer page names it: a measure's code, or the
        questions about the body (routines, collaboration, the follow-up's own questions)."""
        if item.startswith(cls.MEASURE_PREFIX):
            return item.removeprefix(cls.MEASURE_PREFIX)
        return str(_("About your organisation"))


class ReminderLog(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(
        USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the daily reminder."),
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["response", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.sent_on}"
