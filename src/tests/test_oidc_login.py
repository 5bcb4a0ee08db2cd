"""Logging in through an organisation's own OpenID Connect provider (issue #27), against a real
provider: django-oauth-toolkit in a second process (`oidc_helpers.start_provider`), its own
database and RSA key, never a token made up by the test. The browser story: staff connect the
provider; an invited person signs in through it and takes the role; an uninvited one gets no
role; a coordinator whose provider says two factors were used is not asked for the platform's,
one whose provider used a password alone is; logging out ends the provider's session too; a
stopped provider gives a clear message naming whom to contact, and passwords still work."""

import re

import pytest
import requests
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from nollvision.accounts.models import (
    IdentityProvider,
    Membership,
    Organisation,
    ProviderLink,
    Role,
    User,
)
from nollvision.accounts.oidc import ProviderLoginRefused, provider_account, used_several_factors
from nollvision.accounts.services import invitation_create

from .conftest import axe_run, submit_and_wait
from .oidc_helpers import PASSWORD, identity_provider, linked_account, start_provider


def _no_axe_violations(page, where):
    results = axe_run(page)
    assert results.violations_count == 0, (where, results.generate_report())


def _provider_login(page, username):
    """At the test provider's own login page."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Test provider: log in")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    submit_and_wait(page, page.get_by_role("button", name="Log in at the provider"))


def _sign_in_with_organisation(page, base, email, username):
    page.context.clear_cookies()
    page.goto(base + "/en/konto/logga-in/")
    page.get_by_label("Your work e-mail address").fill(email)
    page.get_by_role("button", name="Sign in with your organisation").click()
    _provider_login(page, username)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_logging_in_through_an_organisations_provider(
    page, live_server, world, django_user_model, settings, tmp_path
):
    base = live_server.url
    provider = start_provider(
        tmp_path,
        platform=base,
        users=[
            {"username": "anna", "email": "anna@sundsvall.test"},
            {"username": "okand", "email": "okand@sundsvall.test"},
            {"username": "mfa-karin", "email": "karin@lansstyrelsen.test"},
            {"username": "lena", "email": "lena@lansstyrelsen.test"},
        ],
    )
    try:
        _story(page, base, provider, world, django_user_model, settings)
    finally:
        provider.stop()


def _story(page, base, provider, world, django_user_model, settings):
    sundsvall = world.response_a.organisation
    board = world.coordinator.memberships.get().organisation

    # Staff connect Sundsvall's provider in the browser; the secret is never shown again.
    django_user_model.objects.create_user(
        username="drift", password="a-long-test-password", is_staff=True
    )
    page.goto(base + "/en/konto/logga-in/")
    expect(page.get_by_role("button", name="Sign in with your organisation")).to_have_count(0)
    page.get_by_label("Username").fill("drift")
    page.get_by_label("Password").fill("a-long-test-password")
    submit_and_wait(page, page.get_by_role("button", name="Log in"))
    page.goto(base + "/en/arbete/lan/22/")
    page.get_by_role("link", name="Connect an organisation's own login (OpenID Connect)").click()
    expect(page.get_by_text(f"{base}/konto/oidc/klar/")).to_be_visible()
    page.get_by_label("Organisation").select_option(label="Sundsvalls kommun")
    page.get_by_label("Issuer").fill(provider.issuer)
    page.get_by_label("Client ID").fill("nollvision-test")
    page.get_by_label("Client secret").fill("provider-client-secret-for-tests")
    page.get_by_label("E-mail domains").fill("sundsvall.test")
    page.get_by_label("Whom to contact").fill("Sundsvalls IT-support, 060-19 10 00")
    submit_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("The login of Sundsvalls kommun is saved.")).to_be_visible()
    page.get_by_role("link", name="Sundsvalls kommun").click()
    expect(page.get_by_label("Client secret")).to_have_value("")
    assert "provider-client-secret-for-tests" not in page.content()
    _no_axe_violations(page, "provider form")
    stored = IdentityProvider.objects.get(organisation=sundsvall)
    assert "provider-client-secret-for-tests" not in stored.client_secret_encrypted
    identity_provider(
        board, issuer=provider.issuer, domains="lansstyrelsen.test", contact="Länsstyrelsens IT"
    )

    # An invited person without an account signs in through the provider from the invitation
    # and takes the role with one button: the login itself gave none.
    invitation_create(
        email="anna@sundsvall.test",
        organisation=sundsvall,
        role=Role.REPORTER,
        invited_by=world.coordinator,
        base_url=base,
    )
    link = re.search(r"http\S+/konto/inbjudan/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(link.replace(base, base + "/en"))
    _no_axe_violations(page, "invitation with a provider")
    page.get_by_role("button", name="Sign in with your organisation").click()
    _provider_login(page, "anna")
    anna = User.objects.get(email="anna@sundsvall.test")
    assert not Membership.objects.filter(user=anna).exists()
    assert not anna.has_usable_password()
    submit_and_wait(page, page.get_by_role("button", name="Accept the role"))
    expect(page.get_by_text("Reporter, Sundsvalls kommun (Västernorrlands län)")).to_be_visible()
    assert list(Membership.objects.filter(user=anna).values_list("role", flat=True)) == ["reporter"]
    assert list(ProviderLink.objects.filter(user=anna).values_list("provider", flat=True)) == [
        stored.pk
    ]

    # Logging out ends the platform's session and the provider's.
    page.goto(provider.url + "/whoami/")
    expect(page.locator("body")).to_have_text("anna")
    page.goto(base + "/en/arbete/")
    submit_and_wait(page, page.get_by_role("button", name="Log out"))
    expect(page).to_have_url(base + "/")  # through the provider's logout and back
    page.goto(provider.url + "/whoami/")
    expect(page.locator("body")).to_have_text("nobody")
    page.goto(base + "/en/arbete/")
    expect(page).to_have_url(re.compile(r"/en/konto/logga-in/"))

    # Anna again: the link is found by the provider's subject, no second account is made.
    _sign_in_with_organisation(page, base, "anna@sundsvall.test", "anna")
    expect(page.get_by_text("Reporter, Sundsvalls kommun (Västernorrlands län)")).to_be_visible()
    assert User.objects.filter(email="anna@sundsvall.test").count() == 1

    # An address nobody invited: an account without a role, the same page as today.
    page.context.clear_cookies()
    page.goto(base + "/en/konto/logga-in/")
    _no_axe_violations(page, "login page with providers")
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size(desktop)
    page.get_by_label("Your work e-mail address").fill("okand@sundsvall.test")
    page.get_by_role("button", name="Sign in with your organisation").click()
    _provider_login(page, "okand")
    expect(page.get_by_text("You are not a member of any organisation yet.")).to_be_visible()
    assert not Membership.objects.filter(user__email="okand@sundsvall.test").exists()

    # The second factor: the platform asks for its own only when the provider's ID token does
    # not say that more than one factor was used.
    settings.NOLLVISION_REQUIRE_TWO_FACTOR = True
    world.coordinator.email = "karin@lansstyrelsen.test"
    world.coordinator.save()
    lena = django_user_model.objects.create_user(
        username="lena@lansstyrelsen.test", email="lena@lansstyrelsen.test"
    )
    Membership.objects.create(user=lena, organisation=board, role=Role.COORDINATOR)
    _sign_in_with_organisation(page, base, "karin@lansstyrelsen.test", "mfa-karin")
    expect(page).to_have_url(base + "/en/arbete/")
    expect(page.get_by_text("Coordinator, Länsstyrelsen Västernorrland")).to_be_visible()
    assert ProviderLink.objects.filter(user=world.coordinator).exists()
    _sign_in_with_organisation(page, base, "lena@lansstyrelsen.test", "lena")
    expect(page).to_have_url(re.compile(r"/konto/tvastegs/"))
    page.goto(base + "/en/arbete/")
    expect(page).to_have_url(re.compile(r"/konto/tvastegs/"))
    settings.NOLLVISION_REQUIRE_TWO_FACTOR = False

    # The provider stops: a clear message in the page's language, whom to contact, and the
    # password login still open.
    provider.stop()
    page.context.clear_cookies()
    page.goto(base + "/en/konto/logga-in/")
    page.get_by_label("Your work e-mail address").fill("anna@sundsvall.test")
    submit_and_wait(page, page.get_by_role("button", name="Sign in with your organisation"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The login service of Sundsvalls kommun does not answer")
    expect(
        page.get_by_text("For the login of Sundsvalls kommun: Sundsvalls IT-support")
    ).to_be_visible()
    expect(
        page.get_by_text("the county administrative board, Länsstyrelsen Västernorrland")
    ).to_be_visible()
    _no_axe_violations(page, "provider down")
    page.get_by_role("link", name="Log in with a password").click()
    page.get_by_label("Username").fill("reporter_a")
    page.get_by_label("Password").fill("a-long-test-password")
    submit_and_wait(page, page.get_by_role("button", name="Log in"))
    expect(page).to_have_url(base + "/en/arbete/")
    with pytest.raises(requests.RequestException):
        requests.get(provider.url + "/whoami/", timeout=2)


# The rules without a browser: which claims link which account, what counts as two factors.


def _provider(world, **fields):
    return identity_provider(
        world.response_a.organisation,
        issuer="https://login.sundsvall.example/",
        domains="sundsvall.test",
        **fields,
    )


@pytest.mark.parametrize(
    ("claims", "several"),
    [
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["mfa"]}, True),
        ({"amr": ["hwk", "pin"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", "mca"]}, False),
        ({"amr": "pwd"}, False),
        ({}, False),
        ({"acr": "https://id.example/loa3"}, True),
        ({"acr": "https://id.example/loa2"}, False),
    ],
)
def test_used_several_factors_reads_amr_and_the_providers_acr_values(claims, several):
    provider = IdentityProvider(mfa_acr_values="https://id.example/loa3")
    assert used_several_factors(claims, provider) is several


@pytest.mark.django_db
def test_provider_account_links_once_by_verified_address_then_by_subject(world):
    provider = _provider(world)
    claims = {"sub": "s-1", "email": "reporter_a@sundsvall.test", "email_verified": True}
    world.reporter_a.email = "reporter_a@sundsvall.test"
    world.reporter_a.save()
    assert provider_account(provider=provider, claims=claims) == world.reporter_a
    # Later logins match on the subject, whatever address the provider gives now.
    moved = {"sub": "s-1", "email": "ny@sundsvall.test", "email_verified": False}
    assert provider_account(provider=provider, claims=moved) == world.reporter_a
    # Another subject with the same address does not take the account over.
    with translation.override("en"), pytest.raises(ProviderLoginRefused, match="already linked"):
        provider_account(provider=provider, claims={**claims, "sub": "s-2"})
    assert list(ProviderLink.objects.values_list("subject", flat=True)) == ["s-1"]


@pytest.mark.django_db
def test_provider_account_needs_a_verified_address_of_the_providers_domains(world):
    provider = _provider(world)
    for claims, refusal in [
        ({"sub": "x", "email": "a@sundsvall.test"}, "verified"),
        ({"sub": "x", "email": "a@sundsvall.test", "email_verified": "true"}, "verified"),
        ({"sub": "x", "email": "a@timra.test", "email_verified": True}, "not of its"),
        ({"email": "a@sundsvall.test", "email_verified": True}, "who you are"),
    ]:
        with translation.override("en"), pytest.raises(ProviderLoginRefused, match=refusal):
            provider_account(provider=provider, claims=claims)
    assert ProviderLink.objects.count() == 0
    assert not User.objects.filter(email="a@sundsvall.test").exists()


@pytest.mark.django_db
def test_provider_account_never_gives_a_role_even_to_an_invited_address(world):
    provider = _provider(world)
    invitation_create(
        email="ny@sundsvall.test",
        organisation=world.response_a.organisation,
        role=Role.APPROVER,
        invited_by=world.coordinator,
        base_url="http://testserver/",
    )
    user = provider_account(
        provider=provider,
        claims={"sub": "n", "email": "ny@sundsvall.test", "email_verified": True},
    )
    assert (user.username, user.has_usable_password()) == ("ny@sundsvall.test", False)
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_provider_linked_account_without_a_role_sees_only_its_work_page(
    client, world, django_user_model
):
    user = linked_account(
        django_user_model, "linked", Organisation.objects.get(slug="timra-kommun")
    )
    client.force_login(user)
    home = client.get("/en/arbete/")
    assert "You are not a member of any organisation yet." in home.content.decode()
    for address in (
        f"/arbete/svar/{world.response_a.pk}/",
        reverse("backoffice:members"),
        "/arbete/lan/",
        "/arbete/lan/22/inloggning/",
    ):
        assert client.get(address).status_code in (403, 404), address  # refused


@pytest.mark.django_db
def test_the_client_secret_is_stored_encrypted_and_never_shown(admin_client, world):
    provider = _provider(world)
    assert provider.client_secret_encrypted
    assert "provider-client-secret-for-tests" not in provider.client_secret_encrypted
    for address in (
        f"/arbete/lan/22/inloggning/{provider.pk}/",
        f"/admin/accounts/identityprovider/{provider.pk}/change/",
    ):
        page = admin_client.get(address).content.decode()
        assert "client_secret" in page
        assert "provider-client-secret-for-tests" not in page
        assert provider.client_secret_encrypted not in page
    # Saving without a new secret keeps the stored one.
    response = admin_client.post(
        f"/arbete/lan/22/inloggning/{provider.pk}/",
        {
            "organisation": provider.organisation_id,
            "issuer": provider.issuer,
            "client_id": "ny-klient",
            "client_secret": "",
            "domains": "sundsvall.test",
            "active": "on",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.client_id, provider.client_secret_encrypted) == (
        "ny-klient",
        IdentityProvider.objects.get(pk=provider.pk).client_secret_encrypted,
    )
    from nollvision.accounts.crypto import decrypt

    assert decrypt(provider.client_secret_encrypted) == "provider-client-secret-for-tests"


@pytest.mark.django_db
def test_the_login_page_offers_providers_only_when_there_are_some(client, world):
    page = client.get("/en/konto/logga-in/").content.decode()
    assert "Sign in with your organisation" not in page
    _provider(world)
    page = client.get("/en/konto/logga-in/").content.decode()
    assert "Sign in with your organisation" in page
    refused = client.post("/en/konto/logga-in/organisation/", {"email": "a@timra.test"})
    assert refused.status_code == 400
    assert "No organisation has connected its own login for this address." in (
        refused.content.decode()
    )
