"""The annual report: the coordinator's narrative, and the published, frozen versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nollvision.core.fields import FreeTextField, GuardedJSONField
from nollvision.core.models import TimeStampedModel
from nollvision.followup.models import Campaign

# A section of the coordinator's narrative may run to a few pages.
REPORT_MAX = 30_000


class Report(TimeStampedModel):
    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="report")
    summary = FreeTextField(_("summary"), blank=True, max_length=REPORT_MAX)
    analyses = GuardedJSONField(
        _("analysis per goal"), default=dict, blank=True, max_length=REPORT_MAX
    )
    conclusions = FreeTextField(_("conclusions and priorities"), blank=True, max_length=REPORT_MAX)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{_('Report')} {self.campaign.year}"

    def analysis(self, goal_number: int) -> str:
        return self.analyses.get(str(goal_number), "")


def _published_path(instance, filename: str) -> str:
    return (
        f"reports/{instance.report.campaign.plan.slug}/{instance.report.campaign.year}/"
        f"{instance.number}/{filename}"
    )


class PublishedReport(models.Model):
    """A published report, frozen as files with the date and the answers it used."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveIntegerField(_("publication number"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answers = models.JSONField(
        _("answers used"),
        default=list,
        help_text=_(
            "[response id, organisation, answer versions] of "
            "every accepted answer the report was built from"
        ),
    )
    checksums = models.JSONField(default=dict)
    html = models.FileField(upload_to=_published_path)
    pdf = models.FileField(upload_to=_published_path)
    docx = models.FileField(upload_to=_published_path)
    xlsx = models.FileField(upload_to=_published_path)
    # The annex with every body's answers (empty for publications made before it existed).
    annex_html = models.FileField(upload_to=_published_path, blank=True)
    annex_pdf = models.FileField(upload_to=_published_path, blank=True)
    # The public edition: built from the public projection only (texts the body allowed and the
    # county board cleared, decisions and actions of published minutes). The public record serves
    # these; a publication made before they existed has none until `build_public_editions`.
    public_html = models.FileField(upload_to=_published_path, blank=True)
    public_pdf = models.FileField(upload_to=_published_path, blank=True)
    public_docx = models.FileField(upload_to=_published_path, blank=True)
    public_xlsx = models.FileField(upload_to=_published_path, blank=True)
    public_annex_html = models.FileField(upload_to=_published_path, blank=True)
    public_annex_pdf = models.FileField(upload_to=_published_path, blank=True)
    public_checksums = models.JSONField(default=dict, blank=True)
    # Why this publication replaces the one before it (empty for the first).
    reason = FreeTextField(
        _("why it replaces the earlier publication"), blank=True, max_length=2000
    )

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="publication_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    @property
    def has_public_edition(self) -> bool:
        return bool(self.public_html)
