"""Where to find support, the professionals' guide, and pages about the site itself."""

from django.conf import settings
from django.http import Http404
from django.views.generic import TemplateView

from nollvision.indicators.models import Area, AreaLevel
from nollvision.plans.selectors import plan_get
from nollvision.support.selectors import (
    municipalities,
    services_by_need,
    situations_of,
    steps_with_duties,
)

COUNTY_WIDE = "lanet"


class SupportView(TemplateView):
    """Step one: choose a municipality (or the whole county); with one chosen, step two lists the
    services by need: emergency first, then the municipality's, the county's and national ones."""

    template_name = "public/support.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.kwargs.get("area") or self.request.GET.get("kommun")
        area = None
        if code and code != COUNTY_WIDE:
            area = Area.objects.filter(
                code=code, level__in=[AreaLevel.MUNICIPALITY, AreaLevel.COUNTY]
            ).first()
            if area is None:
                raise Http404
        context.update(
            area=area,
            chosen=bool(code),
            municipalities=municipalities(),
            groups=services_by_need(area) if code else [],
        )
        return context


class GuideMixin:
    def dispatch(self, request, *args, **kwargs):
        self.plan = plan_get(
            user=request.user, slug=settings.NOLLVISION_DEFAULT_PLAN, prefetch=False
        )
        if self.plan is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


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
