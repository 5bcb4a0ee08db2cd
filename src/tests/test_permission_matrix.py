"""The permission matrix of the back office: every route, every role, with real objects.

Each route of the `backoffice` namespace is listed here with the roles that may use it; a route
added without a line here fails the test. Roles that may not use a route must meet the login
page (anonymous) or a refusal (403 or 404) and nothing else, on GET and on POST. Roles that may
use a route get its page on GET (200, or a download, or 405 for routes that only take POSTs).
A POST to a page that takes none is turned away with 405 whoever sends it."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from nollvision.accounts.models import Membership
from nollvision.reports.services import report_publish
from nollvision.support.models import SupportService

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = (
    "anonymous",
    "nobody",  # logged in, no membership anywhere
    "reporter_a",  # reports for Sundsvall, and a member of the regional group
    "approver_a",  # approves Sundsvall's answer
    "reporter_b",  # reports for Timrå
    "reader",  # reads the county's accepted answers
    "coordinator",  # the county board
    "secretary",  # the regional group's secretary
)
EVERYONE = frozenset(ROLES) - {"anonymous"}
BODY_A = frozenset({"reporter_a", "approver_a"})
GROUP_EDITORS = frozenset({"coordinator", "secretary"})
GROUP_READERS = GROUP_EDITORS | {"reporter_a"}
COORDINATOR = frozenset({"coordinator"})
COUNTY_READERS = frozenset({"coordinator", "reader"})
NOBODY = frozenset()

# name: (arguments, roles allowed, methods). Sundsvall's answer is not sent in yet, so the county
# board may not read it and nobody may clear it for publication.
MATRIX = {
    "home": (lambda o: [], EVERYONE, "GET"),
    "response": (lambda o: [o.response], BODY_A, "GET"),
    "response-transition": (lambda o: [o.response], BODY_A, "POST"),
    "response-previous": (lambda o: [o.response], BODY_A, "POST"),
    "response-assign": (lambda o: [o.response], BODY_A, "POST"),
    "response-clear": (lambda o: [o.response, o.answer], NOBODY, "POST"),
    "response-history": (lambda o: [o.response], BODY_A, "GET"),
    "response-excel": (lambda o: [o.response], BODY_A, "GET"),
    "response-upload": (lambda o: [o.response], BODY_A, "GET"),
    "campaign-create": (lambda o: [], COORDINATOR, "GET"),
    "campaign": (lambda o: [o.campaign], COORDINATOR, "GET"),
    "campaign-action": (lambda o: [o.campaign], COORDINATOR, "POST"),
    "dashboard": (lambda o: [o.campaign], COUNTY_READERS, "GET"),
    "matrix": (lambda o: [o.campaign], COUNTY_READERS, "GET"),
    "report": (lambda o: [o.campaign], COORDINATOR, "GET"),
    "report-download": (lambda o: [o.campaign, "html"], COORDINATOR, "GET"),
    "report-publish": (lambda o: [o.campaign], COORDINATOR, "POST"),
    "report-published": (lambda o: [o.campaign, 1, "html"], COUNTY_READERS, "GET"),
    "archive": (lambda o: [o.campaign], COORDINATOR, "POST"),
    "indicator-upload": (lambda o: [], COORDINATOR, "GET"),
    "indicator-template": (lambda o: [], COORDINATOR, "GET"),
    "services": (lambda o: [], COORDINATOR, "GET"),
    "service-create": (lambda o: [], COORDINATOR, "GET"),
    "service-edit": (lambda o: [o.service], COORDINATOR, "GET"),
    "service-verified": (lambda o: [o.service], COORDINATOR, "POST"),
    "groups": (lambda o: [], EVERYONE, "GET"),  # each sees only their own groups
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
    "actions": (lambda o: [], EVERYONE, "GET"),  # each sees only their own groups' actions
    "minutes-publish": (lambda o: [o.meeting], COORDINATOR, "POST"),
    "minutes": (lambda o: [o.meeting, "pdf"], GROUP_READERS, "GET"),
    "measure-work": (lambda o: [o.measure_key], EVERYONE, "GET"),  # filtered to own groups
    "members": (lambda o: [], COORDINATOR, "GET"),
    "membership-remove": (lambda o: [o.membership], COORDINATOR, "POST"),
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


def test_every_role_on_every_route(g, django_user_model):
    world = g.world
    report_publish(campaign=world.campaign, user=world.coordinator)
    nobody = django_user_model.objects.create_user(username="nobody")
    users = {
        "nobody": nobody,
        "reporter_a": world.reporter_a,
        "approver_a": world.approver_a,
        "reporter_b": world.reporter_b,
        "reader": world.reader,
        "coordinator": world.coordinator,
        "secretary": g.secretary,
    }
    objects = type("Objects", (), {})()
    objects.response = world.response_a.pk
    objects.answer = world.response_a.measure_answers.order_by("pk").first().pk
    objects.campaign = world.campaign.pk
    objects.service = SupportService.objects.create(
        key="matris", name={"sv": "Matristjänst"}, needs=["adults"], phone="112"
    ).pk
    objects.group = g.group.pk
    objects.member = g.member.pk
    objects.meeting = g.meeting.pk
    objects.attachment = g.attachment.pk
    objects.item = g.item.pk
    objects.action = g.action.pk
    objects.measure_key = g.measure.key
    objects.membership = Membership.objects.get(user=world.reporter_b).pk
    wrong = []
    checked = 0
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        for name, (arguments, allowed, method) in MATRIX.items():
            url = reverse(f"backoffice:{name}", args=arguments(objects))
            wanted = "login" if role == "anonymous" else "allowed" if role in allowed else "refused"
            if method == "GET":
                got = _outcome(client.get(url))
                checked += 1
                if got != wanted:
                    wrong.append((role, name, "GET", wanted, got))
            if role not in allowed:
                # A refused role must not get through by posting either (nothing is sent that
                # would change anything if it did: the refusal must come first).
                got = _outcome(client.post(url, {}), "POST")
                checked += 1
                if got != wanted:
                    wrong.append((role, name, "POST", wanted, got))
    assert wrong == [], "\n".join(map(str, wrong))
    assert checked > len(MATRIX) * len(ROLES)
    # The refusals left everything as it was.
    assert Membership.objects.filter(pk=objects.membership).exists()
    assert world.campaign.report.publications.count() == 1


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
