"""The worker's side of a job: django-q2 calls `run_job(job_id)`; it runs the job's task with a
progress callback, records the outcome, and queues the job again when an attempt fails."""

import logging

from django.utils.module_loading import import_string

from .enums import FINISHED, TASKS
from .errors import JobRefused
from .models import Job
from .services import (
    job_attempt_failed,
    job_done,
    job_progress,
    job_requeue,
    job_start,
)

logger = logging.getLogger("nollvision.jobs")


class Progress:
    """Handed to a task: `progress(step, steps, label)` shows "step n of m: label"."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, step: int, steps: int, label: str) -> None:
        job_progress(job=self.job, step=step, steps=steps, label=label)


def run_job(job_id: int) -> str:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state in FINISHED:
        return "nothing to do"  # given twice by the queue (a worker lost), or removed
    job_start(job=job)
    task = import_string(TASKS[job.kind])
    try:
        outcome = task(job=job, progress=Progress(job), **job.arguments)
    except JobRefused as refused:
        job_attempt_failed(job=job, error=str(refused), retry=False)
        return "refused"
    except Exception as error:  # any failure is recorded, retried and reported
        logger.exception("Job %s (%s) attempt %s", job.pk, job.kind, job.attempts)
        job_attempt_failed(job=job, error=str(error) or error.__class__.__name__, retry=True)
        if not job.finished:
            job_requeue(job=job)
        return "failed"
    job_done(job=job, outcome=outcome)
    return "done"
