"""Where to find support, the professionals' guide, and pages about the site itself."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from nollvision.accounts import geography
from nollvision.core.collation import swedish_sort_key
from nollvision.plans.selectors import plan_get, public_plans_by_county
from nollvision.support.models import Need
from nollvision.support.selectors import (
    listing,
    needs_offered,
    place,
    seconds_valid,
    services_for,
    situations_of,
    steps_with_duties,
)

COUNTY_WIDE = "lanet"  # the address of the default plan's county as a whole, kept from before


def municipality_options(selected: str | None, first: list[str] | tuple = ()) -> str:
    """The 290 municipalities as options grouped by county, written directly (the same markup as
    the template loop, at a fraction of its cost on every uncached visit): the counties with a
    plan here (`first`, their codes) first, then the others, each in Swedish order, and a
    first empty choice when none is chosen, so that nothing is preselected."""
    counties = sorted(
        geography.counties(),
        key=lambda c: (c.code not in first, swedish_sort_key(c.name)),
    )
    groups = format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (
                county.name,
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (m.code, mark_safe(" selected") if m.code == selected else "", m.name)
                        for m in sorted(
                            county.municipalities, key=lambda m: swedish_sort_key(m.name)
                        )
                    ),
                ),
            )
            for county in counties
        ),
    )
    if selected:
        return groups
    return format_html('<option value="">{}</option>{}', _("– choose a municipality –"), groups)


def call_first(rows, count: int = 2) -> list:
    """The lines to call besides 112, for the first screen of a phone: `count` listed services
    with a phone number, those open now before closed ones, then those meeting the most needs
    (a municipality's social services, Kvinnofridslinjen), else in the listing's order."""
    phones = [row for row in rows if row.service.phone and not row.service.emergency]
    ranked = sorted(phones, key=lambda row: (row.status.is_closed, -len(row.service.needs)))
    return ranked[:count]


class SupportView(TemplateView):
    """Step one: choose a municipality (any of Sweden's, those of the counties with a plan here
    first) or a whole county; with one chosen, step two lists each service once, the
    municipality's own first, then the county's and national ones, each with the needs it meets.
    Plain links narrow the list by need (`?behov=children`). The place is in the address
    (`/stod/2281/`); the form without JavaScript sends `?kommun=` and is redirected there."""

    template_name = "public/support.html"

    def get(self, request, *args, **kwargs):
        code = request.GET.get("kommun", "").strip()
        if code and "area" not in kwargs:
            if place(code) is None:
                raise Http404
            return redirect("public:support-area", code)
        if kwargs.get("area") == COUNTY_WIDE:
            plan = plan_get(
                user=request.user, slug=settings.NOLLVISION_DEFAULT_PLAN, prefetch=False
            )
            if plan is None or geography.county(plan.region.code) is None:
                raise Http404
            return redirect("public:support-area", geography.county(plan.region.code).area_code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs.get("area")
        chosen = place(code) if code else None
        if code and chosen is None:
            raise Http404
        if chosen is not None:
            local = [chosen.county]  # the visitor's own county's municipalities, as links
        else:  # with a single county here, its municipalities; with several, the list does
            with_plans = [geography.county(p.region.code) for p in public_plans_by_county()]
            local = [c for c in with_plans if c is not None][:1] if len(with_plans) == 1 else []
        need = self.request.GET.get("behov")
        need = need if need in Need.values else None
        moment = timezone.now()
        everything = services_for(chosen.code, moment=moment) if chosen else []
        shown = [s for s in everything if need is None or need in s.needs]
        self.valid_for = seconds_valid(shown, moment)
        rows = listing(shown, moment)
        context.update(
            place=chosen,
            chosen=chosen is not None,
            local_counties=local,
            municipality_options=municipality_options(
                chosen.code if chosen else None,
                first=[p.region.code for p in public_plans_by_county()],
            ),
            needs=needs_offered(everything),
            need=Need(need) if need else None,
            services=rows,
            call_first_services=[row.service for row in call_first(rows)],
            local_entries=any(s.area and s.area.code == chosen.code for s in everything)
            if chosen
            else False,
            # Where the word on a municipality without entries of its own goes: after 112.
            emergency_count=sum(1 for s in shown if s.emergency),
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # "Open now" is true until the first listed line opens or closes: no cache keeps it longer.
        response.public_cache_seconds = getattr(self, "valid_for", None)
        return response


class GuideMixin:
    """The guide of the county in the address (`planer/<slug>/vad-gor-jag/`), or the default's."""

    def dispatch(self, request, *args, **kwargs):
        self.plan = plan_get(
            user=request.user,
            slug=kwargs.get("slug") or settings.NOLLVISION_DEFAULT_PLAN,
            prefetch=False,
        )
        if self.plan is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(scoped="slug" in self.kwargs, **kwargs)


class GuideView(GuideMixin, TemplateView):
    template_name = "public/guide.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, situations=situations_of(self.plan), **kwargs
        )


class SituationView(GuideMixin, TemplateView):
    template_name = "public/situation.html"

    def get_context_data(self, **kwargs):
        situation = next((s for s in situations_of(self.plan) if s.key == self.kwargs["key"]), None)
        if situation is None:
            raise Http404
        return super().get_context_data(
            plan=self.plan,
            situation=situation,
            steps=steps_with_duties(self.plan, situation),
            **kwargs,
        )


class AccessibilityView(TemplateView):
    template_name = "public/accessibility.html"
