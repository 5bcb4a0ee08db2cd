"""The public face for the record: published reports downloadable by anyone exactly as frozen,
replacements listed with their reason; help first on the home page; the measure page with its
published status and overdue actions; the body page naming each measure."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nollvision.followup.errors import FollowupError
from nollvision.reports.documents import FORMATS
from nollvision.reports.models import PublishedReport
from nollvision.reports.services import report_publish

from .helpers import VASTERNORRLAND_BY_NAME
from .test_public_face import SLUG, accept, add_meetings

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    accept(world, world.response_a, world.reporter_a, world.approver_a)
    return report_publish(campaign=world.campaign, user=world.coordinator)


def _stored(field) -> bytes:
    """The frozen file's bytes, read from the storage itself."""
    with field.storage.open(field.name, "rb") as file:
        file.seek(0)
        return file.read()


def _links(page: str) -> list[str]:
    return re.findall(rf'href="(/planer/{SLUG}/rapporter/[^"]+)"', page)


def _frozen(client, url: str, kind) -> bytes:
    """The file as frozen: a report page's print version (its page is the site's frame around
    it), any other format's download."""
    response = client.get(url + "?utskrift" if kind.is_html else url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_published_report_is_downloadable_without_login_byte_for_byte(client, published):
    page = client.get(f"/planer/{SLUG}/rapporter/").content.decode()
    assert "Uppföljning 2025" in page
    links = _links(page)
    # Every format the publication froze, the annex included.
    assert len(links) == len(FORMATS)
    for fmt, kind in FORMATS.items():
        url = f"/planer/{SLUG}/rapporter/2025/1.{fmt}"
        assert url in links
        response = client.get(url)
        assert response.status_code == 200, url
        public = kind.field_of(public=True)  # the public record serves the public edition
        frozen = _stored(getattr(PublishedReport.objects.get(), public))
        assert _frozen(client, url, kind) == frozen, fmt
        if not kind.is_html:
            assert "attachment" in response["Content-Disposition"]
        else:  # the page shows the frozen file's content in the site's frame
            page = response.content.decode()
            assert 'href="/lamna/"' in page
            assert f'href="{url}?utskrift"' in page
            content = page.split('<div class="report-frame" lang="sv">')[1]
            assert "<h1>" in content
            assert "<main" not in content  # the site's page has its own main landmark
    assert client.get(f"/planer/{SLUG}/rapporter/2025/1.exe").status_code == 404
    assert client.get(f"/planer/{SLUG}/rapporter/2024/1.pdf").status_code == 404
    assert client.get("/planer/ingen-plan/rapporter/2025/1.pdf").status_code == 404


def test_nothing_published_says_so(client, world):
    page = client.get(f"/planer/{SLUG}/rapporter/").content.decode()
    assert "Ingen årsrapport för planen har publicerats ännu." in page
    assert not _links(page)


def test_a_replacement_needs_a_reason_and_the_earlier_one_stays_listed(client, world, published):
    with pytest.raises(FollowupError, match="varför"):
        report_publish(campaign=world.campaign, user=world.coordinator)
    client.force_login(world.coordinator)
    url = reverse("backoffice:report-publish", args=[world.campaign.pk])
    ask = client.post(url)
    assert "Varför ersätter den här publiceringen nummer 1?" in ask.content.decode()
    refused = client.post(url, {"confirmed": "1", "reason": ""})
    assert refused.status_code == 400
    assert PublishedReport.objects.count() == 1
    guarded = client.post(
        url, {"confirmed": "1", "reason": "Gäller 19121212-1212.", "publish_anyway": "on"}
    )
    assert guarded.status_code == 400  # the personal-number guard holds here too
    done = client.post(
        url, {"confirmed": "1", "reason": "Timrås svar kom med.", "publish_anyway": "on"}
    )
    assert done.status_code == 302
    assert PublishedReport.objects.get(number=2).reason == "Timrås svar kom med."
    client.logout()
    page = client.get(f"/planer/{SLUG}/rapporter/").content.decode()
    current = page.split("<details>")[0]
    assert f"/planer/{SLUG}/rapporter/2025/2.pdf" in current
    assert f"/planer/{SLUG}/rapporter/2025/1.pdf" not in current
    replaced = page.split("<details>")[1]
    assert "ersatt av publicering 2" in replaced
    assert "Timrås svar kom med." in replaced
    # The replaced files stay as they were.
    old = b"".join(client.get(f"/planer/{SLUG}/rapporter/2025/1.pdf").streaming_content)
    assert old == _stored(PublishedReport.objects.get(number=1).pdf)


def test_the_plan_menu_links_the_reports(client, world):
    page = client.get(f"/planer/{SLUG}/v1/ansvar/").content.decode()
    assert f'href="/planer/{SLUG}/rapporter/"' in page


def test_the_home_page_leads_with_support(client, world):
    page = client.get("/").content.decode()
    assert page.index("Behöver du stöd?") < page.index("<h1>")
    assert page.index('href="tel:112"') < page.index("<h1>")
    assert 'href="/stod/2281/"' in page.split("<h1>")[0]  # Sundsvall, one tap away
    # The municipalities in alphabetical order (Å, Ä, Ö last), not in the order of their codes.
    listed = re.findall(r'<li><a href="/stod/\d{4}/">([^<]+)</a>', page.split("<h1>")[0])
    assert listed == VASTERNORRLAND_BY_NAME


def test_the_measure_page_shows_its_published_status_and_overdue_actions(client, world):
    from nollvision.meetings.models import Action, AgendaItem

    page = client.get(f"/planer/{SLUG}/v1/atgarder/2.1/").content.decode()
    assert "Ingen uppföljning av planen har publicerats ännu." in page
    accept(world, world.response_a, world.reporter_a, world.approver_a, status="ongoing")
    report_publish(campaign=world.campaign, user=world.coordinator)
    add_meetings(world.plan)
    item = AgendaItem.objects.filter(meeting__minutes_published_at__isnull=False).first()
    action = Action.objects.create(
        item=item,
        text="Ta fram en gemensam rutin",
        organisation=world.response_a.organisation,
        due=timezone.localdate() - timedelta(days=10),
    )
    action.measures.set(world.plan.measures.filter(code="2.1"))
    page = client.get(f"/planer/{SLUG}/v1/atgarder/2.1/").content.decode()
    status = page.split('id="status-heading"')[1].split("</section>")[0]
    assert "uppföljningen 2025" in status
    assert re.search(r"Pågår</th><td>1</td>", status)
    work = page.split("Ta fram en gemensam rutin")[1].split("</li>")[0]
    assert "försenad" in work
    Action.objects.filter(pk=action.pk).update(due=timezone.localdate() + timedelta(days=10))
    page = client.get(f"/planer/{SLUG}/v1/atgarder/2.1/").content.decode()
    assert "försenad" not in page.split("Ta fram en gemensam rutin")[1].split("</li>")[0]


def test_the_body_page_names_each_measure(client, world):
    accept(world, world.response_a, world.reporter_a, world.approver_a, status="ongoing")
    report_publish(campaign=world.campaign, user=world.coordinator)
    page = client.get(f"/planer/{SLUG}/v1/organisationer/sundsvalls-kommun/").content.decode()
    measure = world.plan.measures.get(code="1.1")
    answers = page.split('class="answers"')[1]
    assert f"<strong>1.1</strong> {measure.text}" in answers
