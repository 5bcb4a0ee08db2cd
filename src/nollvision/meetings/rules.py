"""Who may read and edit a group's material. Members read their group's; the group's secretary
and the coordinator of the plan's county edit it; only the coordinator publishes minutes."""

import rules

from nollvision.accounts.selectors import coordinated_region_ids
from nollvision.plans.models import Plan

from .models import MemberRole


def _group(obj):
    return getattr(obj, "group", obj)


def _region_id(group) -> int | None:
    if not hasattr(group, "_region_id"):
        group._region_id = (
            Plan.objects.filter(slug=group.plan_slug).values_list("region_id", flat=True).first()
        )
    return group._region_id


def _role(user, group) -> str | None:
    if not user.is_authenticated:
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
        and _region_id(_group(obj)) in coordinated_region_ids(user)
    )


rules.add_perm("meetings.view_group", is_member | coordinates)
rules.add_perm("meetings.edit_group", is_secretary | coordinates)
rules.add_perm("meetings.manage_members", coordinates)
rules.add_perm("meetings.publish_minutes", coordinates)
