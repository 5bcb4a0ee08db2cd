from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import has_active_role, needs_two_factor

EXEMPT_PREFIXES = ("/static/", "/i18n/")
# Set at a login through an identity provider whose ID token names several factors (oidc.py).
PROVIDER_MFA_KEY = "nollvision_oidc_mfa"


class TwoFactorRequiredMiddleware:
    """Coordinators and administrators must have passed a second factor (when required)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "NOLLVISION_REQUIRE_TWO_FACTOR", True) and self._blocked(request):
            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = "accounts:two-factor-verify" if has_device else "accounts:two-factor-setup"
            return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)

    def _blocked(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified() or not needs_two_factor(user):
            return False
        if request.session.get(PROVIDER_MFA_KEY):
            # The organisation's identity provider said the person used a second factor.
            return False
        path = request.path
        exempt = [
            reverse("accounts:two-factor-setup"),
            reverse("accounts:two-factor-verify"),
            reverse("accounts:logout"),
        ]
        return not (path.startswith(EXEMPT_PREFIXES) or any(path == p for p in exempt))


# The back office's namespaces: work pages and their downloads, the admin, the account pages.
PRIVATE_NAMESPACES = {"backoffice", "admin", "accounts"}
# Pages of the back office a person without a role may still open: their work page, which says
# they have no role and whom to ask.
WITHOUT_ROLE = {"backoffice:home"}


class BackOfficeMiddleware:
    """Two rules of every back-office response, once: it is never stored by a browser or a
    proxy (`Cache-Control: private, no-store`), and it is answered only to a person with an
    active role (accounts.selectors.has_active_role); others get 403, the anonymous the login
    page from the view itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace in PRIVATE_NAMESPACES:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match.namespace == "backoffice"
            and request.user.is_authenticated
            and match.view_name not in WITHOUT_ROLE
            and not has_active_role(request.user)
        ):
            raise PermissionDenied
        return
