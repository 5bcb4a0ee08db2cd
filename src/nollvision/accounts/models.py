"""Users, and the organisations (public bodies) they work for."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nollvision.core.collation import swedish
from nollvision.core.fields import LineField
from nollvision.core.models import TimeStampedModel
from nollvision.core.translated import TranslatedField
from nollvision.core.validators import validate_no_personal_numbers

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$",
    _("Use lower-case letters a-z, digits, hyphens and underscores."),
)


class User(AbstractUser):
    """A person who logs in. Holds no data beyond what logging in and contact need."""

    # The person's own name, shown beside their comments: guarded like every text.
    first_name = LineField(_("first name"), max_length=150, blank=True)
    last_name = LineField(_("last name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        """The person's name where they gave one (comments, history, members), else the user
        name."""
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """The permissions of county work (each app's rules.py) are given by the rules alone, to
        a superuser too: the platform's administrators set counties up and are no county's
        coordinator (docs/architecture.md), so no page of a county's work opens for them that
        its links would then refuse. Django's other permissions (the admin's) stay theirs."""
        import rules

        if (
            self.is_active
            and self.is_superuser
            and rules.perm_exists(perm)
            and (obj is not None or not _is_model_permission(perm))
        ):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


def _is_model_permission(perm: str) -> bool:
    """Whether `perm` is one of Django's own model permissions ("followup.view_response"),
    which the admin asks for without an object."""
    from django.apps import apps

    app_label, _dot, codename = perm.partition(".")
    action, _sep, model_name = codename.partition("_")
    if action not in ("add", "change", "delete", "view"):
        return False
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


class Region(models.Model):
    """A county (län) or the nation, identified by its official code (SCB: '22', nation '00')."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = LineField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = [swedish("name")]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.Model):
    """A kind of public body: municipality, police, region, prosecution ..."""

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    name = TranslatedField(_("name"), multiline=False)

    class Meta:
        verbose_name = _("organisation kind")
        verbose_name_plural = _("organisation kinds")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.name)


class Organisation(TimeStampedModel):
    """A public body (or other actor) that works under a plan."""

    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    name = LineField(_("name"), max_length=200)
    kind = models.ForeignKey(
        OrganisationKind,
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code has four digits."))],
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = [swedish("name")]

    def __str__(self) -> str:
        return self.name

    @property
    def name_with_county(self) -> str:
        """The name and its county, as every role line and e-mail names a body: each county has
        a "Polismyndigheten". Read with the region selected (`select_related`)."""
        return f"{self.name} ({self.region.name})" if self.region_id else self.name


class OrganisationForeignKey(models.ForeignKey):
    """A foreign key to an organisation. Its form field (in every form and the admin) names the
    county of names that repeat among the choices: each county has a "Polismyndigheten"."""

    def formfield(self, **kwargs):
        from .fields import OrganisationChoiceField

        return super().formfield(**{"form_class": OrganisationChoiceField, **kwargs})


class OrganisationManyToManyField(models.ManyToManyField):
    """Many organisations, chosen with the same county-naming labels."""

    def formfield(self, **kwargs):
        from .fields import OrganisationMultipleChoiceField

        return super().formfield(**{"form_class": OrganisationMultipleChoiceField, **kwargs})


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    REPORTER = "reporter", _("reporter")
    APPROVER = "approver", _("approver")
    READER = "reader", _("reader")


class Membership(TimeStampedModel):
    """A user's role in one organisation. A coordinator works at the county administrative board."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(TimeStampedModel):
    """A one-time link, sent by e-mail, with which a person joins a body: a new address chooses
    a password, an address that has an account logs in with it. Sending again replaces the link;
    a withdrawn invitation stays as history, its link dead."""

    email = models.EmailField(_("e-mail address"), validators=[validate_no_personal_numbers])
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn_not_both",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at < timezone.now()


class IdentityProvider(TimeStampedModel):
    """An organisation's own OpenID Connect provider, with which its people log in. Staff keep
    it; the client secret is stored encrypted (`accounts.crypto`) and never shown again. The
    provider answers for the e-mail domains listed: the login page sends an address of one of
    them there. Logging in through it never gives a role (`accounts.oidc`)."""

    organisation = OrganisationForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="identity_providers",
    )
    issuer = models.URLField(
        _("issuer"),
        max_length=500,
        help_text=_(
            "The provider's issuer address; its settings are read from "
            "/.well-known/openid-configuration under it unless the endpoints are given."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    client_secret_encrypted = models.TextField(editable=False, blank=True)
    domains = LineField(
        _("e-mail domains"),
        help_text=_("The domains of the addresses this provider answers for, separated by spaces."),
    )
    contact = LineField(
        _("whom to contact"),
        blank=True,
        help_text=_(
            "Who helps when logging in through this provider does not work, for example the "
            "organisation's IT support and its phone number."
        ),
    )
    authorization_endpoint = models.URLField(
        _("authorisation endpoint"), max_length=500, blank=True
    )
    token_endpoint = models.URLField(_("token endpoint"), max_length=500, blank=True)
    userinfo_endpoint = models.URLField(_("user info endpoint"), max_length=500, blank=True)
    jwks_uri = models.URLField(_("key set address (JWKS)"), max_length=500, blank=True)
    end_session_endpoint = models.URLField(_("logout endpoint"), max_length=500, blank=True)
    mfa_acr_values = LineField(
        _("acr values that mean a second factor"),
        blank=True,
        help_text=_(
            "Authentication context classes (acr) of this provider that include a second "
            "factor, separated by spaces. An amr claim that names several factors is enough."
        ),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["organisation__name", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.issuer}"

    @property
    def domain_list(self) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in self.domains.replace(",", " ").split() if d]

    @property
    def mfa_acr_list(self) -> list[str]:
        return self.mfa_acr_values.split()

    @property
    def endpoints_given(self) -> bool:
        """Whether every endpoint is given, so that no discovery document is read."""
        return all((self.authorization_endpoint, self.token_endpoint, self.jwks_uri))

    def clean(self):
        from django.core.exceptions import ValidationError

        domains = self.domain_list
        domain = RegexValidator(
            r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
            _("Write e-mail domains such as sundsvall.se, separated by spaces."),
        )
        for name in domains:
            domain(name)
        if not domains:
            raise ValidationError({"domains": _("Give at least one e-mail domain.")})
        taken = [
            name
            for other in IdentityProvider.objects.filter(active=True).exclude(pk=self.pk)
            for name in other.domain_list
            if name in domains
        ]
        if self.active and taken:
            raise ValidationError(
                {
                    "domains": _("Another provider already answers for %(domains)s.")
                    % {"domains": ", ".join(sorted(set(taken)))}
                }
            )
        self.domains = " ".join(domains)


class ProviderLink(models.Model):
    """An account's link to its subject at an identity provider, made once by the provider's
    verified e-mail address; later logins find the account by the subject alone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_links")
    provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    subject = models.CharField(_("subject at the provider"), max_length=255)
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider link")
        verbose_name_plural = _("provider links")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="provider_link_one_account_per_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="provider_link_one_subject_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.provider.organisation}"
