"""Quick exit, and public pages that set no cookies."""

import pytest
from django.test import Client
from django.urls import reverse

PUBLIC = [
    "/",
    "/en/",
    "/planer/",
    "/planer/vasternorrland-2022-2026/v1/ansvar/",
    "/planer/vasternorrland-2022-2026/v1/samverkan/",
    "/indikatorer/",
    "/siffror/",
    "/surfa-sakrare/",
    "/en/surfa-sakrare/",
]


@pytest.mark.integration
@pytest.mark.django_db
def test_public_pages_set_no_cookies_and_link_the_other_language(client, default_plan):
    for url in PUBLIC:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.cookies == {}, url
    page = client.get("/planer/vasternorrland-2022-2026/v1/ansvar/").content.decode()
    assert 'href="/en/planer/vasternorrland-2022-2026/v1/ansvar/" lang="en"' in page
    assert 'href="/lamna/"' in page


@pytest.mark.integration
@pytest.mark.django_db
def test_quick_exit_without_javascript_ends_the_session_only_on_its_own_post(
    client, settings, staff_user
):
    client.force_login(staff_user)
    # A GET (which any other site can make a browser send) leaves the page and changes nothing.
    response = client.get(reverse("public:quick-exit"))
    assert (response.status_code, response["Location"]) == (302, settings.NOLLVISION_QUICK_EXIT_URL)
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    # The logged-in person's button is a form that posts with its CSRF token.
    page = client.get("/").content.decode()
    form = page.split('<form class="quick-exit__form"')[1].split("</form>")[0]
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    # Without the token the POST is refused, and the session stays.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_user)
    assert strict.post(reverse("public:quick-exit")).status_code == 403
    assert strict.session["_auth_user_id"] == str(staff_user.pk)
    response = client.post(reverse("public:quick-exit"))
    assert (response.status_code, response["Location"]) == (302, settings.NOLLVISION_QUICK_EXIT_URL)
    assert "_auth_user_id" not in client.session


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit_in_the_browser_leaves_and_stays_out_of_back_history(
    page, plan_site, settings, how
):
    settings.NOLLVISION_QUICK_EXIT_URL = plan_site + "/surfa-sakrare/?lamnat=1"
    page.goto(plan_site + "/planer/")
    page.goto(plan_site + "/planer/vasternorrland-2022-2026/v1/ansvar/")
    if how == "button":
        page.get_by_role("link", name="Lämna sidan snabbt").click()
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url("**lamnat=1")
    page.go_back()
    assert page.url == plan_site + "/planer/"  # the support page itself is gone from history
