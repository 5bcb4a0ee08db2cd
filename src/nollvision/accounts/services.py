"""Writes about users: invitations and memberships."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation, User

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
    link = base_url.rstrip("/") + reverse("accounts:invitation", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "accounts/invitation_email.txt",
            {"invitation": invitation, "link": link, "days": INVITATION_DAYS},
        )
        send_mail(
            _("Invitation to Nollvision"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    return invitation


def invitation_get(token: str) -> Invitation | None:
    """The open invitation for `token`, or None when unknown, used or expired."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=_hash(token)).first()
    )
    if invitation is None or invitation.accepted_at or invitation.expires_at < timezone.now():
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    invitation = invitation_get(token)
    if invitation is None:
        raise AccountError(_("This invitation link is used, expired or unknown."))
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    user = User.objects.filter(username=invitation.email).first()
    if user is None:
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
    Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    return user


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take a person's role in an organisation away; their earlier work stays in the history."""
    if membership.user_id == by.pk:
        raise AccountError(_("You cannot remove your own role."))
    membership.delete()
