"""The permission matrix of the back office: every route, every role, two counties, with real
objects.

Each route of the `backoffice` namespace is listed here with the roles that may use it; a route
added without a line here fails the test. Roles that may not use a route must meet the login
page (anonymous) or a refusal (403 or 404) and nothing else, on GET and on POST. Roles that may
use a route get its page on GET (200, or a download, or 405 for routes that only take POSTs).
A POST to a page that takes none is turned away with 405 whoever sends it.

A county is a tenant: the matrix runs with the objects of Västernorrland and again with those of
a second county (Jämtlands län), for the people of both. A person of one county is refused every
object of the other, whatever their role; on the routes without an object (lists, forms) they
get their role's page, and it names nothing of the other county."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from nollvision.accounts.models import Invitation, Membership, Role
from nollvision.indicators.models import Area
from nollvision.meetings.models import MemberRole
from nollvision.meetings.services import member_add
from nollvision.reports.services import report_publish
from nollvision.support.models import Step, SupportService

from .helpers import guide_objects, pending_invitation, plan_draft
from .jobs_helpers import job_objects
from .oidc_helpers import identity_provider, linked_account

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = (
    "anonymous",
    "nobody",  # logged in, no membership anywhere
    "reporter_a",  # reports for Sundsvall, and a member of the regional group
    "approver_a",  # approves Sundsvall's answer
    "reporter_b",  # reports for Timrå
    "reader",  # reads the county's accepted answers
    "coordinator",  # the county board
    "secretary",  # the regional group's secretary (a reader at the county board)
    "former",  # was a reporter and a member of the regional group; their last role was removed
    "staff",  # the platform's administrators: set counties up, are no county's coordinator
)
EVERYONE = frozenset(ROLES) - {"anonymous"}
# Anyone with a role (or staff): a person without one reaches only their work page, which says so.
WITH_ROLE = EVERYONE - {"nobody", "former"}
BODY_A = frozenset({"reporter_a", "approver_a"})
GROUP_EDITORS = frozenset({"coordinator", "secretary"})
GROUP_READERS = GROUP_EDITORS | {"reporter_a"}
COORDINATOR = frozenset({"coordinator"})
COUNTY_READERS = frozenset({"coordinator", "reader", "secretary"})
NOBODY = frozenset()
STAFF = frozenset({"staff"})
# The second county's people, and the role of the first county's matrix each plays there.
OTHER_ROLES = {
    "coordinator_o": "coordinator",
    "secretary_o": "secretary",
    "reporter_o": "reporter_a",  # reports for Östersund, and a member of its regional group
    "approver_o": "approver_a",
    "reader_o": "reader",
}

# name: (arguments, roles allowed, methods). Sundsvall's answer is not sent in yet, so the county
# board may not read it and nobody may clear it for publication.
MATRIX = {
    "home": (lambda o: [], EVERYONE, "GET"),
    "notices": (lambda o: [], WITH_ROLE, "GET"),
    "outbox": (lambda o: [], COORDINATOR, "GET"),
    "response": (lambda o: [o.response], BODY_A, "GET"),
    "response-transition": (lambda o: [o.response], BODY_A, "POST"),
    "response-previous": (lambda o: [o.response], BODY_A, "POST"),
    "response-assign": (lambda o: [o.response], BODY_A, "POST"),
    "response-clear": (lambda o: [o.response, o.answer], NOBODY, "POST"),
    "response-clear-body": (lambda o: [o.response], NOBODY, "GET"),
    "response-history": (lambda o: [o.response], BODY_A, "GET"),
    "response-excel": (lambda o: [o.response], BODY_A, "GET"),
    "response-upload": (lambda o: [o.response], BODY_A, "GET"),
    "campaign-create": (lambda o: [], COORDINATOR, "GET"),
    "campaign": (lambda o: [o.campaign], COORDINATOR, "GET"),
    "campaign-action": (lambda o: [o.campaign], COORDINATOR, "POST"),
    "campaign-body": (lambda o: [o.campaign, o.response], COORDINATOR, "GET"),
    "dashboard": (lambda o: [o.campaign], COUNTY_READERS, "GET"),
    "matrix": (lambda o: [o.campaign], COUNTY_READERS, "GET"),
    "report": (lambda o: [o.campaign], COORDINATOR, "GET"),
    "report-download": (lambda o: [o.campaign, "html"], COORDINATOR, "GET"),
    "report-publish": (lambda o: [o.campaign], COORDINATOR, "POST"),
    "report-published": (lambda o: [o.campaign, 1, "html"], COUNTY_READERS, "GET"),
    "archive": (lambda o: [o.campaign], COORDINATOR, "POST"),
    # Background work: its page and file for whoever started it and the county's coordinators.
    "job": (lambda o: [o.job], COORDINATOR, "GET"),
    "job-file": (lambda o: [o.job], COORDINATOR, "GET"),
    "indicator-upload": (lambda o: [], COORDINATOR, "GET"),
    "indicator-template": (lambda o: [], COORDINATOR, "GET"),
    "indicator-freshness": (lambda o: [], COORDINATOR, "GET"),
    "services": (lambda o: [], COORDINATOR, "GET"),
    "service-create": (lambda o: [], COORDINATOR, "GET"),
    "service-edit": (lambda o: [o.service], COORDINATOR, "GET"),
    "service-verified": (lambda o: [o.service], COORDINATOR, "POST"),
    "groups": (lambda o: [], WITH_ROLE, "GET"),  # each sees only their own groups
    "group": (lambda o: [o.group], GROUP_READERS, "GET"),
    "member-add": (lambda o: [o.group], COORDINATOR, "POST"),
    "member-remove": (lambda o: [o.member], COORDINATOR, "POST"),
    "calendar-renew": (lambda o: [o.group], GROUP_READERS, "POST"),
    "meeting-create": (lambda o: [o.group], GROUP_EDITORS, "GET"),
    "meeting": (lambda o: [o.meeting], GROUP_READERS, "GET"),
    "meeting-edit": (lambda o: [o.meeting], GROUP_EDITORS, "GET"),
    "attendance": (lambda o: [o.meeting], GROUP_EDITORS, "POST"),
    "attachment-add": (lambda o: [o.meeting], GROUP_EDITORS, "POST"),
    "attachment": (lambda o: [o.attachment], GROUP_READERS, "GET"),
    "item-create": (lambda o: [o.meeting], GROUP_EDITORS, "GET"),
    "item-edit": (lambda o: [o.item], GROUP_EDITORS, "GET"),
    "decision-add": (lambda o: [o.item], GROUP_EDITORS, "POST"),
    "action-create": (lambda o: [o.item], GROUP_EDITORS, "GET"),
    "action-edit": (lambda o: [o.action], GROUP_EDITORS, "GET"),
    "actions": (lambda o: [], WITH_ROLE, "GET"),  # each sees only their own groups' actions
    "minutes-publish": (lambda o: [o.meeting], COORDINATOR, "POST"),
    "minutes": (lambda o: [o.meeting, "pdf"], GROUP_READERS, "GET"),
    # For the people of the plan's county (and its groups' members), filtered to their groups.
    "measure-work": (
        lambda o: [o.plan_slug, o.measure_key],
        frozenset({"reporter_a", "approver_a", "reporter_b", "reader", "coordinator"})
        | GROUP_READERS,
        "GET",
    ),
    "priorities": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    # The plan editor works on the plan's draft (started in `helpers.plan_draft`).
    "plan-editor": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-details": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-goal-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-goal": (lambda o: [o.plan_slug, 1], COORDINATOR, "GET"),
    "plan-measure-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-measure": (lambda o: [o.plan_slug, o.measure_key], COORDINATOR, "GET"),
    "plan-split": (lambda o: [o.plan_slug, o.measure_key], COORDINATOR, "GET"),
    "plan-retire": (lambda o: [o.plan_slug, o.measure_key], COORDINATOR, "GET"),
    "plan-merge": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-responsibility": (lambda o: [o.plan_slug, o.responsibility_kind], COORDINATOR, "GET"),
    "plan-responsibility-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-vocabulary": (lambda o: [o.plan_slug, "chain_stages"], COORDINATOR, "GET"),
    "plan-body-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-body": (lambda o: [o.plan_slug, o.body_key], COORDINATOR, "GET"),
    "plan-figure-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-figure": (lambda o: [o.plan_slug, o.figure_key], COORDINATOR, "GET"),
    "plan-preview": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-adopt": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "plan-document": (lambda o: [o.plan_slug, 1, "docx"], COORDINATOR, "GET"),
    "plan-document-build": (lambda o: [o.plan_slug, 1, "docx"], COORDINATOR, "POST"),
    # The consultation on the draft: the coordinator runs it; the body's people read its answer,
    # which its approver writes.
    "consultations": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "consultation": (lambda o: [o.consultation], COORDINATOR, "GET"),
    "consultation-summary": (lambda o: [o.consultation, "docx"], COORDINATOR, "GET"),
    "consultation-summary-build": (lambda o: [o.consultation, "docx"], COORDINATOR, "POST"),
    "consultation-answer": (lambda o: [o.consultation_answer], BODY_A | COORDINATOR, "GET"),
    # The adopted version's signings: the coordinator records any body's, an approver its own.
    "plan-signings": (lambda o: [o.plan_slug], COORDINATOR | {"approver_a"}, "GET"),
    # The professionals' guide of the plan: its county's coordinator writes it.
    "guide": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "guide-situation-add": (lambda o: [o.plan_slug], COORDINATOR, "GET"),
    "guide-situation": (lambda o: [o.plan_slug, o.situation], COORDINATOR, "GET"),
    "guide-situation-move": (lambda o: [o.plan_slug, o.situation], COORDINATOR, "POST"),
    "guide-situation-delete": (lambda o: [o.plan_slug, o.situation], COORDINATOR, "POST"),
    "guide-step-add": (lambda o: [o.plan_slug, o.situation], COORDINATOR, "GET"),
    "guide-step": (lambda o: [o.plan_slug, o.step], COORDINATOR, "GET"),
    "guide-step-move": (lambda o: [o.plan_slug, o.step], COORDINATOR, "POST"),
    "guide-step-delete": (lambda o: [o.plan_slug, o.step], COORDINATOR, "POST"),
    "members": (lambda o: [], COORDINATOR, "GET"),
    "membership-remove": (lambda o: [o.membership], COORDINATOR, "POST"),
    "invitation-resend": (lambda o: [o.invitation], COORDINATOR, "POST"),
    "invitation-withdraw": (lambda o: [o.invitation], COORDINATOR, "POST"),
    "counties": (lambda o: [], STAFF, "GET"),
    "county": (lambda o: [o.county_code], STAFF, "GET"),
    "providers": (lambda o: [o.county_code], STAFF, "GET"),
    "provider": (lambda o: [o.county_code, o.provider], STAFF, "GET"),
}


def backoffice_names() -> set[str]:
    resolver = get_resolver()
    namespace = resolver.namespace_dict["backoffice"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)}


def test_every_backoffice_route_is_in_the_matrix():
    assert backoffice_names() == set(MATRIX)


def _outcome(response, method: str = "GET") -> str:
    if response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"):
        return "login"
    if response.status_code in (403, 404) or (method == "POST" and response.status_code == 405):
        # A page that takes no POSTs turns one away before anything else: nothing happens.
        return "refused"
    if response.status_code in (200, 302, 405):
        return "allowed"
    return f"unexpected {response.status_code}"


def _objects(**values):
    objects = type("Objects", (), {})()
    for name, value in values.items():
        setattr(objects, name, value)
    return objects


def _former(group, world, django_user_model):
    """A reporter of Sundsvall and a member of the regional group whose last role was removed:
    their group membership, calendar address and assigned work stay, their access does not."""
    from nollvision.accounts.services import membership_remove

    user = django_user_model.objects.create_user(username="former", email="former@example.invalid")
    membership = Membership.objects.create(
        user=user, organisation=world.response_a.organisation, role=Role.REPORTER
    )
    member_add(group=group, user=user, organisation=membership.organisation, role=MemberRole.MEMBER)
    membership_remove(membership=membership, by=world.coordinator)
    return user


def test_every_role_on_every_route_in_two_counties(g, other, django_user_model):
    world = g.world
    report_publish(campaign=world.campaign, user=world.coordinator)
    report_publish(campaign=other.campaign, user=other.coordinator)
    users = {
        # Logs in through its organisation's identity provider: to the rules, just a user.
        "nobody": linked_account(django_user_model, "nobody", world.response_b.organisation),
        "former": _former(g.group, world, django_user_model),
        "reporter_a": world.reporter_a,
        "approver_a": world.approver_a,
        "reporter_b": world.reporter_b,
        "reader": world.reader,
        "coordinator": world.coordinator,
        "secretary": g.secretary,
        "staff": django_user_model.objects.create_user(username="staff", is_staff=True),
        **{name: getattr(other, name.removesuffix("_o")) for name in OTHER_ROLES},
    }
    county_of = {name: "a" for name in ROLES} | {name: "b" for name in OTHER_ROLES}
    county_of |= {"nobody": None, "former": None, "staff": None, "anonymous": None}
    plays = {name: name for name in ROLES} | OTHER_ROLES
    service_a = SupportService.objects.create(
        key="matris",
        name={"sv": "Matristjänst"},
        needs=["adults"],
        phone="112",
        area=Area.objects.get(code="2281"),
    )
    counties = {
        "a": _objects(
            response=world.response_a.pk,
            answer=world.response_a.measure_answers.order_by("pk").first().pk,
            campaign=world.campaign.pk,
            service=service_a.pk,
            group=g.group.pk,
            member=g.member.pk,
            meeting=g.meeting.pk,
            attachment=g.attachment.pk,
            item=g.item.pk,
            action=g.action.pk,
            plan_slug=g.measure.plan.slug,
            measure_key=g.measure.key,
            membership=Membership.objects.get(user=world.reporter_b).pk,
            county_code="22",
            provider=identity_provider(
                world.response_a.organisation, issuer="https://a.example/", domains="a.example"
            ).pk,
            invitation=pending_invitation(world.response_a.organisation, world.coordinator),
            **plan_draft(world.plan),
            **guide_objects(world.plan),
            **job_objects(world.plan, world.coordinator),
        ),
        "b": _objects(
            response=other.response.pk,
            answer=other.answer.pk,
            campaign=other.campaign.pk,
            service=other.service.pk,
            group=other.group.pk,
            member=other.member.pk,
            meeting=other.meeting.pk,
            attachment=other.attachment.pk,
            item=other.item.pk,
            action=other.action.pk,
            plan_slug=other.plan.slug,
            measure_key=other.measure.key,
            membership=Membership.objects.get(user=other.approver).pk,
            county_code="23",
            provider=identity_provider(
                other.response.organisation, issuer="https://b.example/", domains="b.example"
            ).pk,
            invitation=pending_invitation(other.response.organisation, other.coordinator),
            **plan_draft(other.plan),
            **guide_objects(other.plan),
            **job_objects(other.plan, other.coordinator),
        ),
    }
    links = {i.pk: i.token_hash for i in Invitation.objects.all()}
    wrong = []
    checked = 0
    for role in (*ROLES, *OTHER_ROLES):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        for county, objects in counties.items():
            for name, (arguments, allowed, method) in MATRIX.items():
                args = arguments(objects)
                # A route that names no object serves everyone their own county's; staff set up
                # any county.
                own = not args or county_of[role] == county or role == "staff"
                may = plays[role] in allowed and own
                url = reverse(f"backoffice:{name}", args=args)
                wanted = "login" if role == "anonymous" else "allowed" if may else "refused"
                if method == "GET":
                    response = client.get(url)
                    got = _outcome(response)
                    checked += 1
                    if got != wanted:
                        wrong.append((role, county, name, "GET", wanted, got))
                    if (
                        args
                        and county_of[role] not in (None, county)
                        and response.status_code != 404
                    ):
                        # Another county's objects are not found: not even that they exist.
                        wrong.append((role, county, name, "GET", 404, response.status_code))
                if not may:
                    # A refused role must not get through by posting either (nothing is sent
                    # that would change anything if it did: the refusal must come first).
                    got = _outcome(client.post(url, {}), "POST")
                    checked += 1
                    if got != wanted:
                        wrong.append((role, county, name, "POST", wanted, got))
    assert wrong == [], "\n".join(map(str, wrong))
    assert checked > 2 * len(MATRIX) * (len(ROLES) + len(OTHER_ROLES))
    # The refusals left everything as it was.
    for objects in counties.values():
        assert Membership.objects.filter(pk=objects.membership).exists()
        assert Step.objects.filter(pk=objects.step, situation_id=objects.situation).exists()
        invitation = Invitation.objects.get(pk=objects.invitation)
        assert (invitation.token_hash, invitation.withdrawn_at) == (links[invitation.pk], None)
    assert world.campaign.report.publications.count() == 1
    assert other.campaign.report.publications.count() == 1


# Words that only one county's pages may show: its bodies, people, meetings, services.
MARKERS = {
    "a": ("Sundsvalls kommun", "Timrå kommun", "reporter_a", "Matristjänst", "Rutiner"),
    "b": ("Östersunds kommun", "Åre kommun", "reporter_o", "Stödlinjen i Östersund", "Jämtlands"),
}


def test_pages_without_an_object_name_nothing_of_the_other_county(g, other, client):
    """Every route that names no object (lists, forms with choices) as each county's coordinator,
    secretary, reporter and reader: not one word of the other county."""
    SupportService.objects.create(
        key="matris",
        name={"sv": "Matristjänst"},
        needs=["adults"],
        area=Area.objects.get(code="2281"),
    )
    people = {
        "a": [g.world.coordinator, g.secretary, g.world.reporter_a, g.world.reader],
        "b": [other.coordinator, other.secretary, other.reporter, other.reader],
    }
    anything = type("Anything", (), {"__getattr__": lambda self, name: 1})()
    lists = [
        name
        for name, (arguments, _allowed, method) in MATRIX.items()
        if method == "GET" and not arguments(anything) and name != "indicator-template"
    ]
    assert {"home", "groups", "actions", "services", "members", "campaign-create"} <= set(lists)
    leaks = []
    for county, users in people.items():
        foreign = MARKERS["b" if county == "a" else "a"]
        for user in users:
            client.force_login(user)
            for name in lists:
                response = client.get(reverse(f"backoffice:{name}"))
                if response.status_code != 200:
                    continue
                page = response.content.decode()
                leaks += [(user.username, name, word) for word in foreign if word in page]
    assert leaks == []


def test_the_admin_is_for_staff_only(client, world, django_user_model):
    from .test_security_drill import all_routes

    admin_routes = [
        r
        for r in all_routes()
        if r.startswith("/admin/") and not r.startswith(("/admin/login/", "/admin/logout/"))
    ]
    assert len(admin_routes) > 50
    client.force_login(world.coordinator)  # the county board's coordinator is not staff
    for route in admin_routes:
        response = client.get(route)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), route
        else:
            assert response.status_code == 404, (route, response.status_code)
    staff = django_user_model.objects.create_user(username="staff", is_staff=True)
    client.force_login(staff)  # staff without model permissions sees no model
    refused = 0
    for route in admin_routes:
        if route.count("/") >= 4 and not route.startswith("/admin/password_change/"):
            status = client.get(route).status_code
            assert status in (302, 403, 404), (route, status)
            refused += status == 403
    assert refused > 20


def test_a_superuser_runs_the_platform_and_does_no_countys_work(client, world, django_user_model):
    """The platform's administrators are superusers (README: `nollvision createsuperuser`). They
    keep the admin, but a county's work opens for them no more than for other staff: the rules
    decide those permissions for everyone (accounts.models.User.has_perm)."""
    root = django_user_model.objects.create_superuser(username="root", password="x" * 16)
    client.force_login(root)
    campaign = world.campaign.pk
    for name, args in (
        ("campaign", [campaign]),
        ("report", [campaign]),
        ("dashboard", [campaign]),
        ("response", [world.response_a.pk]),
        ("campaign-create", []),
    ):
        status = client.get(reverse(f"backoffice:{name}", args=args)).status_code
        assert status in (403, 404), (name, status)  # refused, as for other staff
    assert client.get(reverse("admin:followup_response_changelist")).status_code == 200
    assert client.get(reverse("backoffice:counties")).status_code == 200
    home = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:campaign-create") not in home  # no link to a refusal
    assert root.has_perm("followup.view_response")  # the admin's own permission
    assert not root.has_perm("followup.manage_campaign", world.campaign)
