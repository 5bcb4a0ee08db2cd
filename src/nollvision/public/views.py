"""Public pages: the plan, its measures, who is responsible, the collaboration structure."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.views import View
from django.views.generic import TemplateView

from nollvision.accounts import geography
from nollvision.core.public_cache import generation
from nollvision.plans import documents
from nollvision.plans.selectors import (
    goals_with_measures,
    measure_get,
    measures_filtered,
    plan_diff,
    plan_get,
    plan_responsibilities,
    plan_signatories,
    plan_versions,
    plans_visible_to,
    prioritised_periods,
    public_plans_by_county,
    vocabulary_terms,
)
from nollvision.reports.published import (
    STATUS_CHOICES,
    goal_measure_progress,
    meeting_work_for_measure,
    published_meeting,
    published_minutes,
    recorded_signings,
)

from .county import several_counties
from .forms import MeasureFilterForm, VersionCompareForm


class PlanMixin:
    """Finds the plan version named in the URL (or the newest) among those the user may see."""

    prefetch_plan = True  # the vocabularies and steering documents, for the plan page

    def get_plan(self):
        slug = self.kwargs.get("slug", settings.NOLLVISION_DEFAULT_PLAN)
        plan = plan_get(
            user=self.request.user,
            slug=slug,
            version=self.kwargs.get("version"),
            prefetch=self.prefetch_plan,
        )
        if plan is None:
            raise Http404
        return plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["versions"] = plan_versions(user=self.request.user, slug=self.plan.slug)
        return context

    def dispatch(self, request, *args, **kwargs):
        self.plan = self.get_plan()
        return super().dispatch(request, *args, **kwargs)


class PlanDetailView(PlanMixin, TemplateView):
    template_name = "public/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prioritised = prioritised_periods(self.plan)
        form = MeasureFilterForm(self.request.GET or None, plan=self.plan, prioritised=prioritised)
        measures = measures_filtered(self.plan, form.criteria())
        context.update(
            prioritised=prioritised,
            form=form,
            goals=goals_with_measures(self.plan, measures),
            measure_count=len(measures),
            total_count=self.plan.measures.count(),
            terms=vocabulary_terms(self.plan),
            signings=recorded_signings(self.plan),
        )
        return context


class PlanDocumentView(PlanMixin, View):
    """The plan as a document (PDF or Word) in the page's language: the newest public version, or
    the one in the address. Only adopted and archived versions, for everyone, logged in or not
    (a draft is the county's and is downloaded in the back office; this view never finds one, so
    no draft is kept in the cache)."""

    prefetch_plan = False

    def get_plan(self):
        plan = plan_get(
            user=AnonymousUser(),
            slug=self.kwargs["slug"],
            version=self.kwargs.get("version"),
            prefetch=False,
        )
        if plan is None:
            raise Http404
        return plan

    def get(self, request, *args, fmt, **kwargs):
        if fmt not in documents.CONTENT_TYPES:
            raise Http404
        language = translation.get_language()
        # Building the PDF takes a second or more: each public file is built once per change of
        # the public data (the public cache's generation), language and format.
        key = f"nollvision-plan-document-{generation()}-{self.plan.pk}-{language}-{fmt}"
        content = cache.get(key)
        if content is None:
            content = documents.render(self.plan, fmt, language)
            cache.set(key, content, timeout=24 * 3600)
        response = HttpResponse(content, content_type=documents.CONTENT_TYPES[fmt])
        name = documents.plan_file_name(self.plan, fmt, language)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class CountiesView(TemplateView):
    """With several counties' plans published here, the visitor first chooses a county (or goes
    straight to support in their municipality); the county's pages then carry it in the address."""

    template_name = "public/counties.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=public_plans_by_county(), **kwargs)


class HomeView(PlanMixin, TemplateView):
    """The front door: help first (112 and the county's municipalities, one tap from who to
    call), then one tap to the plan, its figures, easy-to-read and the reports, and the plan's
    goals; the measures themselves are on the plan's page. With several counties, the choice
    of county; with no plan, the list of plans."""

    template_name = "public/home.html"
    prefetch_plan = False

    def get_context_data(self, **kwargs):
        county = geography.county(self.plan.region.code) if self.plan.region_id else None
        return super().get_context_data(
            support_county=county,
            goals=list(self.plan.goals.all()),
            measure_count=self.plan.measures.count(),
            **kwargs,
        )

    def dispatch(self, request, *args, **kwargs):
        if several_counties():  # kept with the public cache's generation: no query
            return CountiesView.as_view()(request, *args, **kwargs)
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            return PlanListView.as_view()(request, *args, **kwargs)


class PlanListView(TemplateView):
    template_name = "public/plan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plans"] = plans_visible_to(self.request.user).order_by("slug", "-version")
        return context


class MeasureDetailView(PlanMixin, TemplateView):
    template_name = "public/measure_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = measure_get(plan=self.plan, code=self.kwargs["code"])
        if measure is None:
            raise Http404
        decisions, actions = meeting_work_for_measure(measure)
        progress = goal_measure_progress(self.plan, measure.goal.number)
        context.update(
            measure=measure,
            decisions=decisions,
            actions=actions,
            progress=progress,
            counts=progress.of(measure.key),
            statuses=STATUS_CHOICES,
        )
        return context


class ResponsibilitiesView(PlanMixin, TemplateView):
    template_name = "public/responsibilities.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            signatories=plan_signatories(self.plan),
            responsibilities=plan_responsibilities(self.plan),
            terms=vocabulary_terms(self.plan),
        )
        return context


class CollaborationView(PlanMixin, TemplateView):
    template_name = "public/collaboration.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bodies"] = self.plan.collaboration_bodies.all()
        context["minutes"] = published_minutes(self.plan.slug)
        return context


class PlanCompareView(PlanMixin, TemplateView):
    template_name = "public/plan_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(context["versions"])
        form = VersionCompareForm(self.request.GET or None, versions=versions)
        rows = None
        if form.is_valid():
            by_number = {plan.version: plan for plan in versions}
            old, new = sorted(
                (
                    by_number[form.cleaned_data["from_version"]],
                    by_number[form.cleaned_data["to_version"]],
                ),
                key=lambda plan: plan.version,
            )
            rows = plan_diff(old, new)
            context.update(old=old, new=new)
        context.update(form=form, rows=rows)
        return context


class QuickExitView(View):
    """Without JavaScript: send the visitor to the neutral site. A GET changes nothing (any site
    can make a browser GET this address); a logged-in person's button is a form whose POST, with
    its CSRF token, also ends the session."""

    def get(self, request):
        response = HttpResponseRedirect(settings.NOLLVISION_QUICK_EXIT_URL)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request):
        logout(request)  # also flushes the session
        return self.get(request)


class SaferBrowsingView(TemplateView):
    template_name = "public/safer_browsing.html"


class MinutesView(TemplateView):
    """Minutes the coordinator has published; nothing else of a meeting is public."""

    template_name = "public/minutes.html"

    def get_context_data(self, **kwargs):
        meeting = published_meeting(self.kwargs["pk"])
        if meeting is None:
            raise Http404
        return super().get_context_data(meeting=meeting, **kwargs)
