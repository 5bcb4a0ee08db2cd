"""What the back-office views share: the county board's gate."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nollvision.accounts.selectors import coordinated_region_ids
from nollvision.followup import selectors


class CoordinatorMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not coordinated_region_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def load_campaign(self):
        campaign = selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])
        if campaign is None:
            raise Http404
        return campaign
