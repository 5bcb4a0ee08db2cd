"""Writes of jobs. `job_enqueue` is the one way any work is put in the background: it records the
job and hands it to the task queue (django-q2) once the caller's transaction commits."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .enums import JobKind, JobState
from .models import Job

logger = logging.getLogger("nollvision.jobs")

RUNNER = "nollvision.jobs.runner.run_job"


@dataclass
class Outcome:
    """What a task hands back: a page to go to, or a file to download (stored with the job)."""

    url: str = ""
    label: str = ""
    file_name: str = ""
    content: bytes = b""
    content_type: str = ""
    extra: dict = field(default_factory=dict)


def job_enqueue(
    *,
    kind: JobKind,
    title: str,
    user=None,
    region=None,
    plan=None,
    target: str = "",
    arguments: dict | None = None,
) -> Job:
    """Record a job and queue it. With `NOLLVISION_JOBS_INLINE` (the test settings, for tests
    that are not about the worker) it runs here and now, through the same runner."""
    job = Job.objects.create(
        kind=kind,
        title=title[:300],
        started_by=user if user is not None and user.is_authenticated else None,
        region=region if region is not None else getattr(plan, "region", None),
        plan=plan,
        target=target,
        arguments=arguments or {},
    )
    if getattr(settings, "NOLLVISION_JOBS_INLINE", False):
        from .runner import run_job

        run_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> None:
    from django_q.tasks import async_task

    async_task(RUNNER, job_id, task_name=f"job-{job_id}")


def job_requeue(*, job: Job) -> None:
    """Queue a job again after a failed attempt (the runner calls this)."""
    if getattr(settings, "NOLLVISION_JOBS_INLINE", False):
        from .runner import run_job

        run_job(job.pk)
    else:
        transaction.on_commit(lambda: _queue(job.pk))


def job_start(*, job: Job) -> Job:
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = timezone.now()
    job.step = 0
    job.step_label = ""
    Job.objects.filter(pk=job.pk).update(
        state=job.state, attempts=job.attempts, started_at=job.started_at, step=0, step_label=""
    )
    return job


def job_progress(*, job: Job, step: int, steps: int, label: str) -> None:
    """Step `step` of `steps`: written at once (outside any transaction of the task), so the
    job's page shows it while the work goes on."""
    job.step, job.steps, job.step_label = step, steps, str(label)[:200]
    Job.objects.filter(pk=job.pk).update(step=step, steps=steps, step_label=job.step_label)


def job_done(*, job: Job, outcome: Outcome) -> Job:
    job.state = JobState.DONE
    job.finished_at = timezone.now()
    job.error = ""
    job.step = job.steps
    job.result_url = outcome.url
    job.result_label = str(outcome.label)[:300]
    if outcome.content:
        job.result_name = outcome.file_name
        job.result_type = outcome.content_type
        job.result_file.save(outcome.file_name, ContentFile(outcome.content), save=False)
    job.save()
    return job


def job_attempt_failed(*, job: Job, error: str, retry: bool) -> Job:
    """An attempt failed: waiting for the next one, or failed for good (and reported)."""
    job.error = error[:5000]
    if retry and job.attempts < job.max_attempts:
        job.state = JobState.WAITING
        logger.warning("Job %s (%s) attempt %s failed: %s", job.pk, job.kind, job.attempts, error)
    else:
        job.state = JobState.FAILED
        job.finished_at = timezone.now()
        logger.error(
            "Job %s (%s) failed after %s attempts: %s", job.pk, job.kind, job.attempts, error
        )
    job.save(update_fields=["error", "state", "finished_at"])
    return job


def periodic_tasks_sync(**kwargs) -> None:
    """Keep a django-q schedule for each regular task of `NOLLVISION_PERIODIC_TASKS`
    ({name: (dotted function, minutes)}) whose function exists in this installation."""
    from importlib import util

    from django_q.models import Schedule

    for name, (function, minutes) in getattr(settings, "NOLLVISION_PERIODIC_TASKS", {}).items():
        module = function.rsplit(".", 1)[0]
        try:
            found = util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            Schedule.objects.filter(name=name).delete()
            continue
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": function,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
