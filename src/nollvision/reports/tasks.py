"""The report's background work (run by `nollvision.jobs.runner`): load by id, call a service."""

from django.urls import reverse
from django.utils.translation import gettext as _

from nollvision.followup.errors import FollowupError
from nollvision.followup.models import Campaign
from nollvision.jobs.errors import JobRefused
from nollvision.jobs.services import Outcome

from .services import campaign_archive, report_publish


def _refusal(error: FollowupError) -> Exception:
    """A storage failure may pass (retried); a rule's refusal will not (reported at once)."""
    return error if isinstance(error.__cause__, OSError) else JobRefused(str(error))


def report_publish_task(*, job, progress, campaign: int, reason: str = "") -> Outcome:
    target = Campaign.objects.select_related("plan").get(pk=campaign)
    try:
        publication = report_publish(
            campaign=target, user=job.started_by, reason=reason, progress=progress
        )
    except FollowupError as error:
        raise _refusal(error) from error
    return Outcome(
        # The list of publications on the report's page, with the new files at its end.
        url=reverse("backoffice:report", args=[target.pk]) + "#published",
        label=_("Published as number %(number)d.") % {"number": publication.number},
    )


def campaign_archive_task(*, job, progress, campaign: int) -> Outcome:
    target = Campaign.objects.select_related("plan").get(pk=campaign)
    progress(1, 2, _("Collecting the published report and every accepted answer"))
    try:
        name, data = campaign_archive(campaign=target)
    except FollowupError as error:
        raise _refusal(error) from error
    progress(2, 2, _("Packing the archive"))
    return Outcome(
        file_name=name,
        content=data,
        content_type="application/zip",
        label=_("The archive package"),
    )
