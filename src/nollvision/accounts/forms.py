from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from nollvision.core.validators import guard_line

from .models import IdentityProvider


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, required=False, validators=[guard_line]
    )
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OrganisationLoginForm(forms.Form):
    """The login page's other way in: the address chooses the organisation's own provider."""

    email = forms.EmailField(
        label=_("Your work e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LoginForm(AuthenticationForm):
    """Logging in; the attempt before the lock (django-axes) says it is the last one."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self.request is not None:
                self._warn_if_last(error)
            raise

    def _warn_if_last(self, error) -> None:
        from axes.handlers.proxy import AxesProxyHandler

        credentials = {"username": self.cleaned_data.get("username")}
        failures = AxesProxyHandler.get_failures(self.request, credentials)
        if getattr(settings, "AXES_ENABLED", True) and failures == settings.AXES_FAILURE_LIMIT - 1:
            error.error_list.append(
                forms.ValidationError(
                    _(
                        "This was the next to last attempt: one more wrong password locks "
                        "logging in with this user name for %(minutes)d minutes. Use "
                        "“Forgotten password?” below if you are not sure."
                    )
                    % {"minutes": _cooloff_minutes()},
                    code="last_attempt",
                )
            )


def _cooloff_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    return (
        int(cooloff.total_seconds() // 60)
        if hasattr(cooloff, "total_seconds")
        else int(cooloff * 60)
    )


class IdentityProviderForm(forms.ModelForm):
    """An organisation's identity provider, on the county's page and in the admin. The client
    secret is write-only: never rendered, not even after an error; left empty when editing, the
    stored one stays."""

    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "issuer",
            "client_id",
            "client_secret",
            "domains",
            "contact",
            "mfa_acr_values",
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "end_session_endpoint",
            "active",
        ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:  # the county's page offers its own organisations only
            self.fields["organisation"].queryset = organisations
        stored = bool(self.instance.pk and self.instance.client_secret_encrypted)
        self.fields["client_secret"].required = not stored
        self.fields["client_secret"].help_text = (
            _("A secret is stored. It is never shown; write a new one only to replace it.")
            if stored
            else _("Stored encrypted and never shown again.")
        )
