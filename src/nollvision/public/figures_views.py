"""Public pages: the plan's figures with their arithmetic, and indicators per goal."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from nollvision.indicators.estimates import estimates_for
from nollvision.indicators.models import Indicator
from nollvision.indicators.presentation import indicator_views
from nollvision.indicators.selectors import areas_of_county, indicators_by_goal, population_years
from nollvision.plans.selectors import plan_get
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
    """Each of the plan's figures: the formula with its numbers, the printed figure beside it."""

    template_name = "public/figures.html"

    def get_context_data(self, **kwargs):
        plan = self.county_plan()
        areas = areas_of_county(plan.region.code) if plan else []
        years = population_years(areas)
        form = FiguresForm(self.request.GET or None, areas=areas, years=years)
        data = form.cleaned_data if form.is_valid() else {}
        area = next((a for a in areas if a.code == data.get("area")), None) or next(
            (a for a in areas if a.level == "county"), None
        )
        year = data.get("year") or (years[0] if years else None)
        estimates = estimates_for(area, year) if area and year else []
        return super().get_context_data(
            form=form,
            area=area,
            year=year,
            estimates=estimates,
            is_county=bool(area and area.level == "county"),
            plan=plan,
            **kwargs,
        )


class IndicatorsView(CountyPlanMixin, TemplateView):
    """For each goal, the indicators that follow it (charts and tables), beside the bodies'
    reported progress from the latest accepted follow-up."""

    template_name = "public/indicators.html"

    def get_context_data(self, **kwargs):
        plan = self.county_plan(prefetch=True)
        goals = list(plan.goals.all()) if plan else []
        county = plan.region.code if plan else None
        areas = areas_of_county(county) if plan else []
        by_goal = indicators_by_goal([g.number for g in goals], county)
        views = {v.indicator.pk: v for v in indicator_views(list(Indicator.objects.all()), areas)}
        progress = goal_progress(plan) if plan else {}
        return super().get_context_data(
            plan=plan,
            areas=areas,
            suppress_below=settings.NOLLVISION_SUPPRESS_BELOW,
            goals=[
                (
                    goal,
                    [(item, views[item["indicator"].pk]) for item in by_goal.get(goal.number, [])],
                    progress.get(goal.number),
                )
                for goal in goals
            ],
            **kwargs,
        )
