"""One person, many roles: an invitation to an address that has an account adds the role to that
account once its owner logs in (never a new password, name or second account); role lines and
e-mails name the county; the coordinator's people page lists the county's pending invitations,
which can be sent again (new link, old one dead) or withdrawn (link dead)."""

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext

from nollvision.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    User,
)
from nollvision.accounts.selectors import account_for_address, invitations_not_accepted
from nollvision.accounts.services import (
    AccountError,
    InvitationStep,
    invitation_accept,
    invitation_accept_as,
    invitation_create,
    invitation_get,
    invitation_resend,
    invitation_step,
    invitation_withdraw,
    is_address_of,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PASSWORD = "ett-langt-testlosenord-1"
NEW_PASSWORD = "ett-annat-langt-losenord-2"
SUNDSVALL = "Sundsvalls kommun (Västernorrlands län)"
OSTERSUND = "Östersunds kommun (Jämtlands län)"


@pytest.fixture
def counties(db):
    """Two counties, each with its county board (a coordinator) and one municipality; a reporter
    of Sundsvall whose account has the address reporter.sundsvall@example.invalid."""
    kind = OrganisationKind.objects.create(code="kommun-test", name={"sv": "Kommun"})
    west = Region.objects.create(code="22", name="Västernorrlands län")
    east = Region.objects.create(code="23", name="Jämtlands län")

    def body(slug, name, region):
        return Organisation.objects.create(slug=slug, name=name, kind=kind, region=region)

    def person(username, organisation, role, **extra):
        user = User.objects.create_user(username=username, password=PASSWORD, **extra)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    c = SimpleNamespace(
        board_a=body("lansstyrelsen-vasternorrland", "Länsstyrelsen Västernorrland", west),
        sundsvall=body("sundsvalls-kommun", "Sundsvalls kommun", west),
        board_b=body("lansstyrelsen-jamtland", "Länsstyrelsen Jämtland", east),
        ostersund=body("ostersunds-kommun", "Östersunds kommun", east),
    )
    c.coordinator_a = person("coordinator-a", c.board_a, Role.COORDINATOR)
    c.coordinator_b = person("coordinator-b", c.board_b, Role.COORDINATOR)
    c.reporter = person(
        "reporter-sundsvall",
        c.sundsvall,
        Role.REPORTER,
        email="reporter.sundsvall@example.invalid",
        first_name="Rapportör",
        last_name="Sundsvall",
    )
    return c


def _invite(email, organisation, role=Role.READER, by=None):
    """Invite through the service (by the county's coordinator unless `by` is given); the
    invitation and the path of the link its e-mail holds."""
    by = by or (
        Membership.objects.get(organisation__region=organisation.region, role=Role.COORDINATOR).user
    )
    invitation = invitation_create(
        email=email,
        organisation=organisation,
        role=role,
        invited_by=by,
        base_url="http://testserver/",
    )
    return invitation, _link(mail.outbox[-1])


def _link(message) -> str:
    return urlparse(re.search(r"https?://\S+/inbjudan/\S+/", message.body).group(0)).path


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def sv(msgid: str, **values) -> str:
    """A text as the site shows it (in its default language), HTML-escaped as in a page."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(msgid)
    return escape(text % values if values else text)


def test_an_address_with_an_account_logs_in_and_the_role_is_added_to_that_account(client, counties):
    c = counties
    invitation, link = _invite(
        "Reporter.Sundsvall@example.invalid", c.ostersund, by=c.coordinator_b
    )
    assert "reporter-sundsvall" in mail.outbox[-1].body  # the e-mail says to log in as that

    page = client.get(link).content.decode()
    login = reverse("accounts:login") + "?" + urlencode({"next": link})
    assert login.replace("&", "&amp;") in page
    assert 'name="password1"' not in page  # no new password for an address that has an account
    assert "reporter-sundsvall" in page  # the user name to log in with
    # Posting the new-account form anyway makes nothing and changes no password.
    reply = client.post(
        link, {"full_name": "Någon Annan", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert (
        sv(
            "There is already an account with this address. Log in with it, and open the link "
            "again to accept the invitation."
        )
        in reply.content.decode()
    )
    assert User.objects.filter(email__iexact=invitation.email).count() == 1

    reply = client.post(login, {"username": "reporter-sundsvall", "password": PASSWORD})
    assert (reply.status_code, reply["Location"]) == (302, link)
    assert 'name="password1"' not in client.get(link).content.decode()
    reply = client.post(link, follow=True)
    assert reply.redirect_chain == [(reverse("backoffice:home"), 302)]

    c.reporter.refresh_from_db()
    roles = {(m.organisation.slug, m.role) for m in c.reporter.memberships.all()}
    assert roles == {("sundsvalls-kommun", Role.REPORTER), ("ostersunds-kommun", Role.READER)}
    assert User.objects.count() == 3  # the two coordinators and the reporter: no second account
    assert (c.reporter.first_name, c.reporter.last_name) == ("Rapportör", "Sundsvall")
    assert c.reporter.check_password(PASSWORD)
    client.logout()
    assert client.login(username="reporter-sundsvall", password=PASSWORD)  # the old password
    invitation.refresh_from_db()
    assert (invitation.user, invitation.accepted_at is not None) == (c.reporter, True)
    client.logout()
    assert client.get(link).status_code == 404  # used once


def test_the_service_never_sets_a_password_on_an_existing_account(counties):
    c = counties
    _invitation, link = _invite("reporter.sundsvall@example.invalid", c.sundsvall, Role.APPROVER)
    with pytest.raises(AccountError):
        invitation_accept(token=_token(link), password=NEW_PASSWORD, full_name="Ny Person")
    c.reporter.refresh_from_db()
    assert c.reporter.check_password(PASSWORD)
    assert not c.reporter.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=c.reporter).role == Role.REPORTER
    # Logged in as the account, the role of the same body is the invitation's.
    membership = invitation_accept_as(token=_token(link), user=c.reporter)
    assert (membership.organisation, membership.role) == (c.sundsvall, Role.APPROVER)
    assert Membership.objects.filter(user=c.reporter).count() == 1
    assert c.reporter.check_password(PASSWORD)


def test_a_person_logged_in_with_another_address_is_told_and_given_nothing(client, counties):
    c = counties
    invitation, link = _invite("ny.lasare@example.invalid", c.sundsvall, by=c.coordinator_a)
    client.force_login(c.reporter)
    page = client.get(link).content.decode()
    assert (
        sv(
            "This invitation was sent to %(email)s, and you are logged in as %(who)s. It cannot "
            "be accepted with this account. Log out and open the link again: it makes a new "
            "account for %(email)s.",
            email="ny.lasare@example.invalid",
            who="reporter-sundsvall",
        )
        in page
    )
    reply = client.post(link)
    assert reply.status_code == 200
    assert (
        sv(
            "This invitation was sent to %(email)s, and you are logged in as %(user)s. The role "
            "was not given. Log out, open the link again and log in with the account of "
            "%(email)s.",
            email="ny.lasare@example.invalid",
            user="reporter-sundsvall",
        )
        in reply.content.decode()
    )
    assert list(Membership.objects.filter(user=c.reporter).values_list("role", flat=True)) == [
        Role.REPORTER
    ]
    with pytest.raises(AccountError):
        invitation_accept_as(token=_token(link), user=c.coordinator_a)
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.user) == (None, None)
    # Logging out from that page comes back to the invitation, now for a new account.
    reply = client.post(reverse("accounts:logout"), {"next": link})
    assert (reply.status_code, reply["Location"]) == (302, link)
    assert 'name="password1"' in client.get(link).content.decode()


def test_a_new_address_still_makes_its_account_and_logs_in(client, counties):
    c = counties
    _invitation, link = _invite("ny.rapportor@example.invalid", c.sundsvall, Role.REPORTER)
    assert (
        sv("Open this link to choose a password. It works once, within %(days)s days:", days=14)
        in mail.outbox[-1].body
    )
    reply = client.post(
        link,
        {"full_name": "Ny Rapportör", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert (reply.status_code, reply["Location"]) == (302, reverse("backoffice:home"))
    user = User.objects.get(username="ny.rapportor@example.invalid")
    assert (user.first_name, user.last_name, user.email) == (
        "Ny",
        "Rapportör",
        "ny.rapportor@example.invalid",
    )
    assert user.check_password(NEW_PASSWORD)
    assert [(m.organisation, m.role) for m in user.memberships.all()] == [
        (c.sundsvall, Role.REPORTER)
    ]
    assert client.get(reverse("backoffice:home")).wsgi_request.user == user


def test_the_step_the_invitation_page_asks_for(counties):
    c = counties
    anonymous = SimpleNamespace(is_authenticated=False)
    known, _link_a = _invite("REPORTER.SUNDSVALL@example.invalid", c.ostersund)
    new, _link_b = _invite("ny@example.invalid", c.ostersund)
    assert invitation_step(invitation=known, user=anonymous) == InvitationStep.LOG_IN
    assert invitation_step(invitation=new, user=anonymous) == InvitationStep.NEW_ACCOUNT
    assert invitation_step(invitation=known, user=c.reporter) == InvitationStep.ACCEPT
    assert invitation_step(invitation=known, user=c.coordinator_a) == InvitationStep.OTHER_PERSON
    assert invitation_step(invitation=new, user=c.reporter) == InvitationStep.OTHER_PERSON
    assert not is_address_of(anonymous, "")  # nobody logged in owns an address
    assert is_address_of(c.coordinator_a, " Coordinator-A ")  # a user name is an address too
    # An account whose user name is its address (as invitations make them) is found by it.
    made = User.objects.create_user(username="gammal@example.invalid")
    assert account_for_address(" Gammal@Example.invalid ") == made
    assert account_for_address("reporter.sundsvall@example.invalid") == c.reporter
    assert account_for_address("ingen@example.invalid") is None
    assert account_for_address("") is None


def test_send_again_gives_a_new_link_and_the_old_one_stops_working(client, counties):
    c = counties
    invitation, old = _invite("ny@example.invalid", c.sundsvall, by=c.coordinator_a)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(c.coordinator_a)
    reply = client.post(reverse("backoffice:invitation-resend", args=[invitation.pk]), follow=True)
    assert reply.redirect_chain[-1][0] == reverse("backoffice:members") + "#invitations-heading"
    assert (
        sv(
            "The invitation to %(email)s was sent again with a new link. The old link no "
            "longer works.",
            email="ny@example.invalid",
        )
        in reply.content.decode()
    )
    assert len(mail.outbox) == 2
    assert mail.outbox[-1].to == ["ny@example.invalid"]
    new = _link(mail.outbox[-1])
    assert new != old
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    client.logout()
    assert client.get(old).status_code == 404
    assert invitation_get(_token(old)) is None
    assert client.get(new).status_code == 200
    with pytest.raises(AccountError):
        invitation_accept(token=_token(old), password=NEW_PASSWORD)
    assert not User.objects.filter(username="ny@example.invalid").exists()


def test_an_expired_invitation_is_listed_as_expired_and_can_be_sent_again(client, counties):
    c = counties
    invitation, old = _invite("sen@example.invalid", c.sundsvall, by=c.coordinator_a)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    assert client.get(old).status_code == 404
    client.force_login(c.coordinator_a)
    page = client.get(reverse("backoffice:members")).content.decode()
    expired = sv("Expired")
    row = re.search(r"<tr><td[^>]*>sen@example\.invalid</td>.*?</tr>", page).group(0)
    assert expired in row
    client.post(reverse("backoffice:invitation-resend", args=[invitation.pk]))
    client.logout()
    assert client.get(_link(mail.outbox[-1])).status_code == 200


def test_withdraw_stops_the_link_and_keeps_the_row(client, counties):
    c = counties
    invitation, link = _invite("ny@example.invalid", c.sundsvall, by=c.coordinator_a)
    client.force_login(c.coordinator_a)
    reply = client.post(
        reverse("backoffice:invitation-withdraw", args=[invitation.pk]), follow=True
    )
    assert (
        sv(
            "The invitation to %(email)s was withdrawn. Its link no longer works.",
            email="ny@example.invalid",
        )
        in reply.content.decode()
    )
    listed = reply.content.decode().split('id="invitations-heading"')[1]
    assert "ny@example.invalid" not in listed  # gone from the list
    # Pressed twice (an old tab): said plainly, not a missing page.
    again = client.post(
        reverse("backoffice:invitation-withdraw", args=[invitation.pk]), follow=True
    )
    assert sv("This invitation has been withdrawn.") in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert invitation.accepted_at is None
    client.logout()
    assert client.get(link).status_code == 404
    with pytest.raises(AccountError):
        invitation_accept(token=_token(link), password=NEW_PASSWORD)
    # Nothing more can be done with it; an accepted one cannot be withdrawn either.
    with pytest.raises(AccountError, match="återkallats"):
        invitation_resend(invitation=invitation, base_url="http://testserver/")
    accepted, other_link = _invite("reporter.sundsvall@example.invalid", c.ostersund)
    invitation_accept_as(token=_token(other_link), user=c.reporter)
    with pytest.raises(AccountError, match="tagits emot"):
        invitation_withdraw(invitation=accepted)
    accepted.refresh_from_db()
    assert accepted.withdrawn_at is None


@pytest.mark.parametrize("route", ["invitation-resend", "invitation-withdraw"])
def test_another_countys_coordinator_gets_404(client, counties, route):
    c = counties
    invitation, link = _invite("ny@example.invalid", c.sundsvall, by=c.coordinator_a)
    sent = len(mail.outbox)
    client.force_login(c.coordinator_b)
    assert client.post(reverse(f"backoffice:{route}", args=[invitation.pk])).status_code == 404
    client.force_login(c.reporter)  # a role in the county, but not its coordinator
    assert client.post(reverse(f"backoffice:{route}", args=[invitation.pk])).status_code == 403
    assert client.get(reverse(f"backoffice:{route}", args=[invitation.pk])).status_code == 403
    before = invitation.token_hash
    invitation.refresh_from_db()
    assert (invitation.token_hash, invitation.withdrawn_at) == (before, None)
    assert len(mail.outbox) == sent
    client.logout()
    assert client.get(link).status_code == 200


def test_the_list_shows_only_the_own_countys_invitations_not_accepted(client, counties):
    c = counties
    pending, _l1 = _invite("vantar@example.invalid", c.sundsvall, Role.APPROVER, c.coordinator_a)
    expired, _l2 = _invite("gammal@example.invalid", c.board_a, Role.READER, c.coordinator_a)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=2))
    withdrawn, _l3 = _invite("aterkallad@example.invalid", c.sundsvall)
    invitation_withdraw(invitation=withdrawn)
    _accepted, l4 = _invite("reporter.sundsvall@example.invalid", c.board_a)
    invitation_accept_as(token=_token(l4), user=c.reporter)
    _invite("jamtland@example.invalid", c.ostersund, by=c.coordinator_b)

    assert list(invitations_not_accepted(c.coordinator_a)) == [pending, expired]
    assert [i.email for i in invitations_not_accepted(c.coordinator_b)] == [
        "jamtland@example.invalid"
    ]
    assert list(invitations_not_accepted(c.reporter)) == []
    client.force_login(c.coordinator_a)
    page = client.get(reverse("backoffice:members")).content.decode()
    section = page.split('id="invitations-heading"')[1]
    rows = re.findall(
        r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>",
        section,
    )
    with translation.override(settings.LANGUAGE_CODE):
        approver, reader = str(Role.APPROVER.label), str(Role.READER.label)
    assert rows == [
        ("vantar@example.invalid", SUNDSVALL, approver, "coordinator-a"),
        (
            "gammal@example.invalid",
            "Länsstyrelsen Västernorrland (Västernorrlands län)",
            reader,
            "coordinator-a",
        ),
    ]
    for form in ("invitation-resend", "invitation-withdraw"):
        assert f'action="{reverse(f"backoffice:{form}", args=[pending.pk])}"' in section
    assert "jamtland@example.invalid" not in page
    assert "Jämtlands län" not in page


def test_role_lines_name_the_organisation_and_its_county(client, counties):
    c = counties
    _invitation, link = _invite("reporter.sundsvall@example.invalid", c.ostersund)
    invitation_accept_as(token=_token(link), user=c.reporter)
    with translation.override(settings.LANGUAGE_CODE):
        reporter, reader = capfirst(Role.REPORTER.label), capfirst(Role.READER.label)
    client.force_login(c.reporter)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert f"{reporter}, {SUNDSVALL}" in home
    assert f"{reader}, {OSTERSUND}" in home
    # The people page of each county: its own county's line of the person.
    client.force_login(c.coordinator_a)
    people = client.get(reverse("backoffice:members")).content.decode()
    assert f'<td data-label="Organisation">{SUNDSVALL}</td>' in people
    assert OSTERSUND not in people


def test_the_emails_name_the_organisation_its_county_and_the_platform(client, counties):
    c = counties
    _invite("ny@example.invalid", c.ostersund, Role.APPROVER)
    body = mail.outbox[-1].body
    assert OSTERSUND in body
    assert body.rstrip().endswith("Nollvision\nhttp://testserver/")
    reply = client.post(
        reverse("accounts:password_reset"), {"email": "reporter.sundsvall@example.invalid"}
    )
    assert reply.status_code == 302
    reset = mail.outbox[-1].body
    with translation.override(settings.LANGUAGE_CODE):
        reporter = capfirst(Role.REPORTER.label)
    assert f"- {reporter}, {SUNDSVALL}\n" in reset
    assert reset.rstrip().endswith("Nollvision\nhttp://testserver/")
    assert (
        re.search(r"https?://\S+", reset).group(0).startswith("http://testserver/konto/losenord/")
    )  # the reset link still comes first


@pytest.mark.parametrize("rows", [1, 3])
def test_the_people_page_reads_the_same_queries_for_1_and_3_invitations(client, counties, rows):
    c = counties
    for n in range(rows):
        _invite(f"ny{n}@example.invalid", c.sundsvall, Role.READER, c.coordinator_a)
        person = User.objects.create_user(username=f"reader-{n}")
        Membership.objects.create(user=person, organisation=c.sundsvall, role=Role.READER)
    client.force_login(c.coordinator_a)
    url = reverse("backoffice:members")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count('action="/arbete/anvandare/inbjudningar/') == 2 * rows
    assert len(queries) == QUERIES


# The people page's queries (session, user, roles, choices, members, invitations): the same for
# any number of rows.
QUERIES = 7
