"""Which county a public page follows. The county is in the address (the plan's slug in
`planer/<slug>/…`, or the area code in `stod/<code>/`), never in a cookie; with none, the pages
follow the default plan as they always have."""

from django.conf import settings
from django.urls import reverse

from nollvision.accounts.geography import county_code_of_area
from nollvision.plans.selectors import county_plan

# Pages that follow a county: (name without a county, name with the plan's slug).
FOLLOWING = {
    "indicators": ("public:indicators", "public:plan-indicators"),
    "figures": ("public:figures", "public:plan-figures"),
    "easy_read": ("public:easy-read", "public:plan-easy-read"),
    "guide": ("public:guide", "public:plan-guide"),
}


def current_plan_slug(request) -> str | None:
    """The plan the page in view belongs to, if any."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "public":
        return None
    if "slug" in match.kwargs:
        return match.kwargs["slug"]
    if match.url_name == "support-area":
        plan = county_plan(county_code_of_area(match.kwargs.get("area", "")))
        return plan.slug if plan else None
    return None


def county_links(slug: str | None) -> dict[str, str]:
    """The addresses of the county-following pages for the plan `slug` (or the default)."""
    scoped = bool(slug) and slug != settings.NOLLVISION_DEFAULT_PLAN
    return {
        key: reverse(with_county, args=[slug]) if scoped else reverse(without)
        for key, (without, with_county) in FOLLOWING.items()
    }
