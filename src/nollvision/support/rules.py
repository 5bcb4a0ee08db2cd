"""Who may keep the support services and the guide: the county board's coordinators."""

import rules

from nollvision.accounts.selectors import coordinated_region_ids


@rules.predicate
def is_coordinator(user) -> bool:
    return user.is_authenticated and bool(coordinated_region_ids(user))


rules.add_perm("support.manage_services", is_coordinator)
