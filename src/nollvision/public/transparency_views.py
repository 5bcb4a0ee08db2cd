"""Public transparency pages: a goal with its measures and published progress, a body with its
commitments, duties and reported progress; the easy-to-read summary."""

from collections import Counter

from django.http import Http404
from django.template.response import TemplateResponse
from django.views import View
from django.views.generic import TemplateView

from nollvision.accounts.models import Organisation
from nollvision.plans.enums import Vocabulary
from nollvision.plans.models import Duty, Goal
from nollvision.reports.framed import FRAMED
from nollvision.reports.published import (
    STATUS_CHOICES,
    body_progress,
    goal_measure_progress,
    goal_progress,
    public_file_response,
    public_record,
    public_report_page,
    recorded_signings,
)

from .views import PlanMixin

PRINT = "utskrift"  # the query that asks for a report page's frozen file, the print version


class GoalView(PlanMixin, TemplateView):
    """A goal, its measures and how many bodies report each status in the latest published
    follow-up. Eight queries at most, whatever the size of the plan."""

    template_name = "public/goal_detail.html"
    prefetch_plan = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        goal = Goal.objects.filter(plan=self.plan, number=self.kwargs["number"]).first()
        if goal is None:
            raise Http404
        measures = list(goal.measures.prefetch_related("organisation_kinds").order_by("position"))
        progress = goal_measure_progress(self.plan, goal.number)
        context.update(
            goal=goal,
            rows=[(m, progress.of(m.key)) for m in measures],
            progress=progress,
            statuses=STATUS_CHOICES,
        )
        return context


class OrganisationView(PlanMixin, TemplateView):
    """A body: the measures that concern it, its duties and its published progress by year."""

    template_name = "public/organisation_detail.html"
    prefetch_plan = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = (
            Organisation.objects.select_related("kind")
            .filter(slug=self.kwargs["organisation"], signatures__plan=self.plan)
            .first()
        )
        if organisation is None:
            raise Http404
        measures = [
            m
            for m in self.plan.measures.select_related("goal")
            .prefetch_related("organisation_kinds")
            .order_by("goal__number", "position")
            if not m.organisation_kinds.all()
            or any(k.pk == organisation.kind_id for k in m.organisation_kinds.all())
        ]
        duties = (
            Duty.objects.filter(
                description__plan=self.plan, description__organisation_kind=organisation.kind
            )
            .select_related("chain_stage")
            .order_by("position")
        )
        context.update(
            organisation=organisation,
            measures=measures,
            duties=duties,
            years=body_progress(self.plan.slug, organisation.pk),
            statuses=STATUS_CHOICES,
        )
        return context


class EasyReadView(PlanMixin, TemplateView):
    """The plan in easy-to-read Swedish (lättläst) and plain English."""

    template_name = "public/easy_read.html"
    prefetch_plan = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = goal_progress(self.plan)
        kinds = Counter(
            s.organisation.kind for s in self.plan.signatures.select_related("organisation__kind")
        )
        context.update(
            goals=[(goal, progress.get(goal.number)) for goal in self.plan.goals.all()],
            signatory_count=sum(kinds.values()),
            signings=recorded_signings(self.plan),
            # What the plan is about, from its own vocabulary (each county's plan says it).
            violence_areas=list(
                self.plan.terms.filter(vocabulary=Vocabulary.VIOLENCE_AREA).order_by("position")
            ),
            # Who signed, from the plan's own data (each county's bodies differ).
            signatory_kinds=sorted(kinds.items(), key=lambda item: (-item[1], str(item[0].name))),
        )
        return context


class ReportsView(PlanMixin, TemplateView):
    """The public record: every published annual report of the plan with its annex in every
    format, newest year first; earlier publications stay listed as replaced, with the reason."""

    template_name = "public/reports.html"
    prefetch_plan = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=public_record(self.plan.slug), **kwargs)


class ReportFileView(PlanMixin, View):
    """A file of a published report's public edition, byte for byte as it was frozen. The HTML
    report and annex are shown inside the site's frame (quick exit, menu, language; fitted to a
    phone); `?utskrift` gives their frozen file itself, the print version."""

    prefetch_plan = False

    def get(self, request, *args, year, number, fmt, **kwargs):
        if fmt in FRAMED and PRINT not in request.GET:
            framed = public_report_page(self.plan.slug, year, number, fmt)
            if framed is None:
                raise Http404
            context = {"plan": self.plan, "framed": framed, "year": year, "print_query": PRINT}
            return TemplateResponse(request, "public/report_page.html", context)
        return public_file_response(self.plan.slug, year, number, fmt)
