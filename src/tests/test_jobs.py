"""Background jobs through the pages, with jobs run inline (the test settings'
NOLLVISION_JOBS_INLINE: these tests are about the pages and the runner's rules, not the worker,
which test_jobs_worker.py runs for real): the check before publishing, the job's page, retries
and refusals, who may follow a job, the worker's regular tasks, and minutes of a future meeting."""

import errno
from datetime import timedelta

import pytest
from django.core.files.storage import InMemoryStorage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from nollvision.followup.models import MeasureAnswer
from nollvision.followup.services import answer_clear_for_publication
from nollvision.jobs.enums import JobKind, JobState
from nollvision.jobs.models import Job
from nollvision.jobs.services import job_enqueue, periodic_tasks_sync
from nollvision.reports.checks import publication_check
from nollvision.reports.models import PublishedReport, Report

from .test_public_face import accept

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _publish_url(world) -> str:
    return reverse("backoffice:report-publish", args=[world.campaign.pk])


def test_the_check_lists_empty_sections_bodies_not_accepted_and_texts_not_cleared(client, world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    world.response_a.measure_answers.filter(measure__code__in=["1.1", "1.2"]).update(
        may_publish=True
    )
    Report.objects.create(campaign=world.campaign, summary="Året i korthet.")
    check = publication_check(world.campaign)
    goals = world.plan.goals.count()
    assert len(check.empty_sections) == goals + 1  # every goal's analysis and the conclusions
    assert [b.organisation for b in check.not_accepted] == sorted(
        world.campaign.responses.exclude(pk=world.response_a.pk).values_list(
            "organisation__name", flat=True
        )
    )
    assert [(t.organisation, t.count) for t in check.not_cleared] == [
        (world.response_a.organisation.name, 2)
    ]
    client.force_login(world.coordinator)
    page = client.post(_publish_url(world)).content.decode()
    section = page.split('id="publication-check"')[1].split("</section>")[0]
    assert world.response_b.organisation.name in section
    assert reverse("backoffice:response-clear-body", args=[world.response_a.pk]) in section
    assert 'name="publish_anyway"' in page
    # Publishing without the explicit tick is refused, and nothing is queued.
    refused = client.post(_publish_url(world), {"confirmed": "1"})
    assert refused.status_code == 400
    assert not Job.objects.exists()
    # Once the texts are cleared, that part of the list is gone.
    for answer in MeasureAnswer.objects.filter(response=world.response_a, may_publish=True):
        answer_clear_for_publication(answer=answer, user=world.coordinator)
    assert publication_check(world.campaign).not_cleared == []


def test_a_clean_check_needs_no_extra_tick(client, world):
    for response in world.campaign.responses.exclude(pk=world.response_a.pk):
        response.delete()
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    Report.objects.create(
        campaign=world.campaign,
        summary="Sammanfattning.",
        conclusions="Slutsatser.",
        analyses={str(g.number): "Analys." for g in world.plan.goals.all()},
    )
    assert publication_check(world.campaign).clean
    client.force_login(world.coordinator)
    page = client.post(_publish_url(world)).content.decode()
    assert 'id="publication-check"' in page
    assert 'name="publish_anyway"' not in page
    done = client.post(_publish_url(world), {"confirmed": "1"})
    job = Job.objects.get()
    assert done["Location"] == reverse("backoffice:job", args=[job.pk])
    assert (job.kind, job.state, job.attempts) == (JobKind.REPORT_PUBLISH, JobState.DONE, 1)
    assert (job.started_by, job.region, job.plan) == (
        world.coordinator,
        world.plan.region,
        world.plan,
    )
    assert job.target == f"followup.campaign:{world.campaign.pk}"
    assert job.step == job.steps == 14
    assert PublishedReport.objects.get().number == 1
    page = client.get(done["Location"]).content.decode()
    assert "data-job-poll" not in page  # finished: the page stops following the job
    assert "job.js" not in page
    assert 'class="job job--done"' in page
    # "Go to the result" lands on the list of publications, where the new one is.
    result = reverse("backoffice:report", args=[world.campaign.pk]) + "#published"
    assert f'href="{result}"' in page
    assert 'id="published"' in client.get(result).content.decode()


def test_the_job_page_follows_the_job_and_shows_the_step_while_it_runs(client, world):
    job = Job.objects.create(
        kind=JobKind.REPORT_PUBLISH,
        title="Publicering",
        started_by=world.coordinator,
        region=world.plan.region,
        state=JobState.RUNNING,
        step=3,
        steps=14,
        step_label="Hela utgåvan: PDF",
    )
    client.force_login(world.coordinator)
    response = client.get(reverse("backoffice:job", args=[job.pk]))
    page = response.content.decode()
    # The script follows the job by itself; without it, the refresh link below does.
    assert f'data-job-poll="{reverse("backoffice:job", args=[job.pk])}"' in page
    assert "/static/nollvision/job.js" in page
    assert 'http-equiv="refresh"' not in page  # no timed reload (axe: meta-refresh)
    assert '<progress id="job-progress" max="14" value="3">' in page
    assert "Hela utgåvan: PDF" in page
    assert f'href="{reverse("backoffice:job", args=[job.pk])}"' in page  # refresh by hand
    assert "no-store" in response["Cache-Control"]
    # Only the person who started it and the county's coordinators follow it.
    client.force_login(world.reporter_a)
    assert client.get(reverse("backoffice:job", args=[job.pk])).status_code == 404
    job.started_by = world.reporter_a
    job.save()
    assert client.get(reverse("backoffice:job", args=[job.pk])).status_code == 200


class BrokenStorage(InMemoryStorage):
    """A storage that refuses every write (a full disk) until mended."""

    broken = True

    def _save(self, name, content):
        if self.broken:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._save(name, content)


def test_a_failing_job_is_retried_then_reported_and_nothing_is_half_published(client, world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    storage = BrokenStorage()
    fields = [f for f in PublishedReport._meta.get_fields() if f.get_internal_type() == "FileField"]
    saved = [field.storage for field in fields]
    for field in fields:
        field.storage = storage
    try:
        client.force_login(world.coordinator)
        reply = client.post(_publish_url(world), {"confirmed": "1", "publish_anyway": "on"})
    finally:
        for field, original in zip(fields, saved, strict=True):
            field.storage = original
    job = Job.objects.get()
    assert (job.state, job.attempts) == (JobState.FAILED, 3)
    assert "No space left on device" in job.error
    assert not PublishedReport.objects.exists()
    assert storage.listdir("") == ([], [])
    page = client.get(reply["Location"]).content.decode()
    assert 'class="job job--failed"' in page
    assert "No space left on device" in page
    report_page = client.get(reverse("backoffice:report", args=[world.campaign.pk]))
    assert reverse("backoffice:job", args=[job.pk]) in report_page.content.decode()


def test_a_refused_job_is_reported_at_once_without_retrying(client, world):
    """A rule's refusal will not pass by trying again: the archive of an open follow-up."""
    client.force_login(world.coordinator)
    reply = client.post(reverse("backoffice:archive", args=[world.campaign.pk]))
    job = Job.objects.get()
    assert reply["Location"] == reverse("backoffice:job", args=[job.pk])
    assert (job.kind, job.state, job.attempts) == (JobKind.ARCHIVE, JobState.FAILED, 1)
    assert job.error == "Stäng uppföljningen innan den arkiveras."
    assert job.error in client.get(reply["Location"]).content.decode()


def test_a_second_press_while_publishing_goes_to_the_job_under_way(client, world):
    running = job_enqueue(
        kind=JobKind.ARCHIVE,  # a job that is not the publication does not count
        title="Arkiv",
        user=world.coordinator,
        target=f"followup.campaign:{world.campaign.pk}",
    )
    waiting = Job.objects.create(
        kind=JobKind.REPORT_PUBLISH,
        title="Publicering",
        started_by=world.coordinator,
        target=f"followup.campaign:{world.campaign.pk}",
    )
    client.force_login(world.coordinator)
    reply = client.post(_publish_url(world), {"confirmed": "1", "publish_anyway": "on"})
    assert reply["Location"] == reverse("backoffice:job", args=[waiting.pk])
    assert Job.objects.count() == 2
    assert running.state == JobState.FAILED  # the follow-up is open: no archive


def test_plan_documents_and_consultation_summaries_are_jobs_with_a_file(client, world):
    client.force_login(world.coordinator)
    reply = client.post(
        reverse("backoffice:plan-document-build", args=[world.plan.slug, 1, "docx"])
    )
    job = Job.objects.get()
    assert (job.kind, job.state) == (JobKind.PLAN_DOCUMENT, JobState.DONE)
    page = client.get(reply["Location"]).content.decode()
    assert reverse("backoffice:job-file", args=[job.pk]) in page
    download = client.get(reverse("backoffice:job-file", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Disposition"].endswith('.docx"')
    # Another county's coordinator, or a reporter, may neither start one nor fetch the file.
    client.force_login(world.reporter_a)
    assert client.get(reverse("backoffice:job-file", args=[job.pk])).status_code == 404
    refused = client.post(
        reverse("backoffice:plan-document-build", args=[world.plan.slug, 1, "docx"])
    )
    assert refused.status_code == 404
    assert Job.objects.count() == 1


@override_settings(
    NOLLVISION_PERIODIC_TASKS={
        "present": ("nollvision.jobs.services.periodic_tasks_sync", 1),
        "absent": ("nollvision.not_installed.module.deliver", 1),
    }
)
def test_regular_tasks_are_scheduled_where_their_function_exists():
    from django_q.models import Schedule

    Schedule.objects.create(name="absent", func="nollvision.not_installed.module.deliver")
    periodic_tasks_sync()
    periodic_tasks_sync()  # again: still one
    (schedule,) = Schedule.objects.filter(name__in=["present", "absent"])
    assert (schedule.name, schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        "present",
        Schedule.MINUTES,
        1,
        -1,
    )


def test_minutes_of_a_future_meeting_cannot_be_published(client, g):
    meeting = g.meeting
    meeting.starts_at = timezone.now() + timedelta(days=2)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.save()
    client.force_login(g.world.coordinator)
    reply = client.post(
        reverse("backoffice:minutes-publish", args=[meeting.pk]), {"publish": "1"}, follow=True
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None
    page = reply.content.decode()
    assert 'class="messages' in page or 'role="alert"' in page
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") in page
    # Once it has taken place, they can.
    meeting.starts_at = timezone.now() - timedelta(hours=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.save()
    client.post(reverse("backoffice:minutes-publish", args=[meeting.pk]), {"publish": "1"})
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
