"""Who may read and edit a group's material. Members read their group's; the group's secretary
and the coordinator of the plan's county edit it; only the coordinator publishes minutes."""

import rules

from nollvision.accounts.selectors import coordinated_region_ids

from .models import MemberRole
from .selectors import counts_in_group, group_region_id


def _group(obj):
    return getattr(obj, "group", obj)


def _role(user, group) -> str | None:
    """The person's role in the group, while their membership counts (`counts_in_group`: a role
    at an organisation of the group's county)."""
    if not counts_in_group(user, group):
        return None
    cache = getattr(user, "_nollvision_group_roles", None)
    if cache is None:
        cache = dict(user.group_memberships.values_list("group_id", "role"))
        user._nollvision_group_roles = cache
    return cache.get(group.pk)


@rules.predicate
def is_member(user, obj) -> bool:
    return obj is not None and _role(user, _group(obj)) is not None


@rules.predicate
def is_secretary(user, obj) -> bool:
    return obj is not None and _role(user, _group(obj)) == MemberRole.SECRETARY


@rules.predicate
def coordinates(user, obj) -> bool:
    return (
        obj is not None
        and user.is_authenticated
        and group_region_id(_group(obj)) in coordinated_region_ids(user)
    )


rules.add_perm("meetings.view_group", is_member | coordinates)
rules.add_perm("meetings.edit_group", is_secretary | coordinates)
rules.add_perm("meetings.manage_members", coordinates)
rules.add_perm("meetings.publish_minutes", coordinates)
