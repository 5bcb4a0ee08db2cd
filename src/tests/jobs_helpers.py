"""Objects of the background work for tests that need one (the permission matrix, the pages
checked with axe): a finished job with a file, started by a county's coordinator."""

from django.core.files.base import ContentFile

from nollvision.jobs.enums import JobKind, JobState
from nollvision.jobs.models import Job


def job_objects(plan, coordinator) -> dict:
    job = Job.objects.create(
        kind=JobKind.PLAN_DOCUMENT,
        title=f"{plan.title}, PDF",
        started_by=coordinator,
        region=plan.region,
        plan=plan,
        target=f"plans.plan:{plan.pk}",
        state=JobState.DONE,
        steps=2,
        step=2,
        result_name="plan.pdf",
        result_type="application/pdf",
    )
    job.result_file.save("plan.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {"job": job.pk}
