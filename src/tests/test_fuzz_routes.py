"""Odd values in the address: every route of the URL conf, as every role, never answers 500.

Each page is opened with each of the odd values below in every query parameter the project reads
(the names the views read from `request.GET`, found in the source, and every field of the GET
forms the page itself shows). The routes are those of the URL conf: the back office's (with the
permission matrix's objects), the public pages', the account pages' and the admin's; the API has
its own fuzz test from its schema (test_api_schemathesis.py). Whoever may not open a page meets
the refusal, the others the page or a message about the value: a 4xx, a page or a redirect,
never a server error. The odd values in posted forms are test_hostile_input.py's.

Then every link into the back office, the accounts and the admin on the pages each role opened
is followed as that role: none answers 403 (a link nobody may follow is a dead end)."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from nollvision.accounts.models import Membership
from nollvision.indicators.models import Area
from nollvision.support.models import SupportService

from .helpers import ODD, route_objects
from .test_permission_matrix import MATRIX
from .test_public_face import add_meetings, public_routes

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.slow]

# The admin's lists: search, order, page, and the filters of ours (the support services' "due").
ADMIN_PARAMETERS = {"q", "o", "p", "due", "all"}
SOURCE = Path(__file__).resolve().parents[1] / "nollvision"
READ = re.compile(r"GET(?:\.get|\.getlist)?\(\s*\"(\w+)\"|GET\[\"(\w+)\"\]")


def _names_read_by_views() -> set[str]:
    names = set()
    for path in SOURCE.rglob("*.py"):
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            names.add(match.group(1) or match.group(2))
    return names


class GetForms(HTMLParser):
    """The names of the fields of a page's GET forms (filters, choices)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = (attrs.get("method") or "get").lower() == "get"
        elif self._inside and tag in ("input", "select", "textarea") and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def _get_form_names(html: str) -> set[str]:
    reader = GetForms()
    reader.feed(html)
    return reader.names


def _query(names: set[str], value: str) -> str:
    return urlencode({name: value for name in sorted(names)})


# Every kind of visitor: the permission matrix's roles of the first county, and the second
# county's coordinator.
PEOPLE = (
    "anonymous",
    "nobody",
    "coordinator",
    "secretary",
    "reporter_a",
    "approver_a",
    "reporter_b",
    "reader",
    "coordinator_o",
    "staff",
)


@pytest.fixture
def people(g, other, django_user_model):
    from nollvision.reports.services import report_publish

    world = g.world
    report_publish(campaign=world.campaign, user=world.coordinator)
    people = {
        "anonymous": None,
        "nobody": django_user_model.objects.create_user(username="nobody"),
        "coordinator": world.coordinator,
        "secretary": g.secretary,
        "reporter_a": world.reporter_a,
        "approver_a": world.approver_a,
        "reporter_b": world.reporter_b,
        "reader": world.reader,
        "coordinator_o": other.coordinator,
        "staff": django_user_model.objects.create_user(
            username="drift", is_staff=True, is_superuser=True
        ),
    }
    assert tuple(people) == PEOPLE
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    return clients


def _routes(g) -> list[tuple[str, str, tuple[str, ...]]]:
    """(address, its route's name, the roles that open it with odd values)."""
    world = g.world
    service = SupportService.objects.create(
        key="udda", name={"sv": "Udda"}, needs=["adults"], area=Area.objects.get(code="2281")
    )
    objects = route_objects(
        g,
        service=service,
        membership=Membership.objects.get(user=world.reporter_b).pk,
        county_code="23",
    )
    everyone = tuple(PEOPLE)
    outside = ("anonymous", "coordinator", "staff")  # the public's pages and the accounts'
    routes = [
        (reverse(f"backoffice:{name}", args=arguments(objects)), everyone)
        for name, (arguments, _allowed, _method) in MATRIX.items()
    ]
    slug, year = world.plan.slug, world.campaign.year
    add_meetings(world.plan)  # published minutes: the public minutes page
    routes += [(path, outside) for path in public_routes()]
    routes += [
        (reverse("public:quick-exit"), outside),
        (reverse("public:report-file", args=[slug, year, 1, "pdf"]), outside),
        (reverse("public:plan-document", args=[slug, "pdf"]), outside),
        (reverse("public:plan-version-document", args=[slug, 1, "docx"]), outside),
        (reverse("meetings-feed", args=["not-a-token"]), outside),
        (reverse("set_language"), outside),
        *(
            (reverse(f"accounts:{name}"), outside)
            for name in (
                "login",
                "logout",
                "two-factor-setup",
                "two-factor-verify",
                "password_reset",
                "password_reset_done",
                "password_reset_complete",
            )
        ),
        (reverse("accounts:invitation", args=["not-a-token"]), outside),
        (reverse("accounts:oidc-login"), outside),  # POST only: a GET is refused
        (reverse("oidc-callback"), outside),  # an unknown state: the page that says so
        (reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]), outside),
    ]
    # The admin: its index and every model's list (its filters and search read the address).
    staff_side = ("anonymous", "coordinator", "staff")
    routes.append((reverse("admin:index"), staff_side))
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        routes.append((reverse("admin:{}_{}_changelist".format(*info)), staff_side))
    return [(url, resolve(url).view_name, roles) for url, roles in routes]


def test_odd_query_values_on_every_route_as_every_role_never_answer_500(g, people):
    """The first role a page opens for gets every odd value, in every parameter it may read; the
    other roles get one each (a refusal or a redirect comes before any parameter is read)."""
    read = _names_read_by_views() | ADMIN_PARAMETERS
    assert {"andra", "body", "open", "kommun", "behov", "measure"} <= read, read
    routes = _routes(g)
    tried, opened, reached = 0, set(), set()
    links: dict[str, dict[str, str]] = {role: {} for role in PEOPLE}  # link: the page it is on
    for url, name, roles in routes:
        names, full = set(read), False
        for index, role in enumerate(roles):
            client = people[role]
            values = [ODD[index % len(ODD)]]
            while values:
                value = values.pop()
                address = f"{url}?{_query(names, value)}"
                response = client.get(address)
                assert response.status_code < 500, (url, role, value[:20], response.status_code)
                tried += 1
                if response.status_code == 200 and "text/html" in response["Content-Type"]:
                    opened.add(name)
                    for link in _links(response.content.decode()) - _same_page(address):
                        links[role].setdefault(link, url)
                    if not full:  # the first role the page opens for: every value, every field
                        names |= _get_form_names(response.content.decode())
                        values, full = list(ODD), True
            reached.add(name)
    # Every named route of the URL conf was reached, but the API's (its own fuzz test) and the
    # admin's pages that need an object of their own (history, delete) or take no GET.
    every = {n for n in _view_names() if not n.startswith(("api:", "admin:"))}
    assert every - reached == set(), sorted(every - reached)
    assert len({n for n in reached if n.startswith("admin:")}) > len(admin.site._registry)
    assert {n for n in opened if n.startswith("backoffice:")}, opened
    assert len(opened) > 60, len(opened)
    assert tried > 1000, tried
    # No link answers 403 to the person it is shown to (a dead end): every link to the back
    # office, the accounts and the admin on the pages each role opened, followed as that role.
    followed, dead = 0, []
    for role, found in links.items():
        for link, page in sorted(found.items()):
            status = people[role].get(link).status_code
            assert status < 500, (role, link, status)
            followed += 1
            if status == 403:
                dead.append((role, link, "on", page))
    assert dead == [], "\n".join(map(str, dead))
    assert followed > 100, followed


HREF = re.compile(r'<a [^>]*href="(/[^"#]*)')
# Files are not followed (each would be built): their routes are opened above, as every role.
FILES = re.compile(r"\.(pdf|docx|xlsx|ics|zip|csv|json)(\?|$)")
FOLLOWED = ("/arbete/", "/konto/", "/admin/", "/en/arbete/", "/en/konto/")


def _same_page(address: str) -> set[str]:
    """The page itself in either language (the language switch's link): opened just now, with
    the same odd values, so following it would only fetch the page again."""
    plain = address.removeprefix("/en")
    return {plain, "/en" + plain}


def _links(html: str) -> set[str]:
    """The page's links into the back office, the accounts and the admin."""
    found = {unescape(href) for href in HREF.findall(html)}
    return {link for link in found if link.startswith(FOLLOWED) and not FILES.search(link)}


def _view_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))
