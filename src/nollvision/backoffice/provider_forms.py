"""The form with which staff connect an organisation's identity provider."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.models import IdentityProvider


class IdentityProviderForm(forms.ModelForm):
    """The client secret is write-only: never rendered, not even after an error; left empty
    when editing, the stored one stays."""

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

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        stored = bool(self.instance.pk and self.instance.client_secret_encrypted)
        self.fields["client_secret"].required = not stored
        self.fields["client_secret"].help_text = (
            _("A secret is stored. It is never shown; write a new one only to replace it.")
            if stored
            else _("Stored encrypted and never shown again.")
        )
