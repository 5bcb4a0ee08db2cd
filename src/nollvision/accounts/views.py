"""Accounts: accepting an invitation, and the second factor (TOTP) for coordinators."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .forms import AcceptInvitationForm, LoginForm, OrganisationLoginForm, TokenForm
from .selectors import account_for_address, provider_for_address
from .services import (
    AccountError,
    InvitationStep,
    invitation_accept,
    invitation_accept_as,
    invitation_get,
    invitation_step,
)

logger = logging.getLogger(__name__)


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
            provider=provider_for_address(self.invitation.email)
            if self.step == InvitationStep.NEW_ACCOUNT
            else None,
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


class LoginView(auth_views.LoginView):
    """Django's login with a password and, when any organisation has connected its identity
    provider, the way in through it ("sign in with your organisation")."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from .models import IdentityProvider

        kwargs.setdefault("provider_form", OrganisationLoginForm())
        return super().get_context_data(
            providers=IdentityProvider.objects.filter(active=True).exists(), **kwargs
        )


def _login_page(request, provider_form, status: int):
    view = LoginView(request=request, kwargs={}, args=())
    view.setup(request)
    context = view.get_context_data(form=LoginForm(request), provider_form=provider_form)
    return TemplateResponse(request, "registration/login.html", context, status=status)


def provider_problem(request, provider, message: str, status: int):
    """The page that says a provider login did not work, in the page's language: what went
    wrong, whom to ask (the provider's contact and the county administrative board), and that a
    password login stays open."""
    from .selectors import county_boards_of

    return TemplateResponse(
        request,
        "accounts/provider_problem.html",
        {
            "provider": provider,
            "message": message,
            "boards": county_boards_of(provider.organisation) if provider else [],
        },
        status=status,
    )


class ProviderLoginView(OIDCAuthenticationRequestView):
    """Sends the person to the identity provider of their address's organisation, through
    mozilla-django-oidc's authorisation request (state, nonce, PKCE), with that provider's
    settings. A provider that does not answer gets the problem page, before anyone is sent."""

    http_method_names = ["post"]

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)
        self.oidc_settings = {}
        self.login_hint = ""

    def get_settings(self, attr, *args):
        from mozilla_django_oidc.utils import import_from_settings

        if attr in self.oidc_settings:
            return self.oidc_settings[attr]
        return import_from_settings(attr, *args)

    def get_extra_params(self, request):
        return {"login_hint": self.login_hint}

    def post(self, request):
        from . import oidc
        from .selectors import provider_for_address

        form = OrganisationLoginForm(request.POST)
        if not form.is_valid():
            return _login_page(request, form, status=400)
        provider = provider_for_address(form.cleaned_data["email"])
        if provider is None:
            form.add_error(
                "email",
                _(
                    "No organisation has connected its own login for this address. Log in "
                    "with your password, or ask the county administrative board."
                ),
            )
            return _login_page(request, form, status=400)
        try:
            configuration = oidc.provider_configuration(provider)
        except oidc.ProviderUnavailable as error:
            logger.warning("identity provider %s does not answer: %s", provider.pk, error)
            return provider_problem(request, provider, _unavailable(provider), status=503)
        self.oidc_settings = oidc.provider_settings(provider, configuration)
        self.OIDC_OP_AUTH_ENDPOINT = configuration.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.login_hint = form.cleaned_data["email"]
        response = self.get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        pending = dict(list(request.session.get(oidc.PENDING_KEY, {}).items())[-9:])
        pending[state] = [provider.pk, translation.get_language()]
        request.session[oidc.PENDING_KEY] = pending
        wanted = request.POST.get("next") or ""
        request.session["oidc_login_next"] = (
            _next(request) if wanted else reverse(settings.LOGIN_REDIRECT_URL)
        )
        return _onward(
            request,
            response["Location"],
            _("To the login of %(organisation)s") % {"organisation": provider.organisation.name},
            _("Continue to your organisation's login"),
        )


def _onward(request, url: str, heading: str, link_text: str):
    """A page that moves on to the provider at once (meta refresh) and links there. A redirect
    would do, were it not the answer to a form: the pages' Content-Security-Policy allows forms
    to send only to this site, which browsers apply to the redirects after a form too."""
    return TemplateResponse(
        request,
        "accounts/provider_redirect.html",
        {"url": url, "heading": heading, "link_text": link_text},
    )


def _unavailable(provider) -> str:
    return _(
        "The login service of %(organisation)s does not answer right now, or is not set up "
        "correctly."
    ) % {"organisation": provider.organisation.name}


@method_decorator(never_cache, name="dispatch")
class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: mozilla-django-oidc exchanges the code for the
    tokens and checks them with the provider's settings; `oidc.ProviderBackend` finds the
    account. The session then remembers the provider (for logout) and whether it said the
    person used a second factor (`accounts.middleware`)."""

    def get(self, request):
        import requests
        from django.core.exceptions import SuspiciousOperation

        from . import oidc
        from .models import IdentityProvider

        provider_id, language = request.session.get(oidc.PENDING_KEY, {}).get(
            request.GET.get("state", ""), [None, None]
        )
        if language:  # the language of the page the login started on
            translation.activate(language)
            request.LANGUAGE_CODE = language
        self.provider = (
            IdentityProvider.objects.select_related("organisation__region")
            .filter(pk=provider_id, active=True)
            .first()
            if provider_id
            else None
        )
        if self.provider is None:
            return provider_problem(
                request,
                None,
                _("This login is too old or was started in another browser. Start again."),
                status=400,
            )
        if request.GET.get("error"):
            return provider_problem(
                request,
                self.provider,
                _("%(organisation)s's login service did not log you in.")
                % {"organisation": self.provider.organisation.name},
                status=400,
            )
        try:
            self.configuration = oidc.provider_configuration(self.provider)
            request.nollvision_provider = self.provider
            request.nollvision_configuration = self.configuration
            return super().get(request)
        except (oidc.ProviderUnavailable, requests.RequestException, SuspiciousOperation) as error:
            logger.warning("identity provider %s failed: %s", self.provider.pk, error)
            return provider_problem(request, self.provider, _unavailable(self.provider), 503)

    def login_failure(self):
        refused = getattr(self.request, "nollvision_refused", "")
        return provider_problem(
            self.request,
            self.provider,
            refused or _("Logging in through your organisation did not work."),
            status=403,
        )

    def login_success(self):
        from . import oidc

        response = super().login_success()
        session = self.request.session
        session[oidc.PROVIDER_KEY] = self.provider.pk
        session[oidc.LOGOUT_KEY] = self.configuration.end_session_endpoint
        session[oidc.MFA_KEY] = oidc.used_several_factors(
            getattr(self.request, "nollvision_id_claims", {}), self.provider
        )
        session.pop(oidc.PENDING_KEY, None)
        return response


class LogoutView(auth_views.LogoutView):
    """Ends the platform's session and, after a login through a provider that offers it, the
    provider's session too (its end_session_endpoint brings the person back here)."""

    def post(self, request, *args, **kwargs):
        from .oidc import end_session_url

        provider_logout = end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if not provider_logout:
            return response
        return _onward(
            request,
            provider_logout,
            _("You are logged out of Nollvision"),
            _("Log out of your organisation's login too"),
        )
