"""Setting up a county (staff only): choose it from the official list, upload its plan file
(checked as `nollvision import_plan` checks it, nothing imported on error) and invite its first
coordinator. From then on the county's coordinator runs it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from nollvision.accounts import geography, tenancy
from nollvision.accounts.models import Invitation, Membership, Region, Role
from nollvision.accounts.services import invitation_create
from nollvision.plans.models import Plan
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_import_for_county
from nollvision.support.selectors import services_of_county

from .forms import CountyChoiceForm, FirstCoordinatorForm, PlanUploadForm


class StaffMixin(LoginRequiredMixin):
    """The platform's administrators (staff) only; a county's coordinator is not staff."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CountyListView(StaffMixin, TemplateView):
    template_name = "backoffice/counties.html"

    def get(self, request, *args, **kwargs):
        form = CountyChoiceForm(request.GET or None, counties=geography.counties())
        if form.is_valid():
            return redirect("backoffice:county", form.cleaned_data["county"])
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        plans = {}
        for plan in Plan.objects.select_related("region").order_by("slug", "version"):
            plans.setdefault(plan.region.code, {})[plan.slug] = plan  # newest version last
        coordinators = {}
        for membership in Membership.objects.filter(role=Role.COORDINATOR).select_related(
            "organisation__region"
        ):
            if membership.organisation.region_id:
                code = membership.organisation.region.code
                coordinators[code] = coordinators.get(code, 0) + 1
        rows = [
            (county, list(plans.get(county.code, {}).values()), coordinators.get(county.code, 0))
            for county in geography.counties()
        ]
        return super().get_context_data(
            rows=[row for row in rows if row[1] or row[2]], source=geography.source(), **kwargs
        )


class CountyView(StaffMixin, TemplateView):
    template_name = "backoffice/county.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.county = geography.county(kwargs["code"]) if len(kwargs["code"]) == 2 else None

    def get(self, request, *args, **kwargs):
        if self.county is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        region = Region.objects.filter(code=self.county.code).first()
        organisations = tenancy.organisations_of(region.pk if region else None)
        kwargs.setdefault("upload_form", PlanUploadForm())
        kwargs.setdefault("invite_form", FirstCoordinatorForm(organisations=organisations))
        return super().get_context_data(
            county=self.county,
            region=region,
            plans=Plan.objects.filter(region=region).order_by("slug", "version") if region else [],
            coordinators=Membership.objects.filter(
                organisation__in=organisations, role=Role.COORDINATOR
            ).select_related("user", "organisation"),
            invitations=Invitation.objects.filter(
                organisation__in=organisations,
                role=Role.COORDINATOR,
                accepted_at__isnull=True,
                withdrawn_at__isnull=True,
            ).select_related("organisation"),
            services=services_of_county(self.county.code),
            **kwargs,
        )

    def post(self, request, code):
        if self.county is None:
            raise Http404
        if request.POST.get("step") == "plan":
            return self._upload(request)
        return self._invite(request)

    def _upload(self, request):
        form = PlanUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=form), status=400)
        upload = form.cleaned_data["file"]
        try:
            document = parse_plan_file(upload.read(), upload.name)
            result = plan_import_for_county(county_code=self.county.code, document=document)
        except PlanFileError as error:
            return self.render_to_response(
                self.get_context_data(upload_form=form, problems=error.problems), status=400
            )
        messages.success(
            request,
            _("Imported %(plan)s version %(version)d with %(measures)d measures.")
            % {
                "plan": result.plan.slug,
                "version": result.plan.version,
                "measures": result.measures,
            },
        )
        for warning in result.warnings:
            messages.warning(request, str(warning))
        return redirect("backoffice:county", self.county.code)

    def _invite(self, request):
        region = Region.objects.filter(code=self.county.code).first()
        organisations = tenancy.organisations_of(region.pk if region else None)
        form = FirstCoordinatorForm(request.POST, organisations=organisations)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(invite_form=form), status=400)
        invitation_create(
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            role=Role.COORDINATOR,
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("backoffice:county", self.county.code)
