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
