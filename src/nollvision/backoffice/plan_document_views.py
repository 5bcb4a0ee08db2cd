"""Back office: a version of the plan as a document (PDF or Word) for its county's coordinators,
drafts included (marked as drafts on every page). The public downloads adopted and archived
versions from the plan's page (`public.views.PlanDocumentView`)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views import View

from nollvision.plans import documents
from nollvision.plans.models import Plan


class PlanDocumentView(LoginRequiredMixin, View):
    """Built on request and never cached: a draft changes with every edit and is nobody else's."""

    def get(self, request, slug: str, version: int, fmt: str):
        plan = Plan.objects.select_related("region").filter(slug=slug, version=version).first()
        # 404 rather than 403 for another county's plan: a draft's existence is not revealed.
        if plan is None or not request.user.has_perm("plans.manage_plan", plan):
            raise Http404
        if fmt not in documents.CONTENT_TYPES:
            raise Http404
        language = translation.get_language()
        response = HttpResponse(
            documents.render(plan, fmt, language), content_type=documents.CONTENT_TYPES[fmt]
        )
        name = documents.plan_file_name(plan, fmt, language)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        patch_cache_control(response, private=True, no_store=True)
        return response
