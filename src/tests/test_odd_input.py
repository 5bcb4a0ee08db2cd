"""No input costs a 500, and what people write is guarded wherever they write it (issue 23):
odd numbers in queries and posts ('²' is a digit to str.isdigit, not to int), dates that are
slips of the keyboard, values no field can hold, and personal numbers in names, e-mail addresses
and file names."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nollvision.accounts.models import Invitation, Role, User
from nollvision.accounts.services import AccountError, invitation_accept, invitation_create
from nollvision.core.parsing import whole_number, whole_numbers
from nollvision.indicators.csv_import import CsvError, parse
from nollvision.meetings.attachments import AttachmentRefused
from nollvision.meetings.services import attachment_add
from nollvision.plans.errors import PlanError
from nollvision.plans.services import signing_record

from .conftest import pdf_bytes
from .helpers import plan_draft
from .indicator_rows import HEADER, sourced

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ODD = ["²", "abc", "-1", "1e3", "99999999999999999999", "", "١٢", "１２", " 1", "0x1"]


@pytest.mark.unit
def test_whole_numbers_are_ascii_digits_within_range():
    assert whole_number("12") == 12
    assert [whole_number(value) for value in ODD] == [None] * len(ODD)
    assert whole_numbers(["1", "²", "2", "x"]) == {1, 2}


def test_odd_numbers_in_queries_and_posts_never_answer_500(client, world):
    plan = world.plan
    names = plan_draft(plan)
    client.force_login(world.coordinator)
    signings = reverse("backoffice:plan-signings", args=[plan.slug])
    priorities = reverse("backoffice:priorities", args=[plan.slug])
    action = reverse("backoffice:campaign-action", args=[world.campaign.pk])
    consultation = reverse("backoffice:consultation", args=[names["consultation"]])
    for value in ODD:
        assert client.get(signings, {"body": value}).status_code == 200, value
        assert client.get(priorities, {"andra": value}).status_code in (200, 404), value
        for data in (
            {"action": "copy", "source": value},
            {"action": "remind", "response": value},
            {"action": "open", "participants": value},
        ):
            assert client.post(action, data).status_code == 302, (data, value)
        for data in (
            {"action": "handle", "item": f"a{value}"},
            {"action": "handle", "item": f"m{value}"},
            {"action": "remind", "answer": value},
        ):
            assert client.post(consultation, data).status_code in (302, 400, 404), (data, value)
    clearing = reverse("backoffice:response-clear-body", args=[world.response_a.pk])
    for value in ODD:
        assert client.post(clearing, {"answers": value}).status_code in (302, 403, 404), value


def test_a_meeting_in_year_one_is_a_message_at_the_field(client, g):
    client.force_login(g.secretary)
    url = reverse("backoffice:meeting-create", args=[g.group.pk])
    response = client.post(
        url,
        {"title": "Möte", "starts_at": "0001-01-01T10:00", "ends_at": "0001-01-01T11:00"},
    )
    assert response.status_code in (200, 400)
    assert "Ange ett datum mellan åren 2000 och 2100." in response.content.decode()


def test_a_signing_dated_long_before_the_plan_is_refused(world):
    from nollvision.accounts.models import Organisation

    body = Organisation.objects.get(slug="sundsvalls-kommun")
    data = {"signed_by": "Ordförande", "role": "Ordförande", "signed_on": date(1900, 1, 1)}
    with pytest.raises(PlanError):
        signing_record(plan=world.plan, organisation=body, data=data, user=None)
    data["signed_on"] = date(2022, 3, 8)
    assert signing_record(plan=world.plan, organisation=body, data=data, user=None).pk


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{code},0022,²,T,1,,", "'²' is not a year"),
        ("{code},0022,2024,T,1e10,,", "is too large"),
        ("{code},0022,2024,T,1e400,,", "is too large"),
        ("{code},0022,2024,T,NaN,,", "is not a number"),
        ("{code},0022,2024,T,Infinity,,", "is not a number"),
        ("{code},0022,2024,T," + "1" * 140_000 + ",,", "cannot be read"),
    ],
)
def test_indicator_values_no_field_can_hold_are_refused_at_upload(default_plan, row, message):
    from django.core.management import call_command
    from django.utils import translation

    from nollvision.indicators.models import Indicator

    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    code = Indicator.objects.filter(development=False).first().code
    with translation.override("en"), pytest.raises(CsvError) as refused:
        parse((HEADER + sourced(row.format(code=code))).encode())
    assert message in str(refused.value), refused.value.args


def test_a_value_is_rounded_to_what_the_field_keeps(default_plan):
    from django.core.management import call_command

    from nollvision.indicators.models import Indicator

    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    code = Indicator.objects.filter(development=False).first().code
    rows = parse((HEADER + sourced(f"{code},0022,2024,T,12.345678,,")).encode())
    assert str(rows[0].value) == "12.3457"


PERSONAL = "Anna 19121212\u200b-1212"


def test_the_name_given_on_accepting_an_invitation_is_guarded(world):
    _invitation, token = _invite(world, "ny@example.invalid")
    for name in (PERSONAL, "Anna \u202eevil"):
        with pytest.raises(AccountError):
            invitation_accept(token=token, password="ett-langt-losenord-1", full_name=name)
    assert not User.objects.filter(username="ny@example.invalid").exists()
    user = invitation_accept(token=token, password="ett-langt-losenord-1", full_name="Anna Berg")
    assert (user.first_name, user.last_name) == ("Anna", "Berg")


def test_an_invitation_to_an_address_with_a_personal_number_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises((ValidationError, AccountError)):
        _invite(world, "19121212-1212@example.invalid")
    assert not Invitation.objects.filter(email__startswith="19121212").exists()


def test_an_attachment_named_with_a_personal_number_is_refused(g):
    for name in ("protokoll 121212-1212.pdf", "protokoll 1212\u200c121212.pdf"):
        with pytest.raises(AttachmentRefused):
            attachment_add(
                meeting=g.meeting, uploaded=SimpleUploadedFile(name, pdf_bytes()), user=None
            )
    assert not g.meeting.attachments.filter(name__contains="1212").exists()


def _invite(world, email: str):
    invitation_create(
        email=email,
        organisation=world.response_a.organisation,
        role=Role.REPORTER,
        invited_by=world.coordinator,
        base_url="https://nollvision.example/",
    )
    invitation = Invitation.objects.get(email=email)
    from django.core import mail

    body = mail.outbox[-1].body
    token = body.split("/inbjudan/")[1].split("/")[0]
    return invitation, token


def test_a_list_of_ids_out_of_an_integer_columns_range_finds_nothing_and_fails_nothing(world):
    """`in` with numbers no id can be (core/lookups.py) on SQLite and PostgreSQL alike, through
    the primary key, a foreign key and a form's multiple choice."""
    from django import forms

    from nollvision.plans.models import Measure

    measure = world.plan.measures.order_by("pk").first()
    huge, tiny = 10**30, -(10**30)
    assert list(Measure.objects.filter(pk__in=[huge, tiny, measure.pk])) == [measure]
    assert not Measure.objects.filter(pk__in=[huge]).exists()
    assert Measure.objects.filter(goal__in=[huge, measure.goal_id]).count() == (
        measure.goal.measures.count()
    )
    field = forms.ModelMultipleChoiceField(queryset=Measure.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([str(huge)])
    assert list(field.clean([str(measure.pk)])) == [measure]
