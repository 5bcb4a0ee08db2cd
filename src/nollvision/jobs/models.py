"""A record of each piece of background work: what, for whom, how far, and how it ended."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import FINISHED, MAX_ATTEMPTS, JobKind, JobState


def _result_path(instance, filename: str) -> str:
    return f"jobs/{instance.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=40, choices=JobKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.WAITING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    # What the work is about, e.g. "followup.campaign:12": read by people, not by code.
    target = models.CharField(_("object"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    arguments = models.JSONField(default=dict, blank=True)
    step = models.PositiveIntegerField(_("step"), default=0)
    steps = models.PositiveIntegerField(_("steps"), default=0)
    step_label = models.CharField(_("current step"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("most attempts"), default=MAX_ATTEMPTS)
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    result_label = models.CharField(_("result label"), max_length=300, blank=True)
    result_file = models.FileField(_("result file"), upload_to=_result_path, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(_("content type"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "target", "state"], name="job_kind_target")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return round(100 * self.step / self.steps) if self.steps else 0
