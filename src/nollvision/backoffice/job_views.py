"""Background work seen from the back office: the page of one job (its progress, then its
result or what went wrong), which follows the job until it has finished (a refresh link; with JavaScript, by itself), and the file a
job made. Queuing is `jobs.services.job_enqueue`, called by the pages that start the work."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from nollvision.jobs.enums import JobKind
from nollvision.jobs.selectors import job_get
from nollvision.jobs.services import job_enqueue
from nollvision.plans import documents
from nollvision.plans.models import Consultation, Plan


class JobAccessMixin(LoginRequiredMixin):
    def load_job(self, pk):
        job = job_get(pk)
        # 404, not 403: another county's work is not revealed.
        if job is None or not self.request.user.has_perm("jobs.view_job", job):
            raise Http404
        return job


class JobView(JobAccessMixin, TemplateView):
    template_name = "backoffice/job.html"

    def get_context_data(self, **kwargs):
        job = self.load_job(self.kwargs["pk"])
        return super().get_context_data(job=job, poll=not job.finished, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_cache_control(response, no_cache=True, no_store=True)
        return response


class JobFileView(JobAccessMixin, View):
    def get(self, request, pk):
        job = self.load_job(pk)
        if not job.result_file:
            raise Http404
        response = FileResponse(
            job.result_file.open("rb"),
            as_attachment=True,
            filename=job.result_name,
            content_type=job.result_type or "application/octet-stream",
        )
        patch_cache_control(response, private=True, no_store=True)
        return response


def started(job):
    """The answer to the request that queued a job: its page."""
    return redirect("backoffice:job", pk=job.pk)


class PlanDocumentBuildView(LoginRequiredMixin, View):
    """The plan (a draft too) as PDF or Word, built by a worker; its page links the file."""

    def post(self, request, slug: str, version: int, fmt: str):
        plan = Plan.objects.select_related("region").filter(slug=slug, version=version).first()
        if plan is None or not request.user.has_perm("plans.manage_plan", plan):
            raise Http404
        if fmt not in documents.CONTENT_TYPES:
            raise Http404
        job = job_enqueue(
            kind=JobKind.PLAN_DOCUMENT,
            title=_("%(plan)s, version %(version)d, as %(format)s")
            % {"plan": plan.title, "version": plan.version, "format": fmt.upper()},
            user=request.user,
            plan=plan,
            target=f"plans.plan:{plan.pk}",
            arguments={"plan": plan.pk, "fmt": fmt, "language": translation.get_language()},
        )
        return started(job)


class ConsultationSummaryBuildView(LoginRequiredMixin, View):
    def post(self, request, pk: int, fmt: str):
        consultation = Consultation.objects.select_related("plan__region").filter(pk=pk).first()
        if consultation is None or not request.user.has_perm("plans.manage_plan", consultation):
            raise Http404
        if fmt not in ("pdf", "docx"):
            raise Http404
        job = job_enqueue(
            kind=JobKind.CONSULTATION_SUMMARY,
            title=_("Consultation summary on version %(version)d of %(plan)s (%(format)s)")
            % {
                "version": consultation.plan.version,
                "plan": consultation.plan.title,
                "format": fmt.upper(),
            },
            user=request.user,
            plan=consultation.plan,
            target=f"plans.consultation:{consultation.pk}",
            arguments={"consultation": consultation.pk, "fmt": fmt},
        )
        return started(job)
