"""A corpus of hostile input typed into every field of every form the back office renders.

For each route of the permission matrix, the page is opened as someone who may use it, every form
on it that posts is read, and each text field in turn gets each entry of the corpus (the other
fields keep what the page had); then every other field (choices, numbers, dates, hidden fields)
gets each odd value of helpers.ODD at once. Every answer must be a page or a redirect, never a
server error; afterwards no personal number, invisible control character or over-long text is stored anywhere
in the database, and markup and formulas are stored only as inert text."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from nollvision.accounts.models import Membership, Role
from nollvision.core.fields import TEXT_MAX
from nollvision.core.validators import find_personal_numbers, invisible_characters
from nollvision.followup.enums import Action
from nollvision.followup.services import response_transition
from nollvision.indicators.models import Area
from nollvision.reports.services import report_publish
from nollvision.support.models import SupportService

from .conftest import answer_everything
from .helpers import ODD, route_objects
from .test_permission_matrix import MATRIX

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.slow]

# Test numbers from the public test series, never anyone's; in the spellings people use.
# One entry a kind of harm: every field is guarded by the same functions, whose spellings (every
# way of writing a personal number, every formula prefix) are tested in test_personal_numbers.py
# and test_text_guards.py; here each field shows it goes through them.
CORPUS = [
    "Kontakt: 12 12 12 – 1212",  # a personal number, spaced and with a dash
    "Samordningsnummer 701063-2391",
    "<script>alert('x')</script>{{ 7|add:1 }}{% debug %}<img src=x onerror=alert(1)>",
    '=HYPERLINK("https://example.invalid/","Klicka")',
    "Protokoll \u202efdp.exe",
    "Rad ett\r\nBcc: someone@example.invalid",
    "noll\x00tecken",
    "x" * (TEXT_MAX + 1),
]
TEXT_INPUTS = {"text", "search", "email", "url", "tel", ""}


class FormReader(HTMLParser):
    """The forms of a page that post, with every field and the value the page gives it."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._by_id: dict[str, dict] = {}
        self._outside: dict[str, dict] = {}  # fields with a form="…" attribute, by form id

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": [], "texts": []}
            self.forms.append(self._form)
            if attrs.get("id"):
                self._by_id[attrs["id"]] = self._form
            return
        owner = attrs.get("form")
        if owner and tag in ("input", "textarea", "select"):
            outer, self._form = (
                self._form,
                self._outside.setdefault(owner, {"fields": [], "texts": []}),
            )
            self._field(tag, attrs)
            if tag != "textarea":
                self._form = outer
            else:
                self._resume = outer
            return
        if self._form is None:
            return
        self._field(tag, attrs)

    def close(self):
        super().close()
        for owner, extra in self._outside.items():
            if owner in self._by_id:
                self._by_id[owner]["fields"] += extra["fields"]
                self._by_id[owner]["texts"] += extra["texts"]

    def _field(self, tag, attrs):
        if tag == "form":
            return
        if tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("file", "submit", "button"):
                self._form["fields"].append((attrs["name"], attrs.get("value", "")))
                if kind in TEXT_INPUTS:
                    self._form["texts"].append(attrs["name"])
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form["fields"].append((attrs["name"], ""))
            self._form["texts"].append(attrs["name"])
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            if self._select["first"] is None:
                self._select["first"] = attrs.get("value", "")
            if "selected" in attrs:
                self._select["chosen"].append(attrs.get("value", ""))
        elif tag == "button" and attrs.get("name"):
            self._form.setdefault("button", (attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            values = self._select["chosen"] or [self._select["first"] or ""]
            self._form["fields"] += [(self._select["name"], value) for value in values]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
            if hasattr(self, "_resume"):
                self._form = self._resume
                del self._resume

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data.lstrip("\n"))


def _forms(html: str) -> list[dict]:
    reader = FormReader()
    reader.feed(html)
    reader.close()
    return [f for f in reader.forms if f["texts"]]


def _shape(name: str) -> str:
    """Fields that repeat per item (m123-done, member_4) are tried once per form."""
    return "".join("#" if c.isdigit() else c for c in name)


def _objects(g, other):
    world = g.world
    report_publish(campaign=world.campaign, user=world.coordinator)
    service = SupportService.objects.create(
        key="korpus",
        name={"sv": "Korpustjänsten"},
        needs=["adults"],
        area=Area.objects.get(code="2281"),
    )
    return route_objects(
        g,
        service=service,
        membership=Membership.objects.get(user=world.reporter_b).pk,
        county_code="23",
    )


def test_hostile_input_in_every_back_office_form(g, other, django_user_model):
    world = g.world
    objects = _objects(g, other)
    people = {
        "coordinator": world.coordinator,
        "secretary": g.secretary,
        "reporter_a": world.reporter_a,
        "approver_a": world.approver_a,
        "reader": world.reader,
        "staff": django_user_model.objects.create_user(username="drift", is_staff=True),
    }
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    pages = []
    for name, (arguments, allowed, method) in MATRIX.items():
        role = next((r for r in people if r in allowed), None)
        if method == "GET" and role is not None:
            pages.append((name, reverse(f"backoffice:{name}", args=arguments(objects)), role))
    # The answer as the county board reviews it (return with a reason and comments).
    approver_b = django_user_model.objects.create_user(username="approver_b")
    Membership.objects.create(
        user=approver_b, organisation=world.response_b.organisation, role=Role.APPROVER
    )
    answer_everything(world.response_b, world.reporter_b)
    response_transition(response=world.response_b, user=world.reporter_b, action=Action.SUBMIT)
    response_transition(response=world.response_b, user=approver_b, action=Action.APPROVE)
    pages.append(
        ("review", reverse("backoffice:response", args=[world.response_b.pk]), "coordinator")
    )
    tried, forms_seen = 0, set()
    for name, url, role in pages:
        client = clients[role]
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page["Content-Type"]:
            continue
        for form in _forms(page.content.decode()):
            action = form["action"] or url
            forms_seen.add((name, action.split("?")[0]))
            shapes = set()
            for field in form["texts"]:
                if _shape(field) in shapes:
                    continue
                shapes.add(_shape(field))
                for hostile in CORPUS:
                    payload = [(k, hostile if k == field else v) for k, v in form["fields"]]
                    if "button" in form:
                        payload.append(form["button"])
                    data: dict[str, list[str]] = {}
                    for key, value in payload:
                        data.setdefault(key, []).append(value)
                    response = client.post(action, data)  # a server error raises here
                    assert response.status_code < 500, (name, field, hostile[:40])
                    # Refused where it was typed (a form's message), not by the last line of
                    # defence (core/errors.py); a NUL is turned away before any form.
                    if "\x00" not in hostile:
                        assert b"error-summary refused" not in response.content, (name, field)
                    tried += 1
            # Odd values in every other field at once (choices, numbers, dates, hidden fields).
            others = {k for k, _v in form["fields"]} - set(form["texts"])
            for odd in ODD:
                data = {}
                for key, value in form["fields"]:
                    data.setdefault(key, []).append(odd if key in others else value)
                if "button" in form:
                    data.setdefault(form["button"][0], []).append(form["button"][1])
                response = client.post(action, data)
                assert response.status_code < 500, (name, sorted(others), odd[:20])
                tried += 1
    assert len(forms_seen) >= 17, sorted(forms_seen)
    assert tried > 300
    _nothing_hostile_is_stored()


def _stored_texts():
    """Every text value of every model of the project (history copies included)."""
    for model in apps.get_models():
        if (
            not model.__module__.startswith("nollvision.")
            and "historical" not in model.__name__.lower()
        ):
            continue
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list(*names) if names else []:
            for name, value in zip(names, row, strict=True):
                yield model, name, value


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _limit(model, name) -> int:
    field = model._meta.get_field(name)
    return getattr(field, "text_max", None) or field.max_length or TEXT_MAX


# Values the platform makes, never a person: hashes, checksums and encrypted secrets are random
# hexadecimal or base64, and ten digits in a row among them can pass for a personal number by
# chance (a password hash did once).
MACHINE_MADE = {
    "password",
    "token_hash",
    "client_secret_encrypted",
    "checksums",
    "public_checksums",
}


def _nothing_hostile_is_stored():
    problems = []
    for model, name, value in _stored_texts():
        if name in MACHINE_MADE:
            continue
        limit = _limit(model, name)
        for text in _strings(value):
            if find_personal_numbers(text):
                problems.append((model.__name__, name, "personal number", text[:60]))
            if invisible_characters(text, multiline=True):
                problems.append((model.__name__, name, "control characters", text[:60]))
            if len(text) > limit:
                problems.append((model.__name__, name, "too long", len(text)))
    assert problems == [], "\n".join(map(str, problems))
