"""Who keeps a county's public statistics (indicator values and population figures): its
coordinators, as `accounts/tenancy.py` says. The public figures and indicator pages show them how
to bring in what is missing; visitors see only what is missing, in plain words."""

import rules

from nollvision.accounts import tenancy


@rules.predicate
def coordinates_plan_county(user, plan) -> bool:
    """The user coordinates the county of `plan`; without a plan, any county."""
    if plan is None:
        return bool(tenancy.coordinated_regions(user))
    return tenancy.coordinates(user, plan.region_id)


rules.add_perm("indicators.manage_indicators", rules.is_authenticated & coordinates_plan_county)
