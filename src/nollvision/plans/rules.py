"""Who keeps a plan's own data in the back office (its prioritised measures): the coordinators of
the plan's county, as `accounts/tenancy.py` says."""

import rules

from nollvision.accounts import tenancy


@rules.predicate
def coordinates_plan(user, plan) -> bool:
    return plan is not None and tenancy.coordinates(user, plan.region_id)


rules.add_perm("plans.manage_plan", rules.is_authenticated & coordinates_plan)
