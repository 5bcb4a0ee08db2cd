"""Figures that may be shown beside public statistics: only from accepted answers."""

from nollvision.followup.enums import CampaignStatus, ResponseStatus
from nollvision.followup.models import Campaign

from . import figures


def goal_progress(plan) -> dict[int, tuple[int, figures.StatusCounts]]:
    """Per goal, the bodies' reported progress in the latest follow-up of the plan that has
    accepted answers: (year, counts). Empty when there is none."""
    campaign = (
        Campaign.objects.filter(plan__slug=plan.slug, responses__status=ResponseStatus.ACCEPTED)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("plan")
        .order_by("-year")
        .first()
    )
    if campaign is None:
        return {}
    data = figures.load_campaign(campaign, body_questions=False)
    return {goal: (campaign.year, counts) for goal, counts in figures.status_by_goal(data)}
