"""People and invitations: who has which role in the county's bodies."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from nollvision.accounts.models import Membership
from nollvision.accounts.selectors import (
    invitation_managed_by,
    invitations_not_accepted,
    organisations_coordinated_by,
)
from nollvision.accounts.services import (
    AccountError,
    invitation_create,
    invitation_resend,
    invitation_withdraw,
    membership_remove,
)
from nollvision.core.parsing import whole_number

from .confirm import confirmation, confirmed
from .forms import InviteForm
from .mixins import CoordinatorMixin


class MembersView(CoordinatorMixin, FormView):
    template_name = "backoffice/members.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": organisations_coordinated_by(self.request.user),
        }

    def get_initial(self):
        """A link from a notice that names a body nobody there can hear (`?organisation=<id>`)
        opens the form with that body chosen, if it is one of the person's county."""
        chosen = whole_number(self.request.GET.get("organisation"))
        organisations = organisations_coordinated_by(self.request.user)
        if chosen is not None and organisations.filter(pk=chosen).exists():
            return {"organisation": chosen}
        return {}

    def get_context_data(self, **kwargs):
        organisations = organisations_coordinated_by(self.request.user)
        return super().get_context_data(
            memberships=Membership.objects.filter(organisation__in=organisations)
            .select_related("user", "organisation__region")
            .order_by("organisation__name", "role"),
            invitations=invitations_not_accepted(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        invitation_create(
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            invited_by=self.request.user,
            base_url=self.request.build_absolute_uri("/"),
        )
        messages.success(
            self.request, _("An invitation was sent to %(email)s.") % {"email": data["email"]}
        )
        return redirect(reverse("backoffice:members") + "?" + urlencode({"sent": 1}))


class MembershipRemoveView(CoordinatorMixin, View):
    def post(self, request, pk):
        membership = Membership.objects.filter(
            pk=pk, organisation__in=organisations_coordinated_by(request.user)
        ).first()
        if membership is None:
            raise Http404
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Remove a role"),
                lines=[
                    _("%(user)s will no longer be %(role)s at %(organisation)s.")
                    % {
                        "user": membership.user.get_full_name() or membership.user.username,
                        "role": membership.get_role_display(),
                        "organisation": membership.organisation.name_with_county,
                    },
                    _("Their account stays; they can be invited to a role again."),
                ],
                button=_("Remove the role"),
                cancel_url=reverse("backoffice:members"),
                danger=True,
            )
        try:
            membership_remove(membership=membership, by=request.user)
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(user)s no longer has a role in %(organisation)s.")
                % {
                    "user": membership.user,
                    "organisation": membership.organisation.name_with_county,
                },
            )
        return redirect("backoffice:members")


class _InvitationStepView(CoordinatorMixin, View):
    """A button on a pending invitation of the coordinator's county (another county's: 404)."""

    def post(self, request, pk):
        invitation = invitation_managed_by(request.user, pk)
        if invitation is None:
            raise Http404
        try:
            message = self.act(invitation)
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect(reverse("backoffice:members") + "#invitations-heading")


class InvitationResendView(_InvitationStepView):
    def act(self, invitation) -> str:
        invitation_resend(invitation=invitation, base_url=self.request.build_absolute_uri("/"))
        return _(
            "The invitation to %(email)s was sent again with a new link. The old link no "
            "longer works."
        ) % {"email": invitation.email}


class InvitationWithdrawView(_InvitationStepView):
    def act(self, invitation) -> str:
        invitation_withdraw(invitation=invitation)
        return _("The invitation to %(email)s was withdrawn. Its link no longer works.") % {
            "email": invitation.email
        }
