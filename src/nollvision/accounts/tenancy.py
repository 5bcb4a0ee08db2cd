"""A county is a tenant. The one place that says which counties a person works in, and what of a
county's they may reach; every selector and rule that lists or changes county-owned objects asks
here.

- A coordinator (at a body of a county) manages that county: its plans, follow-ups, groups,
  support services, invitations.
- Anyone with a membership works in the county of their organisation.
- Staff (administrators of the instance) set counties up; they are not a county's coordinator.
"""

from django.db.models import Q

from . import geography
from .models import Organisation, Region, Role
from .selectors import coordinated_region_ids, memberships_of


def coordinated_regions(user) -> set[int]:
    """The ids of the counties the user coordinates."""
    return coordinated_region_ids(user)


def member_regions(user) -> set[int]:
    """The ids of the counties in which the user has any role."""
    return {m.organisation.region_id for m in memberships_of(user) if m.organisation.region_id}


def coordinates(user, region_id: int | None) -> bool:
    return region_id is not None and region_id in coordinated_region_ids(user)


def coordinating_organisation(user):
    """The body at which the user is a coordinator (the first, if several), or None."""
    return next((m.organisation for m in memberships_of(user) if m.role == Role.COORDINATOR), None)


def coordinated_region_codes(user) -> set[str]:
    """SCB codes ('22') of the counties the user coordinates."""
    return {
        m.organisation.region.code
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.organisation.region_id
    }


def organisations_of(region_id: int | None):
    """The organisations of one county (for choices in that county's forms)."""
    return Organisation.objects.filter(region_id=region_id).select_related("kind", "region")


def organisations_coordinated_by(user):
    return Organisation.objects.filter(region_id__in=coordinated_region_ids(user)).select_related(
        "kind", "region"
    )


def users_of(region_id: int | None):
    """The people with a role at an organisation of the county."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organisation__region_id=region_id)
        .distinct()
        .order_by("username")
    )


def area_codes_coordinated_by(user) -> list[str]:
    """The area codes (the county's own and its municipalities') the user's counties own."""
    return geography.area_codes_of_counties(sorted(coordinated_region_codes(user)))


def in_areas_of(user, field: str = "area__code") -> Q:
    """A filter for objects tied to an area the user's counties own (never national ones)."""
    return Q(**{f"{field}__in": area_codes_coordinated_by(user)})


def region_of_area_code(code: str | None) -> Region | None:
    """The county an area code belongs to, if that county is set up here."""
    county_code = geography.county_code_of_area(code or "")
    return Region.objects.filter(code=county_code).first() if county_code else None
