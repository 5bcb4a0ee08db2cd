from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import needs_two_factor

EXEMPT_PREFIXES = ("/static/", "/i18n/")


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
        path = request.path
        exempt = [
            reverse("accounts:two-factor-setup"),
            reverse("accounts:two-factor-verify"),
            reverse("accounts:logout"),
        ]
        return not (path.startswith(EXEMPT_PREFIXES) or any(path == p for p in exempt))
