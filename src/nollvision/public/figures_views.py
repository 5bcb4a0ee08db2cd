"""Public pages: the plan's figures with their arithmetic, and indicators per goal."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from nollvision.indicators.estimates import definitions, estimates_for, latest_year
from nollvision.indicators.presentation import GoalStatistics, goal_statistics
from nollvision.indicators.selectors import areas_of_county, population_years
from nollvision.plans.selectors import plan_figures, plan_get
from nollvision.reports.published import goal_progress


class FiguresForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, areas, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["year"].choices = [(y, y) for y in years]


class CountyPlanMixin:
    """The plan of the county in the address (`planer/<slug>/…`), or the default plan."""

    def county_plan(self, prefetch: bool = False):
        slug = self.kwargs.get("slug")
        plan = plan_get(
            user=self.request.user,
            slug=slug or settings.NOLLVISION_DEFAULT_PLAN,
            prefetch=prefetch,
        )
        if plan is None and slug:
            raise Http404
        return plan


class FiguresView(CountyPlanMixin, TemplateView):
    """Each of the plan's figures in plain words, its arithmetic under it (a plan without figures
    has no such page). Opens on the newest year whose figures can be computed; how to bring in
    missing data is shown to the county's coordinators only (signed in, so never from the public
    cache)."""

    template_name = "public/figures.html"

    def chosen(self, areas, years) -> dict:
        """The area and year the visitor chose, as far as they are valid."""
        form = FiguresForm(self.request.GET or None, areas=areas, years=years)
        if not form.is_bound:
            return {}
        form.is_valid()  # cleaned_data keeps the fields that are valid
        return form.cleaned_data

    def get_context_data(self, **kwargs):
        plan = self.county_plan()
        figures = plan_figures(plan) if plan else []
        if not figures:
            raise Http404  # a plan without figures has no figures page
        estimated = definitions(figures, plan.region.code)
        goals = list(plan.goals.all())
        statistics = goal_statistics(
            [g.number for g in goals], plan.region.code, reference_only=True
        )
        reference = [
            (goal, statistics[goal.number].reference)
            for goal in goals
            if statistics[goal.number].reference
        ]
        areas = areas_of_county(plan.region.code)
        years = population_years(areas)
        data = self.chosen(areas, years)
        area = next((a for a in areas if a.code == data.get("area")), None) or next(
            (a for a in areas if a.level == "county"), None
        )
        year = data.get("year") or (latest_year(area, years, estimated) if area else None)
        form = FiguresForm(
            areas=areas, years=years, initial={"area": area and area.code, "year": year}
        )
        return super().get_context_data(
            form=form,
            area=area,
            year=year,
            estimates=estimates_for(area, year, estimated) if area and year else [],
            is_county=bool(area and area.level == "county"),
            plan=plan,
            reference=reference,
            county_name=plan.region.name,
            suppress_below=settings.NOLLVISION_SUPPRESS_BELOW,
            can_manage=self.request.user.has_perm("indicators.manage_indicators", plan),
            **kwargs,
        )


class IndicatorsView(CountyPlanMixin, TemplateView):
    """For each goal, the indicators that follow it and have values (charts and tables, with
    their sources), the national reference series (Sweden's figures, labelled Riket), beside
    the bodies' reported progress from the latest accepted follow-up. Indicators without values
    are listed to the county's coordinators only, with how to bring values in. A fixed number of
    queries whatever the number of indicators, areas and years."""

    template_name = "public/indicators.html"

    def get_context_data(self, **kwargs):
        plan = self.county_plan(prefetch=True)
        goals = list(plan.goals.all()) if plan else []
        statistics = goal_statistics([g.number for g in goals], plan.region.code) if plan else {}
        progress = goal_progress(plan) if plan else {}
        rows = [
            (goal, statistics.get(goal.number, GoalStatistics()), progress.get(goal.number))
            for goal in goals
        ]
        return super().get_context_data(
            plan=plan,
            county_name=plan.region.name if plan else "",
            suppress_below=settings.NOLLVISION_SUPPRESS_BELOW,
            goals=rows,
            can_manage=self.request.user.has_perm("indicators.manage_indicators", plan),
            **kwargs,
        )
