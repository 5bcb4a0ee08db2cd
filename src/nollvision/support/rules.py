"""Who may keep the support services and the guide: the coordinators of the service's county,
and of the county of the plan the guide is written for. National services are shared by every
county and kept by the platform's administrators."""

import rules

from nollvision.accounts import tenancy
from nollvision.accounts.geography import county_code_of_area


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and bool(tenancy.coordinated_regions(user))


@rules.predicate
def coordinates_service_county(user, service) -> bool:
    """The service belongs to an area of a county the user coordinates (never a national one)."""
    if service is None or service.area_id is None:
        return False
    return county_code_of_area(service.area.code) in tenancy.coordinated_region_codes(user)


@rules.predicate
def coordinates_guide_plan(user, plan) -> bool:
    """The plan (any version) belongs to a county the user coordinates."""
    return plan is not None and tenancy.coordinates(user, plan.region_id)


rules.add_perm("support.manage_services", is_coordinator)
rules.add_perm("support.change_service", is_coordinator & coordinates_service_county)
# `plan` is a version of the plan whose guide ("What do I do if ...") is changed.
rules.add_perm("support.change_guide", rules.is_authenticated & coordinates_guide_plan)
