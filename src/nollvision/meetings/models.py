"""The collaboration structure at work: groups, their members, meetings with agendas, minutes,
attendance and attachments, decisions, and actions tied to the plan's measures.

A group belongs to a plan by slug and to a collaboration body by key, so its meetings stay
together across the plan's versions. Nothing here is public unless the coordinator publishes a
meeting's minutes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nollvision.accounts.models import (
    Organisation,
    OrganisationForeignKey,
    OrganisationManyToManyField,
)
from nollvision.core.fields import FreeTextField, LineField
from nollvision.core.models import TimeStampedModel
from nollvision.core.translated import TranslatedField


class Group(models.Model):
    plan_slug = models.SlugField(_("plan"), max_length=100)
    key = models.CharField(_("collaboration body"), max_length=50)
    work_description = TranslatedField(_("work description"), blank=True)
    required_organisations = OrganisationManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("organisations that must be represented"),
    )
    history = HistoricalRecords(m2m_fields=[required_organisations])

    class Meta:
        verbose_name = _("collaboration group")
        verbose_name_plural = _("collaboration groups")
        ordering = ["plan_slug", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan_slug", "key"], name="group_once")]

    def __str__(self) -> str:
        body = getattr(self, "body", None)
        return str(body.name) if body else f"{self.plan_slug}/{self.key}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")
    DEPUTY = "deputy", _("deputy")


class GroupMember(TimeStampedModel):
    """A person in a group for an organisation; the person is a user of the platform."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    organisation = OrganisationForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role in the group"), max_length=20, choices=MemberRole.choices)
    calendar_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_once")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.get_role_display()})"


class Meeting(TimeStampedModel):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    title = LineField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = LineField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("link to join"), max_length=500, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = LineField(_("title"), max_length=300)
    description = FreeTextField(_("description"), blank=True)
    goals = models.ManyToManyField("plans.Goal", blank=True, related_name="+")
    measures = models.ManyToManyField("plans.Measure", blank=True, related_name="agenda_items")
    campaign = models.ForeignKey(
        "followup.Campaign", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = FreeTextField(_("minutes"), blank=True)
    history = HistoricalRecords(m2m_fields=[goals, measures])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"§{self.position} {self.title}"


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("attendance"), max_length=20, choices=Presence.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"


def _attachment_path(instance, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class Attachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = LineField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = FreeTextField(_("decision"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("not started")
    ONGOING = "ongoing", _("ongoing")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Action(TimeStampedModel):
    """Who does what by when, decided at a meeting, serving some of the plan's measures."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    text = FreeTextField(_("what is to be done"))
    organisation = OrganisationForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    measures = models.ManyToManyField(
        "plans.Measure", blank=True, related_name="actions", verbose_name=_("measures it serves")
    )
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in (ActionStatus.OPEN, ActionStatus.ONGOING) and self.due < today

    @property
    def done_on_time(self) -> bool:
        return (
            self.status == ActionStatus.DONE
            and self.done_on is not None
            and (self.done_on <= self.due)
        )
