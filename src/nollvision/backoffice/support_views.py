"""Back office: each county's coordinator keeps their county's support services up to date."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, TemplateView, UpdateView

from nollvision.backoffice.support_forms import ServiceForm
from nollvision.support.models import SupportService
from nollvision.support.selectors import (
    areas_managed_by,
    national_services,
    service_managed_by,
    services_managed_by,
)
from nollvision.support.services import service_mark_verified


class ServiceMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Coordinators only: others get 403, and the anonymous the login page. A service of another
    county, or a national one, is not found (404)."""

    permission_required = "support.manage_services"

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def get_object(self, queryset=None):
        service = service_managed_by(self.request.user, self.kwargs["pk"])
        if service is None or not self.request.user.has_perm("support.change_service", service):
            raise Http404
        return service


class ServiceListView(ServiceMixin, TemplateView):
    template_name = "backoffice/services.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = [(s, s.due_checks(today)) for s in services_managed_by(self.request.user)]
        national = [(s, s.due_checks(today)) for s in national_services()]
        return super().get_context_data(
            rows=rows,
            overdue=sum(1 for _s, due in rows if due),
            national=national,
            national_overdue=sum(1 for _s, due in national if due),
            **kwargs,
        )


class ServiceSaveMixin(ServiceMixin):
    model = SupportService
    form_class = ServiceForm
    template_name = "backoffice/service_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "areas": areas_managed_by(self.request.user)}

    def get_success_url(self):
        messages.success(self.request, _("The support service was saved."))
        return reverse("backoffice:services")


class ServiceCreateView(ServiceSaveMixin, CreateView):
    pass


class ServiceUpdateView(ServiceSaveMixin, UpdateView):
    pass


class ServiceVerifiedView(ServiceMixin, View):
    """The coordinator has checked the details with the service today."""

    def post(self, request, pk):
        service = self.get_object()
        service_mark_verified(service=service)
        messages.success(
            request,
            _("Recorded: the details of %(name)s were checked with the service today.")
            % {"name": service.name},
        )
        return redirect("backoffice:service-edit", pk=service.pk)
