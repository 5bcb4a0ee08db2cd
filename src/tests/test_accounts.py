"""Invitations, password reset, guessing protection, two-factor login for coordinators."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from nollvision.accounts.models import Invitation, Membership, User

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def link_in(message) -> str:
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def test_coordinator_invites_and_the_person_joins(client, world):
    client.force_login(world.coordinator)
    organisation = world.response_a.organisation
    reply = client.post(
        reverse("backoffice:members"),
        {"email": "Ny.Person@Example.invalid", "organisation": organisation.pk, "role": "reporter"},
    )
    assert reply.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["ny.person@example.invalid"]
    link = link_in(message)
    invitation = Invitation.objects.get()
    assert link.split("/")[-2] not in invitation.token_hash  # only a hash is stored
    client.logout()
    assert client.get(link).status_code == 200
    reply = client.post(
        link,
        {
            "full_name": "Ny Person",
            "password1": "ett-långt-lösenord-99",
            "password2": "ett-långt-lösenord-99",
        },
    )
    assert reply.status_code == 302
    user = User.objects.get(username="ny.person@example.invalid")
    assert Membership.objects.get(user=user).organisation == organisation
    assert client.get(reverse("backoffice:home")).wsgi_request.user == user
    client.logout()
    assert client.get(link).status_code == 404  # used once


def test_weak_password_is_refused_on_invitation(client, world):
    client.force_login(world.coordinator)
    client.post(
        reverse("backoffice:members"),
        {
            "email": "svag@example.invalid",
            "organisation": world.response_a.organisation.pk,
            "role": "reporter",
        },
    )
    client.logout()
    link = link_in(mail.outbox[0])
    reply = client.post(link, {"password1": "12345", "password2": "12345"})
    assert reply.status_code == 200
    assert not User.objects.filter(username="svag@example.invalid").exists()


def test_password_reset_sends_a_link(client, world):
    reply = client.post(reverse("accounts:password_reset"), {"email": "reporter_a@example.invalid"})
    assert reply.status_code == 302
    (message,) = mail.outbox
    link = link_in(message)
    reply = client.get(link, follow=True)
    assert reply.status_code == 200
    assert 'name="new_password1"' in reply.content.decode()


@override_settings(AXES_ENABLED=True)
def test_login_is_locked_after_five_wrong_passwords(client, world):
    url = reverse("accounts:login")
    for _attempt in range(5):
        client.post(url, {"username": "reporter_a", "password": "wrong"})
    reply = client.post(url, {"username": "reporter_a", "password": "a-long-test-password"})
    assert reply.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(NOLLVISION_REQUIRE_TWO_FACTOR=True)
def test_coordinator_must_set_up_and_use_a_second_factor(client, world):
    client.force_login(world.coordinator)
    reply = client.get(reverse("backoffice:home"))
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("accounts:two-factor-setup"))
    page = client.get(reply["Location"])
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.coordinator)
    token = f"{totp(device.bin_key):06d}"
    reply = client.post(reverse("accounts:two-factor-setup"), {"token": token, "next": "/arbete/"})
    assert reply.status_code == 302
    assert client.get(reverse("backoffice:home")).status_code == 200
    client.logout()
    client.force_login(world.coordinator)
    reply = client.get(reverse("backoffice:home"))
    assert reply["Location"].startswith(reverse("accounts:two-factor-verify"))
    reply = client.post(reverse("accounts:two-factor-verify"), {"token": "000000"})
    assert reply.status_code == 200


@override_settings(NOLLVISION_REQUIRE_TWO_FACTOR=True)
def test_reporters_log_in_without_a_second_factor(client, world):
    client.force_login(world.reporter_a)
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_session_expires_after_inactivity(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 1800
    client.force_login(world.reporter_a)
    client.get(reverse("backoffice:home"))
    assert client.session.get_expiry_age() <= 1800


def test_password_reset_is_rate_limited_per_address_and_per_client(client, world):
    """Three links an hour for one address (the page says the same after that, and no mail
    goes), ten requests an hour from one client (then a message and 429)."""
    from django.core.cache import cache

    cache.clear()
    url = reverse("accounts:password_reset")
    for _attempt in range(5):
        reply = client.post(url, {"email": "reporter_a@example.invalid"})
        assert reply.status_code == 302
    assert len(mail.outbox) == 3
    for number in range(5):
        reply = client.post(url, {"email": f"okand{number}@example.invalid"})
        assert reply.status_code == 302
    reply = client.post(url, {"email": "approver_a@example.invalid"})
    assert reply.status_code == 429
    assert "Försök igen om en timme" in reply.content.decode()
    assert len(mail.outbox) == 3
    cache.clear()
