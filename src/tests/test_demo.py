"""Demo data: three years of follow-ups and a user for every role, development only."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nollvision.accounts.models import Membership, User
from nollvision.followup.enums import ResponseStatus
from nollvision.followup.models import Campaign, Response

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.slow]


def test_demo_creates_three_years_with_every_state(default_plan):
    call_command("load_demo", verbosity=0)
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
    call_command("load_demo", "--if-missing", verbosity=0)
    assert Campaign.objects.count() == 3


@override_settings(NOLLVISION_ALLOW_DEMO_DATA=False)
def test_demo_is_refused_where_not_allowed(default_plan):
    with pytest.raises(CommandError, match="may not be created"):
        call_command("load_demo")
    assert not User.objects.exists()
