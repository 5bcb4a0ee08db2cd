"""Who may do what in the follow-up. Every permission on campaigns and responses lives here."""

import rules

from nollvision.accounts.models import Role
from nollvision.accounts.selectors import coordinated_region_ids, memberships_of, role_in

from .enums import EDITABLE_STATUSES, TRANSITIONS, CampaignStatus, ResponseStatus

# Statuses in which the county board reads a body's answer (never a draft of the body's own).
COORDINATOR_VISIBLE = frozenset(
    {
        ResponseStatus.SUBMITTED,
        ResponseStatus.APPROVED,
        ResponseStatus.ACCEPTED,
        ResponseStatus.RETURNED,
    }
)


def _region_id(obj) -> int | None:
    campaign = getattr(obj, "campaign", obj)
    return None if campaign is None else campaign.plan.region_id


@rules.predicate
def is_body_member(user, response) -> bool:
    return response is not None and role_in(user, response.organisation_id) in {
        Role.REPORTER,
        Role.APPROVER,
    }


@rules.predicate
def coordinates(user, obj) -> bool:
    return obj is not None and _region_id(obj) in coordinated_region_ids(user)


@rules.predicate
def is_reader_in_region(user, obj) -> bool:
    """A reader of an organisation in the county of `obj` (a response or a campaign). Without
    an object (the admin asks about the model as a whole) no object rule holds."""
    region = _region_id(obj)
    return region is not None and any(
        m.role == Role.READER and m.organisation.region_id == region for m in memberships_of(user)
    )


@rules.predicate
def is_editable(user, response) -> bool:
    return (
        response is not None
        and response.status in EDITABLE_STATUSES
        and response.campaign.status == CampaignStatus.OPEN
    )


@rules.predicate
def is_sent(user, response) -> bool:
    return response is not None and response.status in COORDINATOR_VISIBLE


@rules.predicate
def is_accepted(user, response) -> bool:
    return response is not None and response.status == ResponseStatus.ACCEPTED


@rules.predicate
def is_coordinator_anywhere(user) -> bool:
    return bool(coordinated_region_ids(user))


rules.add_perm(
    "followup.view_response",
    is_body_member | (coordinates & is_sent) | (is_reader_in_region & is_accepted),
)
rules.add_perm("followup.change_response", is_body_member & is_editable)
rules.add_perm("followup.assign_response", is_body_member & is_editable)
rules.add_perm("followup.clear_response", coordinates & is_accepted)
rules.add_perm("followup.manage_campaign", coordinates)


reads_region = is_reader_in_region  # a campaign or a response: the region it belongs to


# The dashboard shows accepted answers only: coordinators and readers of the county.
rules.add_perm("followup.view_dashboard", coordinates | reads_region)
rules.add_perm("followup.add_campaign", is_coordinator_anywhere)
rules.add_perm("accounts.invite_member", is_coordinator_anywhere)


def role_for(user, response) -> str | None:
    """The role in which `user` acts on `response`: their body's role, or coordinator."""
    role = role_in(user, response.organisation_id)
    if role in {Role.REPORTER, Role.APPROVER}:
        return role
    if coordinates(user, response):
        return Role.COORDINATOR
    return None


def allowed_actions(user, response) -> list[str]:
    """The workflow actions `user` may take on `response` now."""
    role = role_for(user, response)
    if role is None or response.campaign.status != CampaignStatus.OPEN:
        return []
    return [t.action for t in TRANSITIONS if t.source == response.status and role in t.roles]
