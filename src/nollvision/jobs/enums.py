"""The kinds of background work and the states of a job."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = frozenset({JobState.DONE, JobState.FAILED})


class JobKind(models.TextChoices):
    REPORT_PUBLISH = "report_publish", _("Publishing the annual report")
    ARCHIVE = "archive", _("Archive package")
    PLAN_DOCUMENT = "plan_document", _("Plan document")
    CONSULTATION_SUMMARY = "consultation_summary", _("Consultation summary")


# The function that does each kind of work, by dotted path: the domain app that owns the work
# owns the function, and this app never imports it (it sits below every domain app).
# Each is called as `function(job=job, progress=progress, **job.arguments)` and returns a
# `jobs.runner.Outcome`.
TASKS = {
    JobKind.REPORT_PUBLISH: "nollvision.reports.tasks.report_publish_task",
    JobKind.ARCHIVE: "nollvision.reports.tasks.campaign_archive_task",
    JobKind.PLAN_DOCUMENT: "nollvision.plans.tasks.plan_document_task",
    JobKind.CONSULTATION_SUMMARY: "nollvision.plans.tasks.consultation_summary_task",
}

# How many times a job runs before it is reported as failed (the first run included).
MAX_ATTEMPTS = 3
