"""Logging in through an organisation's own OpenID Connect provider, with mozilla-django-oidc.

The library reads its settings through `get_settings`; here they come from the provider the
person's e-mail address chose (`IdentityProvider`), so every organisation has its own issuer,
client and secret. The library does the authorisation code flow (state, nonce, PKCE), fetches
the tokens and checks the ID token's signature against the provider's keys; this module only
decides which account the verified claims belong to (`provider_account`), and never gives a
role: roles come by invitation alone."""

from dataclasses import dataclass

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from .crypto import decrypt
from .middleware import PROVIDER_MFA_KEY
from .models import IdentityProvider, ProviderLink, User
from .selectors import account_for_address

# Session keys: the providers of logins under way (state -> provider id), the provider of this
# session's login, its logout endpoint, and whether it said the person used a second factor.
PENDING_KEY = "nollvision_oidc_pending"
PROVIDER_KEY = "nollvision_oidc_provider"
LOGOUT_KEY = "nollvision_oidc_logout"
MFA_KEY = PROVIDER_MFA_KEY

# How long the platform waits for a provider before it says the provider does not answer.
TIMEOUT_SECONDS = 8

# RFC 8176 authentication method references that are not a factor of their own.
NOT_A_FACTOR = {"mca", "user", "rba"}


class ProviderUnavailable(Exception):
    """The provider does not answer, or answers with something that is no OpenID Connect."""


@dataclass(frozen=True)
class Configuration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


def provider_configuration(provider: IdentityProvider) -> Configuration:
    """The provider's endpoints: those staff gave, else its discovery document. Reading the
    document (or, with every endpoint given, the key set) is also the check that the provider
    answers, so a provider that is down is found before the person is sent there."""
    given = Configuration(
        issuer=provider.issuer,
        authorization_endpoint=provider.authorization_endpoint,
        token_endpoint=provider.token_endpoint,
        userinfo_endpoint=provider.userinfo_endpoint,
        jwks_uri=provider.jwks_uri,
        end_session_endpoint=provider.end_session_endpoint,
    )
    url = (
        provider.jwks_uri
        if provider.endpoints_given
        else provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    )
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(str(error)) from error
    if provider.endpoints_given:
        return given
    try:
        found = Configuration(
            issuer=document["issuer"],
            authorization_endpoint=given.authorization_endpoint
            or document["authorization_endpoint"],
            token_endpoint=given.token_endpoint or document["token_endpoint"],
            userinfo_endpoint=given.userinfo_endpoint or document.get("userinfo_endpoint", ""),
            jwks_uri=given.jwks_uri or document["jwks_uri"],
            end_session_endpoint=given.end_session_endpoint
            or document.get("end_session_endpoint", ""),
        )
    except (KeyError, TypeError) as error:
        raise ProviderUnavailable(f"discovery document lacks {error}") from error
    if found.issuer.rstrip("/") != provider.issuer.rstrip("/"):
        raise ProviderUnavailable(f"issuer {found.issuer!r} is not {provider.issuer!r}")
    return found


def provider_settings(provider: IdentityProvider, configuration: Configuration) -> dict:
    """mozilla-django-oidc's settings for one provider."""
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": configuration.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": configuration.token_endpoint,
        "OIDC_OP_USER_ENDPOINT": configuration.userinfo_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": configuration.jwks_uri,
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": decrypt(provider.client_secret_encrypted),
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc-callback",
        "OIDC_CREATE_USER": False,
    }


class ProviderSettingsMixin:
    """`get_settings` from the provider of this login, then from Django's settings."""

    oidc_settings: dict = {}

    def get_settings(self, attr, *args):
        if attr in self.oidc_settings:
            return self.oidc_settings[attr]
        return import_from_settings(attr, *args)


def used_several_factors(claims: dict, provider: IdentityProvider) -> bool:
    """Whether the ID token says the person used more than one factor: `amr` holds "mfa", or
    two methods that are factors (RFC 8176), or `acr` is one of the values staff listed as
    meaning a second factor for this provider."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    methods = {str(m) for m in amr}
    if "mfa" in methods or len(methods - NOT_A_FACTOR) >= 2:
        return True
    acr = str(claims.get("acr") or "")
    return bool(acr) and acr in provider.mfa_acr_list


class ProviderLoginRefused(Exception):
    """The provider vouched for the person, but no account may be given; the message says why."""


@transaction.atomic
def provider_account(*, provider: IdentityProvider, claims: dict) -> User:
    """The account the provider's claims belong to. A subject linked before finds its account;
    otherwise the provider's verified e-mail address (of one of its domains) links the account
    of that address once, or makes an account without a role. Never a role: roles come by
    invitation (`invitation_accept_as`), and an account without one sees only its work page."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise ProviderLoginRefused(_("The provider did not say who you are."))
    link = (
        ProviderLink.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if link is None:
        email = str(claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is not True:
            raise ProviderLoginRefused(
                _("The provider did not give a verified e-mail address for your account.")
            )
        if email.rpartition("@")[2] not in provider.domain_list:
            raise ProviderLoginRefused(
                _("The provider gave the address %(email)s, which is not of its organisation.")
                % {"email": email}
            )
        user = account_for_address(email)
        if user is None:
            user = User(username=email, email=email)
            user.set_unusable_password()
            user.save()
        elif ProviderLink.objects.filter(provider=provider, user=user).exists():
            raise ProviderLoginRefused(
                _(
                    "The account of %(email)s is already linked to another identity at this "
                    "provider. Ask the county administrative board to remove the old link."
                )
                % {"email": email}
            )
        try:
            with transaction.atomic():
                link = ProviderLink.objects.create(provider=provider, user=user, subject=subject)
        except IntegrityError as error:  # the same subject linked at the same moment
            raise ProviderLoginRefused(_("Try logging in again.")) from error
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at"])
    return link.user


class ProviderBackend(ProviderSettingsMixin, OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for the provider the login view put on the request
    (`request.nollvision_provider`); it does nothing for password logins."""

    def __init__(self, *args, **kwargs):
        ModelBackend.__init__(self, *args, **kwargs)
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "nollvision_provider", None)
        configuration = getattr(request, "nollvision_configuration", None)
        if provider is None or configuration is None or "nonce" not in kwargs:
            return None
        self.provider = provider
        self.issuer = configuration.issuer
        self.oidc_settings = provider_settings(provider, configuration)
        for name in (
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_RP_CLIENT_ID",
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_RP_SIGN_ALGO",
        ):
            setattr(self, name, self.oidc_settings[name])
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is not None:
            # The library checks the signature and the nonce, not whom the token is for.
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            issuer = str(payload.get("iss") or "").rstrip("/")
            if self.OIDC_RP_CLIENT_ID not in audiences or issuer != self.issuer.rstrip("/"):
                raise SuspiciousOperation("ID token for another client or issuer")
            # The ID token itself (not the user info) says how the person logged in.
            self.request.nollvision_id_claims = payload
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The user info endpoint's claims over the ID token's, or the ID token's alone."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) == str(payload.get("sub")):
                claims.update(info)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return provider_account(provider=self.provider, claims=claims)
        except ProviderLoginRefused as refused:
            self.request.nollvision_refused = str(refused)
            return None


def end_session_url(request) -> str:
    """Where to send a person who logs out after logging in through a provider that offers
    logout (its end_session_endpoint): "" otherwise. Read before the session ends."""
    endpoint = request.session.get(LOGOUT_KEY) or ""
    token = request.session.get("oidc_id_token") or ""
    provider = IdentityProvider.objects.filter(pk=request.session.get(PROVIDER_KEY)).first()
    if not endpoint or provider is None:
        return ""
    from urllib.parse import urlencode

    from django.shortcuts import resolve_url
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # one address to register
        home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    params = {"client_id": provider.client_id, "post_logout_redirect_uri": home}
    if token:
        params["id_token_hint"] = token
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode(params)
