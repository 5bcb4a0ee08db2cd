"""Writes about users: invitations and memberships."""

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nollvision.core.mail_county import about_county

from .models import IdentityProvider, Invitation, Membership, Organisation, User
from .selectors import account_for_address

INVITATION_DAYS = 14


class AccountError(Exception):
    """A use case on accounts was refused; the message says why."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, email: str, organisation: Organisation, role: str, invited_by: User, base_url: str
) -> Invitation:
    """Create an invitation and e-mail its one-time link. Only the hash of the token is kept."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email.strip().lower(),
        organisation=organisation,
        role=role,
        token_hash=_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _send(invitation, token, base_url)
    return invitation


def _send(invitation: Invitation, token: str, base_url: str) -> None:
    """The invitation's e-mail, in the site's language: the role, the body and its county, the
    link, what to do with it (choose a password, or log in to an account the address has) and
    the platform's address."""
    site = base_url.rstrip("/") + "/"
    with translation.override(settings.LANGUAGE_CODE):  # whatever page the inviter was on
        link = site.rstrip("/") + reverse("accounts:invitation", args=[token])
    region = invitation.organisation.region_id
    with translation.override(settings.LANGUAGE_CODE), about_county(region):
        body = render_to_string(
            "accounts/invitation_email.txt",
            {
                "invitation": invitation,
                "link": link,
                "days": INVITATION_DAYS,
                "account": account_for_address(invitation.email),
                "site": site,
            },
        )
        send_mail(
            _("Invitation to Nollvision"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )


def _open(token: str):
    """The invitations open under `token`: not used, not withdrawn, not expired."""
    return Invitation.objects.select_related("organisation__region").filter(
        token_hash=_hash(token),
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gte=timezone.now(),
    )


def invitation_get(token: str) -> Invitation | None:
    """The open invitation for `token`, or None when unknown, used, withdrawn or expired."""
    return _open(token).first()


def _open_for_update(token: str) -> Invitation:
    """The open invitation for `token`, locked until the transaction ends."""
    invitation = _open(token).select_for_update(of=("self",)).first()
    if invitation is None:
        raise AccountError(_("This invitation link is used, expired, withdrawn or unknown."))
    return invitation


def is_address_of(user, email: str) -> bool:
    """Whether `email` is the signed-in user's address (their e-mail or their user name)."""
    if not user.is_authenticated:
        return False
    address = email.strip().lower()
    return address in {(user.email or "").strip().lower(), user.username.strip().lower()}


class InvitationStep(StrEnum):
    """What the invitation page asks of the person who opens it."""

    NEW_ACCOUNT = "new-account"  # nobody has the address: choose a name and a password
    LOG_IN = "log-in"  # the address has an account: log in with it first
    ACCEPT = "accept"  # logged in with the invitation's address: take the role
    OTHER_PERSON = "other-person"  # logged in as someone else: refused


def invitation_step(*, invitation: Invitation, user) -> InvitationStep:
    if user.is_authenticated:
        return (
            InvitationStep.ACCEPT
            if is_address_of(user, invitation.email)
            else InvitationStep.OTHER_PERSON
        )
    if account_for_address(invitation.email) is not None:
        return InvitationStep.LOG_IN
    return InvitationStep.NEW_ACCOUNT


@transaction.atomic
def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    """Accept an invitation to a new address: make its account with the name and password given
    and the role. An address that has an account is refused: its owner logs in and accepts with
    `invitation_accept_as`, so an invitation never changes anyone's password or name."""
    invitation = _open_for_update(token)
    if account_for_address(invitation.email) is not None:
        raise AccountError(
            _(
                "There is already an account with this address. Log in with it, and open the "
                "link again to accept the invitation."
            )
        )
    user = User(username=invitation.email, email=invitation.email)
    first, _sep, last = full_name.strip().partition(" ")
    user.first_name, user.last_name = first, last
    for name in ("first_name", "last_name"):  # the guards every text has
        try:
            User._meta.get_field(name).clean(getattr(user, name), user)
        except ValidationError as error:
            raise AccountError(" ".join(error.messages)) from error
    validate_password(password, user)
    user.set_password(password)
    user.save()
    _join(invitation, user)
    return user


@transaction.atomic
def invitation_accept_as(*, token: str, user: User) -> Membership:
    """The logged-in person takes the invitation's role on their own account, if the invitation
    was sent to their address. Their password and name stay as they are."""
    invitation = _open_for_update(token)
    if not is_address_of(user, invitation.email):
        raise AccountError(
            _(
                "This invitation was sent to %(email)s, and you are logged in as %(user)s. "
                "The role was not given. Log out, open the link again and log in with the "
                "account of %(email)s."
            )
            % {"email": invitation.email, "user": user.username}
        )
    return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, _new = Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    user.__dict__.pop("_nollvision_memberships", None)  # selectors.memberships_of's cache
    return membership


def _still_open(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise AccountError(_("This invitation has already been accepted."))
    if locked.withdrawn_at is not None:
        raise AccountError(_("This invitation has been withdrawn."))
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, base_url: str) -> Invitation:
    """Send an invitation not yet accepted again, expired or not: a new link valid for
    INVITATION_DAYS days; the old link stops working."""
    locked = _still_open(invitation)
    token = secrets.token_urlsafe(32)
    locked.token_hash = _hash(token)
    locked.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
    locked.save(update_fields=["token_hash", "expires_at", "updated_at"])
    locked.organisation = invitation.organisation  # loaded with its county for the e-mail
    _send(locked, token, base_url)
    return locked


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation not yet accepted: its link stops working; the row stays as
    history."""
    locked = _still_open(invitation)
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at", "updated_at"])
    return locked


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take a person's role in an organisation away; their earlier work stays in the history."""
    if membership.user_id == by.pk:
        raise AccountError(_("You cannot remove your own role."))
    membership.delete()


@transaction.atomic
def identity_provider_save(
    *, provider: IdentityProvider, client_secret: str = ""
) -> IdentityProvider:
    """Save an organisation's identity provider. A client secret given replaces the stored one
    (kept encrypted, `accounts.crypto`, and never shown again); none given keeps it."""
    from .crypto import encrypt

    if client_secret:
        provider.client_secret_encrypted = encrypt(client_secret)
    if not provider.client_secret_encrypted:
        raise ValidationError({"client_secret": _("Give the client secret.")})
    provider.full_clean()
    provider.save()
    return provider
