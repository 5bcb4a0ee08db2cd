"""Reads of jobs."""

from .enums import FINISHED, JobKind
from .models import Job


def job_get(pk: int) -> Job | None:
    return Job.objects.select_related("started_by", "region", "plan").filter(pk=pk).first()


def latest_job(*, kind: JobKind, target: str) -> Job | None:
    """The newest job of a kind for an object (the report page shows it)."""
    return Job.objects.filter(kind=kind, target=target).order_by("-created_at", "-pk").first()


def job_under_way(*, kind: JobKind, target: str) -> Job | None:
    """A job of this kind for this object that has not finished, if any."""
    return (
        Job.objects.filter(kind=kind, target=target)
        .exclude(state__in=FINISHED)
        .order_by("-created_at")
        .first()
    )
