"""Which county a public page follows. The county is in the address (the plan's slug in
`planer/<slug>/…`, or the area code in `stod/<code>/`), never in a cookie; with none, the pages
follow the default plan as they always have."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.geography import county_code_of_area
from nollvision.plans.selectors import county_plan, public_plans_by_county, public_plans_overview

# Pages that follow a county: (name without a county, name with the plan's slug).
FOLLOWING = {
    "indicators": ("public:indicators", "public:plan-indicators"),
    "figures": ("public:figures", "public:plan-figures"),
    "easy_read": ("public:easy-read", "public:plan-easy-read"),
    "guide": ("public:guide", "public:plan-guide"),
}


# The county-less addresses of those pages (and of a guide's situation), and the address of the
# same page in a county: with several counties published, a county-less one asks which county.
SCOPED = {
    "indicators": "public:plan-indicators",
    "figures": "public:plan-figures",
    "easy-read": "public:plan-easy-read",
    "guide": "public:plan-guide",
    "situation": "public:plan-situation",
}
# What the visitor asked for, in the chooser's heading (the menu's words).
ASKED_FOR = {
    "indicators": _("Indicators"),
    "figures": _("The plan's figures"),
    "easy-read": _("Easy to read"),
    "guide": _("For professionals"),
    "situation": _("For professionals"),
}


def current_plan_slug(request) -> str | None:
    """The plan the page in view belongs to, if any: the plan in the address, the county of a
    support page or of published minutes, or in the back office the person's own county."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.namespace == "backoffice":
        return _own_county_plan_slug(getattr(request, "user", None))
    if match.namespace != "public":
        return None
    if "slug" in match.kwargs:
        return match.kwargs["slug"]
    if match.url_name == "support-area":
        plan = county_plan(county_code_of_area(match.kwargs.get("area", "")))
        return plan.slug if plan else None
    if match.url_name == "minutes":
        from nollvision.reports.published import published_meeting_plan_slug

        return published_meeting_plan_slug(match.kwargs.get("pk"))
    return None


def _own_county_plan_slug(user) -> str | None:
    """The plan of the county the person works in (their first role's), if it has one here:
    from the roles read once a request (accounts.selectors.memberships_of) and the cached list
    of the counties' plans, so no query of its own."""
    if user is None or not user.is_authenticated:
        return None
    from nollvision.accounts.selectors import memberships_of

    for membership in memberships_of(user):
        region = membership.organisation.region
        if region is not None:
            return county_plan_slugs().get(region.code)
    return None


def county_first(view):
    """A county-less address of a page that follows a county: with one county published, that
    county's page; with several, the choice of county, each choice leading to the same page in
    that county."""

    def wrapped(request, *args, **kwargs):
        if not several_counties():
            return view(request, *args, **kwargs)
        plans = public_plans_by_county()
        if request.resolver_match.url_name == "figures":  # only the counties whose plan has some
            plans = [plan for plan in plans if plan.slug in figure_plan_slugs()]
        name = SCOPED[request.resolver_match.url_name]
        choices = [(plan, reverse(name, kwargs={"slug": plan.slug, **kwargs})) for plan in plans]
        asked = ASKED_FOR[request.resolver_match.url_name]
        return TemplateResponse(
            request, "public/choose_county.html", {"choices": choices, "asked_for": asked}
        )

    wrapped.__name__ = getattr(view, "__name__", "county_first")
    wrapped.__doc__ = view.__doc__
    return wrapped


def county_links(slug: str | None) -> dict[str, str]:
    """The addresses of the county-following pages for the plan `slug`. The short county-less
    addresses serve where one county is published (or no county is in view, where they ask for
    one); with several, every county's pages link with the county in the address, the default
    county's too."""
    scoped = bool(slug) and (slug != settings.NOLLVISION_DEFAULT_PLAN or several_counties())
    links = {
        key: reverse(with_county, args=[slug]) if scoped else reverse(without)
        for key, (without, with_county) in FOLLOWING.items()
    }
    if not _has_figures(slug):
        del links["figures"]  # a plan without figures has no figures page
    return links


def _has_figures(slug: str | None) -> bool:
    """Whether the figures page of the plan `slug` exists; without a plan in view, whether the
    county-less address has something to show (the default plan's, or any county's to choose)."""
    slugs = figure_plan_slugs()
    if slug:
        return slug in slugs
    return bool(slugs) if several_counties() else settings.NOLLVISION_DEFAULT_PLAN in slugs


def several_counties() -> bool:
    """Whether more than one county's plan is published here."""
    return len(county_plan_slugs()) > 1


def county_plan_slugs() -> dict[str, str]:
    """The current public plan's slug of each county with one, by the county's code; kept with
    the public cache's generation (it changes when any plan does)."""
    return _public_plans()[0]


def figure_plan_slugs() -> set[str]:
    """The plans whose public version gives figures (the others have no figures page), by slug;
    kept with the public cache's generation."""
    return _public_plans()[1]


def _public_plans() -> tuple[dict[str, str], set[str]]:
    from django.core.cache import cache

    from nollvision.core.public_cache import generation

    key = f"nollvision:public:plans:{generation()}"
    found = cache.get(key)
    if found is None:
        plans, with_figures = public_plans_overview()
        found = ({plan.region.code: plan.slug for plan in plans}, with_figures)
        cache.set(key, found, 3600)
    return found
