"""Who may see what of the notices and the outbox."""

import rules

from nollvision.accounts.selectors import coordinated_region_ids


@rules.predicate
def coordinates_a_county(user) -> bool:
    return bool(coordinated_region_ids(user))


# The outbox of the county (its people's e-mail): its coordinators.
rules.add_perm("notifications.view_outbox", rules.is_authenticated & coordinates_a_county)
