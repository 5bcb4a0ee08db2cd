"""My work: what waits for each role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from nollvision.accounts.selectors import (
    coordinated_region_ids,
    memberships_of,
)
from nollvision.followup import selectors
from nollvision.notifications.selectors import unread_notices
from nollvision.plans.consultation import consultations_to_answer
from nollvision.plans.revision import answers_to_handle
from nollvision.plans.selectors import plans_coordinated_by, signings_to_record
from nollvision.support.selectors import national_services_due, services_due_for_verification


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "backoffice/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            waiting=selectors.waiting_for(user),
            responses=selectors.my_responses(user),
            campaigns=selectors.campaigns_coordinated_by(user),
            memberships=memberships_of(user),
            dashboards=selectors.campaigns_with_results(user),
            services_due=services_due_for_verification(user) if coordinated_region_ids(user) else 0,
            national_due=len(national_services_due()) if user.is_staff else 0,
            coordinated_plans=plans_coordinated_by(user),
            # The county board's tools, for its coordinators only (staff are no county's).
            coordinates=bool(coordinated_region_ids(user)),
            consultations=consultations_to_answer(user),
            notices=unread_notices(user),
            # Consultation answers sent in that wait for the coordinator's handling.
            answers_to_handle=answers_to_handle(user),
            signings_due=signings_to_record(user),
            readable=selectors.responses_visible_to(user)
            .exclude(organisation_id__in=[m.organisation_id for m in memberships_of(user)])
            .order_by("-campaign__year")[:50],
        )
        return context
