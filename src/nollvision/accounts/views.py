"""Accounts: accepting an invitation, and the second factor (TOTP) for coordinators."""

from datetime import timedelta
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import AcceptInvitationForm, TokenForm
from .selectors import account_for_address
from .services import (
    AccountError,
    InvitationStep,
    invitation_accept,
    invitation_accept_as,
    invitation_get,
    invitation_step,
)


class InvitationView(FormView):
    """An invitation's link. A new address chooses a name and a password; an address that has
    an account logs in with it (the login page brings the person back here) and takes the role
    with one button; a person logged in with another address is told so and given nothing
    (`services.invitation_step`)."""

    template_name = "accounts/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitation_get(kwargs["token"])
        if self.invitation is None:
            raise Http404
        self.step = invitation_step(invitation=self.invitation, user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        if self.request.user.is_authenticated:
            return forms.Form  # one button: the account is the logged-in person's
        return AcceptInvitationForm

    def get_context_data(self, **kwargs):
        here = self.request.get_full_path()
        return super().get_context_data(
            invitation=self.invitation,
            step=self.step,
            account=account_for_address(self.invitation.email)
            if self.step in (InvitationStep.LOG_IN, InvitationStep.OTHER_PERSON)
            else None,
            login_url=reverse("accounts:login") + "?" + urlencode({"next": here}),
            here=here,
            **kwargs,
        )

    def form_valid(self, form):
        user = self.request.user
        try:
            if user.is_authenticated:
                invitation_accept_as(token=self.kwargs["token"], user=user)
            else:
                user = invitation_accept(
                    token=self.kwargs["token"],
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                )
                login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        except ValidationError as error:
            form.add_error("password1", error)
            return self.form_invalid(form)
        except AccountError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Welcome to Nollvision. You are now %(role)s for %(organisation)s.")
            % {
                "role": self.invitation.get_role_display(),
                "organisation": self.invitation.organisation.name_with_county,
            },
        )
        return redirect("backoffice:home")


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/arbete/"


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Register an authenticator app: shows a QR code and the key, then checks one code."""

    template_name = "accounts/two_factor_setup.html"
    form_class = TokenForm

    def device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(
            user=self.request.user, name="app", confirmed=False
        )

    def get_context_data(self, **kwargs):
        device = self.device()
        qr = segno.make(device.config_url, error="m")
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=4, title=_("QR code for your authenticator app")),
            key=device.key,
            next=_next(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        device = self.device()
        if not device.verify_token(form.cleaned_data["token"]):
            form.add_error("token", _("The code did not match. Try the next one."))
            return self.form_invalid(form)
        TOTPDevice.objects.filter(user=self.request.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        otp_login(self.request, device)
        messages.success(self.request, _("Two-factor login is set up."))
        return redirect(_next(self.request))


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    template_name = "accounts/two_factor_verify.html"
    form_class = TokenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next(self.request), **kwargs)

    def form_valid(self, form):
        for device in TOTPDevice.objects.filter(user=self.request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(self.request, device)
                return redirect(_next(self.request))
        form.add_error("token", _("The code did not match."))
        return self.form_invalid(form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): in the person's language, when they can
    try again, and the way to a new password."""
    from axes.models import AccessAttempt
    from django.template.response import TemplateResponse

    from .forms import _cooloff_minutes

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    latest = (
        AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
        if username
        else None
    )
    minutes = _cooloff_minutes()
    again = (latest.attempt_time if latest else timezone.now()) + timedelta(minutes=minutes)
    response = TemplateResponse(
        request,
        "accounts/locked_out.html",
        {"again_at": again, "minutes": minutes},
        status=429,
    )
    return response.render()


# Password-reset e-mails: at most this many an hour for one address and from one client, like
# the login's lockout, so nobody can flood an inbox or the mail server from the form.
RESET_PER_ADDRESS = 3
RESET_PER_CLIENT = 10
RESET_WINDOW_SECONDS = 3600


def _within(key: str, limit: int) -> bool:
    """Count one more use of `key` in the window; True while the count is within `limit`."""
    from django.core.cache import cache

    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, rate-limited per address and per client. Over the address's
    limit the page answers as if the link was sent (it says the same for unknown addresses);
    over the client's, it says to try again later."""

    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "accounts/password_reset_email.txt"

    def form_valid(self, form):
        import hashlib

        from axes.helpers import get_client_ip_address

        client = get_client_ip_address(self.request) or "unknown"
        if not _within(f"nollvision:reset:client:{client}", RESET_PER_CLIENT):
            form.add_error(
                None,
                _(
                    "Too many requests for a new password from here. Try again in an hour, or "
                    "ask the county administrative board for help."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        if not _within(f"nollvision:reset:address:{address}", RESET_PER_ADDRESS):
            return redirect(self.get_success_url())
        return super().form_valid(form)
