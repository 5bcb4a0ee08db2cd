"""The back office through HTTP: who sees what, saving from the page, conflicts, lost sessions."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nollvision.backoffice.answer_page import fill_missing
from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import Response
from nollvision.followup.selectors import response_form_data
from nollvision.followup.services import campaign_create, campaign_open
from nollvision.reports.models import PublishedReport

from .conftest import answer_everything

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = ["anonymous", "reporter_a", "approver_a", "reporter_b", "coordinator", "reader"]


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def page_data(response) -> QueryDict:
    """What the answer page would post if nothing were changed."""
    post = QueryDict(mutable=True)
    fresh = Response.objects.get(pk=response.pk)
    fill_missing(post, fresh, response_form_data(fresh))
    return post


def urls(world):
    pk = world.response_a.pk
    answer = world.response_a.measure_answers.first()
    return {
        "home": ("get", reverse("backoffice:home")),
        "response": ("get", reverse("backoffice:response", args=[pk])),
        "history": ("get", reverse("backoffice:response-history", args=[pk])),
        "excel": ("get", reverse("backoffice:response-excel", args=[pk])),
        "upload": ("get", reverse("backoffice:response-upload", args=[pk])),
        "save": ("post", reverse("backoffice:response", args=[pk])),
        "transition": ("post", reverse("backoffice:response-transition", args=[pk])),
        "assign": ("post", reverse("backoffice:response-assign", args=[pk])),
        "previous": ("post", reverse("backoffice:response-previous", args=[pk])),
        "clear": ("post", reverse("backoffice:response-clear", args=[pk, answer.pk])),
        "campaign": ("get", reverse("backoffice:campaign", args=[world.campaign.pk])),
        "campaign-create": ("get", reverse("backoffice:campaign-create")),
        "campaign-action": (
            "post",
            reverse("backoffice:campaign-action", args=[world.campaign.pk]),
        ),
        "members": ("get", reverse("backoffice:members")),
    }


LOGIN = "login"
# Expected answer per URL for: anonymous, reporter_a, approver_a, reporter_b, coordinator,
# reader. Response A is a draft of Sundsvall's: only Sundsvall's people may see it.
DRAFT_MATRIX = {
    "home": [LOGIN, 200, 200, 200, 200, 200],
    "response": [LOGIN, 200, 200, 404, 404, 404],
    "history": [LOGIN, 200, 200, 404, 404, 404],
    "excel": [LOGIN, 200, 200, 404, 404, 404],
    "upload": [LOGIN, 200, 200, 404, 404, 404],
    "save": [LOGIN, 302, 302, 404, 404, 404],
    "transition": [LOGIN, 302, 302, 404, 404, 404],
    "assign": [LOGIN, 302, 302, 404, 404, 404],
    "previous": [LOGIN, 302, 302, 404, 404, 404],
    "clear": [LOGIN, 403, 403, 404, 404, 404],
    "campaign": [LOGIN, 403, 403, 403, 200, 403],
    "campaign-create": [LOGIN, 403, 403, 403, 200, 403],
    "campaign-action": [LOGIN, 403, 403, 403, 302, 403],
    "members": [LOGIN, 403, 403, 403, 200, 403],
}
# Once accepted the county board and readers see it; nobody may change it.
ACCEPTED_MATRIX = {
    "response": [LOGIN, 200, 200, 404, 200, 200],
    "history": [LOGIN, 200, 200, 404, 200, 200],
    "save": [LOGIN, 403, 403, 404, 403, 403],
    "upload": [LOGIN, 403, 403, 404, 403, 403],
    "assign": [LOGIN, 403, 403, 404, 403, 403],
    "clear": [LOGIN, 403, 403, 404, 302, 403],
}


def check(client, world, matrix):
    routes = urls(world)
    results = {}
    for name, expected in matrix.items():
        method, url = routes[name]
        for role in ROLES[: len(expected)]:
            client.logout()
            client_for(client, world, role)
            data = page_data(world.response_a) if name == "save" else {"action": "open"}
            reply = client.post(url, data) if method == "post" else client.get(url)
            got = reply.status_code
            if got == 302 and reply["Location"].startswith(reverse("accounts:login")):
                got = LOGIN
            results[(name, role)] = got
    assert results == {
        (name, role): wanted
        for name, expected in matrix.items()
        for role, wanted in zip(ROLES, expected, strict=True)
    }


def test_permission_matrix_for_a_draft(client, world):
    answer_everything(world.response_a, world.reporter_a)
    check(client, world, DRAFT_MATRIX)


def test_permission_matrix_for_an_accepted_answer(client, world):
    Response.objects.filter(pk=world.response_a.pk).update(status=ResponseStatus.ACCEPTED)
    check(client, world, ACCEPTED_MATRIX)


def test_save_from_the_page_and_see_it_after_reload(client, world):
    client.force_login(world.reporter_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    post = page_data(world.response_a)
    post[f"m{answer.pk}-status"] = "ongoing"
    post[f"m{answer.pk}-done"] = "Arbetsplatsträffar om normer hölls."
    reply = client.post(reverse("backoffice:response", args=[world.response_a.pk]), post)
    assert reply.status_code == 302
    page = client.get(reply["Location"]).content.decode()
    assert "Arbetsplatsträffar om normer hölls." in page
    assert "Sparat." in page


def test_second_save_from_the_same_page_shows_both_versions(client, world):
    client.force_login(world.reporter_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    url = reverse("backoffice:response", args=[world.response_a.pk])
    first, second = page_data(world.response_a), page_data(world.response_a)
    first[f"m{answer.pk}-done"] = "Texten från den första fliken."
    second[f"m{answer.pk}-done"] = "Texten från den andra fliken."
    assert client.post(url, first).status_code == 302
    reply = client.post(url, second)
    assert reply.status_code == 409
    page = reply.content.decode()
    assert "Texten från den första fliken." in page
    assert "Texten från den andra fliken." in page
    answer.refresh_from_db()
    assert answer.done == "Texten från den första fliken."


def test_personal_number_in_the_form_is_refused_with_a_reason(client, world):
    client.force_login(world.reporter_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    post = page_data(world.response_a)
    post[f"m{answer.pk}-done"] = "Gällde 121212-1212."
    reply = client.post(reverse("backoffice:response", args=[world.response_a.pk]), post)
    assert reply.status_code == 400
    assert "personnummer" in reply.content.decode()
    answer.refresh_from_db()
    assert answer.done == ""


def test_text_survives_an_expired_session(client, world):
    answer = world.response_a.measure_answers.order_by("pk").first()
    url = reverse("backoffice:response", args=[world.response_a.pk])
    post = page_data(world.response_a)
    post[f"m{answer.pk}-done"] = "Text skriven medan sessionen gick ut."
    client.force_login(world.reporter_a)
    Session.objects.all().delete()  # the session ran out; the browser still sends its cookie
    reply = client.post(url, post)  # not logged in any more
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("accounts:login"))
    client.post(reply["Location"], {"username": "reporter_a", "password": "a-long-test-password"})
    page = client.get(url).content.decode()
    assert "Text skriven medan sessionen gick ut." in page
    client.post(url, page_data_from(page, world))
    answer.refresh_from_db()
    assert answer.done == "Text skriven medan sessionen gick ut."


def page_data_from(html, world):
    """Post back what the restored page shows (the restored text is in its textarea)."""
    post = page_data(world.response_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    post[f"m{answer.pk}-done"] = (
        "Text skriven medan sessionen gick ut."
        if ("Text skriven medan sessionen gick ut." in html)
        else ""
    )
    return post


def test_autosave_answers_with_json_and_new_versions(client, world):
    client.force_login(world.reporter_a)
    answer = world.response_a.measure_answers.order_by("pk").first()
    post = page_data(world.response_a)
    post[f"m{answer.pk}-done"] = "Autosparad text."
    reply = client.post(
        reverse("backoffice:response", args=[world.response_a.pk]),
        post,
        headers={"X-Autosave": "1"},
    )
    assert reply.status_code == 200
    assert reply.json()["saved"] is True
    assert reply.json()["versions"][f"m{answer.pk}-version"] == 1


def test_coordinator_returns_with_a_comment_and_reporter_sees_it(client, world):
    answer_everything(world.response_a, world.reporter_a)
    url = reverse("backoffice:response-transition", args=[world.response_a.pk])
    client.force_login(world.reporter_a)
    ask = client.post(url, {"action": "submit"}).content.decode()
    assert "Skicka svaret till godkännaren?" in ask  # a confirmation first, with a summary
    assert "approver_a" in ask  # who receives it
    assert Response.objects.get(pk=world.response_a.pk).status == ResponseStatus.DRAFT
    done = client.post(url, {"action": "submit", "confirmed": "1"}, follow=True).content.decode()
    assert "Skickat till godkännarna för Sundsvalls kommun." in done
    client.force_login(world.approver_a)
    client.post(url, {"action": "approve", "confirmed": "1"})
    client.force_login(world.coordinator)
    comment = {"action": "return", "comment-measure:1.2": "Beskriv skolans arbete."}
    ask = client.post(url, comment).content.decode()
    assert "Beskriv skolans arbete." in ask
    client.post(url, {**comment, "confirmed": "1"})
    client.force_login(world.reporter_a)
    page = client.get(reverse("backoffice:response", args=[world.response_a.pk])).content.decode()
    # The returned answer opens on the reviewer's comments, each linking to its measure.
    returned = page.split('id="returned"')[1].split("</section>")[0]
    assert "Beskriv skolans arbete." in returned
    measure = world.response_a.measure_answers.get(measure__code="1.2")
    assert f'href="#m{measure.pk}"' in returned
    assert Response.objects.get(pk=world.response_a.pk).status == ResponseStatus.RETURNED


def test_answer_page_query_count_does_not_grow_with_measures(client, world):
    police = world.campaign.responses.get(organisation__slug="polismyndigheten-vasternorrland")
    from nollvision.accounts.models import Membership, Role

    Membership.objects.create(
        user=world.reporter_a, organisation=police.organisation, role=Role.REPORTER
    )
    client.force_login(world.reporter_a)
    counts = []
    for response in (police, world.response_a):
        client.get(reverse("backoffice:response", args=[response.pk]))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("backoffice:response", args=[response.pk])).status_code == 200
        counts.append(len(queries))
    assert police.measure_answers.count() < world.response_a.measure_answers.count()
    assert counts[0] == counts[1]
    assert counts[1] <= 15


@pytest.mark.parametrize("bodies", [1, 3])
def test_overview_query_count_is_the_same_for_1_and_3_bodies(client, world, bodies):
    from nollvision.accounts.models import Organisation

    campaign = campaign_create(plan=world.plan, year=2030, deadline=world.campaign.deadline)
    campaign_open(
        campaign=campaign,
        organisations=Organisation.objects.filter(kind__code="municipality")[:bodies],
    )
    client.force_login(world.coordinator)
    url = reverse("backoffice:campaign", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count('<th scope="row">') == bodies
    assert len(queries) <= 10
    assert len(queries) == 9  # one of them: the prioritised measures, for the filter


def test_the_page_shows_who_holds_what(client, world):
    client.force_login(world.reporter_a)
    ids = list(
        world.response_a.measure_answers.filter(measure__code__in=["2.1", "2.2"]).values_list(
            "pk", flat=True
        )
    )
    reply = client.post(
        reverse("backoffice:response-assign", args=[world.response_a.pk]),
        {"assignee": world.approver_a.pk, "answers": ids, "body": "on"},
    )
    assert reply.status_code == 302
    page = client.get(reverse("backoffice:response", args=[world.response_a.pk])).content.decode()
    assert "approver_a: 2.1, 2.2, frågorna om verksamheten" in page


def test_coordinator_creates_and_opens_a_follow_up_for_chosen_bodies(client, world):
    from nollvision.accounts.models import Organisation
    from nollvision.followup.models import Campaign

    client.force_login(world.coordinator)
    reply = client.post(
        reverse("backoffice:campaign-create"),
        {"plan": world.plan.pk, "year": 2031, "deadline": "2032-02-15", "introduction": "Hej"},
    )
    campaign = Campaign.objects.get(year=2031)
    assert reply["Location"] == reverse("backoffice:campaign", args=[campaign.pk])
    page = client.get(reply["Location"]).content.decode()
    assert (
        page.count('name="participants"')
        == Organisation.objects.filter(region=world.plan.region).count()
    )
    chosen = Organisation.objects.filter(slug__in=["timra-kommun", "ange-kommun"])
    client.post(
        reverse("backoffice:campaign-action", args=[campaign.pk]),
        {"action": "open", "participants": [o.pk for o in chosen]},
    )
    campaign.refresh_from_db()
    assert campaign.status == "open"
    assert set(campaign.responses.values_list("organisation__slug", flat=True)) == {
        "timra-kommun",
        "ange-kommun",
    }


def test_coordinator_removes_a_role_but_not_their_own(client, world):
    from nollvision.accounts.models import Membership

    client.force_login(world.coordinator)
    theirs = Membership.objects.get(user=world.reporter_b)
    own = Membership.objects.get(user=world.coordinator)
    ask = client.post(reverse("backoffice:membership-remove", args=[theirs.pk]))
    assert "Ta bort rollen" in ask.content.decode()  # a confirmation first, nothing removed
    assert Membership.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("backoffice:membership-remove", args=[theirs.pk]), {"confirmed": "1"})
    client.post(reverse("backoffice:membership-remove", args=[own.pk]), {"confirmed": "1"})
    assert not Membership.objects.filter(pk=theirs.pk).exists()
    assert Membership.objects.filter(pk=own.pk).exists()
    client.force_login(world.reporter_a)
    reply = client.post(reverse("backoffice:membership-remove", args=[own.pk]), {"confirmed": "1"})
    assert reply.status_code == 403


@pytest.mark.django_db
def test_a_confirmation_opened_again_says_nothing_happened_and_leads_back(client, world):
    """A reload, the Back button or the language switch opens a form-only page with GET: a page
    in the site's frame (still a 405, with its Allow header) that says nothing happened and
    links to the page the form belongs to, never an empty 405."""
    status = reverse("backoffice:response-transition", args=[world.response_a.pk])
    assert client.get(status)["Location"].startswith("/konto/logga-in/")  # not logged in
    client.force_login(world.reporter_a)
    response = client.get(status)
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert "Sidan tar bara emot ett formulär" in page
    assert f'href="{reverse("backoffice:response", args=[world.response_a.pk])}"' in page
    client.force_login(world.coordinator)
    publish = reverse("backoffice:report-publish", args=[world.campaign.pk])
    report = reverse("backoffice:report", args=[world.campaign.pk])
    page = client.get("/en" + publish).content.decode()  # the language switch
    assert "This page only takes a form" in page
    assert f'href="/en{report}"' in page
    assert 'lang="en"' in page
    # Nothing was published by opening it.
    assert not PublishedReport.objects.filter(report__campaign=world.campaign).exists()
