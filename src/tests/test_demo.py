"""Demo data: three years of follow-ups and a user for every role, development only."""

import html
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nollvision.accounts.models import Membership, User
from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import Campaign, Response

from .conftest import built_once

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """The default plan and the demo, loaded once for this module (conftest.built_once)."""
    with built_once(django_db_blocker):
        call_command("import_plan", verbosity=0)
        out = io.StringIO()
        call_command("load_demo", verbosity=0, stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once  # what load_demo printed


def test_setting_up_the_demo_says_what_was_done_and_prints_no_addresses(demo):
    """`make run` prints what the demo made, not the e-mails its hand-offs would send."""
    from django.core import mail

    made = re.match(r"Demo: (\d+) users in every role \(password nollvision-demo", demo)
    assert made is not None, demo
    assert int(made.group(1)) >= 2 * 15  # a reporter and an approver of each of the 15 bodies
    assert "follow-ups for 2023, 2024, 2025 (the reports of 2023, 2024 published)" in demo
    assert re.search(r"; \d+ e-mails kept back, not sent\.$", demo.strip()), demo
    assert "@" not in demo
    assert "example.invalid" not in demo
    assert mail.outbox == []  # kept back, not sent


def test_demo_creates_three_years_with_every_state(demo):
    assert list(Campaign.objects.order_by("year").values_list("year", "status")) == [
        (2023, "closed"),
        (2024, "closed"),
        (2025, "open"),
    ]
    latest = set(Response.objects.filter(campaign__year=2025).values_list("status", flat=True))
    assert {
        ResponseStatus.ACCEPTED,
        ResponseStatus.RETURNED,
        ResponseStatus.NOT_STARTED,
        ResponseStatus.DRAFT,
        ResponseStatus.SUBMITTED,
    } <= latest
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"coordinator", "reporter", "approver", "reader"}
    assert User.objects.get(username="samordnare").check_password("nollvision-demo")
    # Every demo person in the workflow has a name that says the role: pages name people.
    for username in ("samordnare", "rapportor-sundsvall", "godkannare-sundsvall"):
        assert str(User.objects.get(username=username)).startswith("Demo "), username
    call_command("load_demo", "--if-missing", verbosity=0)
    assert Campaign.objects.count() == 3


def test_the_demos_public_reports_hold_only_allowed_and_cleared_texts(demo, client):
    """The demo publishes 2023 and 2024 with answers in every state of publication: its public
    annexes show the texts the bodies allowed and the board cleared, and no other."""
    from nollvision.followup.models import MeasureAnswer
    from nollvision.reports.models import PublishedReport

    publications = list(PublishedReport.objects.select_related("report__campaign__plan"))
    assert len(publications) >= 2
    hidden = shown = 0
    for publication in publications:
        campaign = publication.report.campaign
        url = (
            f"/planer/{campaign.plan.slug}/rapporter/{campaign.year}/{publication.number}"
            ".bilaga.html"
        )
        annex = client.get(url).content.decode()
        answers = MeasureAnswer.objects.filter(
            response__campaign=campaign, response__status=ResponseStatus.ACCEPTED
        ).select_related("response", "measure")
        for answer in answers:
            # The body's own section, and in it the measure's entry: its text or a dash.
            section = annex.split(f'id="body-{answer.response.organisation_id}-name"')[1]
            section = section.split("</section>")[0]
            entry = section.split(f"<dt>{answer.measure.code} (")[1].split("</dd>")[0]
            entry = html.unescape(entry.split("<dd>")[1])
            if answer.may_publish and answer.cleared_at is not None:
                shown += 1
                assert entry == (answer.done or "–"), (url, answer.pk)
            elif answer.done:
                hidden += 1
                assert entry == "–", (url, answer.pk)
    assert hidden > 0  # the demo has texts that must stay back, and they do
    assert shown > 0


@override_settings(NOLLVISION_ALLOW_DEMO_DATA=False)
def test_demo_is_refused_where_not_allowed(default_plan):
    users = User.objects.count()  # the module's demo may be there already (built once)
    with pytest.raises(CommandError, match="may not be created"):
        call_command("load_demo")
    assert User.objects.count() == users


@pytest.mark.parametrize(
    ("arguments", "address"),
    [
        (["PORT=8011"], "http://127.0.0.1:8011"),
        (["PORT=8011", "BASE_URL=https://nollvision.example"], "https://nollvision.example"),
    ],
)
def test_make_run_on_another_port_links_its_e_mail_to_that_port(arguments, address):
    """The server and the worker both get the address the e-mail links lead to: a second
    instance's messages never send people to the first."""
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    recipe = subprocess.run(  # noqa: S603 - the project's own Makefile, printed, not run
        [shutil.which("make"), "--dry-run", "--no-print-directory", "run", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serving = recipe[recipe.index(f"export BASE_URL='{address}'") :]
    assert serving.index("qcluster") < serving.index("runserver 127.0.0.1:8011")
