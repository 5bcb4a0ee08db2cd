"""What to look at before publishing the report: empty text sections, bodies whose answer is not
accepted (it will not be in the report) and answer texts the body allowed but the county board
has not cleared (they stay out of the public edition). Read in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import MeasureAnswer, Response

from .models import Report

TEXT_FIELDS = ("done", "not_relevant_reason", "target_groups", "child_rights", "next_steps")


@dataclass
class BodyNotAccepted:
    organisation: str
    status: str


@dataclass
class TextsNotCleared:
    organisation: str
    response_id: int
    count: int


@dataclass
class PublicationCheck:
    empty_sections: list[str] = field(default_factory=list)
    not_accepted: list[BodyNotAccepted] = field(default_factory=list)
    not_cleared: list[TextsNotCleared] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.empty_sections or self.not_accepted or self.not_cleared)


def publication_check(campaign) -> PublicationCheck:
    report = Report.objects.filter(campaign=campaign).first() or Report(campaign=campaign)
    check = PublicationCheck()
    if not report.summary.strip():
        check.empty_sections.append(_("Summary"))
    for goal in campaign.plan.goals.all():
        if not report.analysis(goal.number).strip():
            check.empty_sections.append(
                _("Analysis of goal %(number)d: %(title)s")
                % {"number": goal.number, "title": goal.title}
            )
    if not report.conclusions.strip():
        check.empty_sections.append(_("Conclusions and priorities"))
    responses = (
        Response.objects.filter(campaign=campaign)
        .exclude(status=ResponseStatus.ACCEPTED)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    check.not_accepted = [
        BodyNotAccepted(r.organisation.name, r.get_status_display()) for r in responses
    ]
    has_text = Q()
    for name in TEXT_FIELDS:
        has_text |= ~Q(**{name: ""})
    waiting = (
        MeasureAnswer.objects.filter(
            has_text,
            response__campaign=campaign,
            response__status=ResponseStatus.ACCEPTED,
            may_publish=True,
            cleared_at__isnull=True,
        )
        .values("response_id", "response__organisation__name")
        .annotate(count=Count("pk"))
        .order_by("response__organisation__name")
    )
    check.not_cleared = [
        TextsNotCleared(row["response__organisation__name"], row["response_id"], row["count"])
        for row in waiting
    ]
    return check
