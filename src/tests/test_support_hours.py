"""What a person in need reads about a support line is exactly what its source says, with the
day it was checked: opening hours as data ("open now", "opens Monday at 09:00") in both
languages, open lines before closed ones after 112, sources on every fact, the yearly check of
every entry (permanent numbers too), and the correction of the honour line reaching installations
that already hold the old entry."""

import datetime
import importlib
import io
import re

import pytest
import time_machine
import yaml
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from nollvision.core import yamldata
from nollvision.support import hours
from nollvision.support.models import SupportService
from nollvision.support.services import DATA, SERVICES_FILE, SupportDataError, services_load

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))  # winter time, as in the tests' dates
# Fixed moments (winter, no public holiday): Monday 7 December 2026 10:00 and 12:30; Saturday
# 5 December 2026 10:00; Wednesday 9 December 2026 08:59.
MONDAY_10 = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=STOCKHOLM)
MONDAY_1230 = datetime.datetime(2026, 12, 7, 12, 30, tzinfo=STOCKHOLM)
SATURDAY_10 = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=STOCKHOLM)
WEDNESDAY_0859 = datetime.datetime(2026, 12, 9, 8, 59, tzinfo=STOCKHOLM)
HONOUR = "Mo,We,Fr 09:00-12:00"


def names(page: str) -> list[str]:
    return re.findall(r'<h2 class="service__name">([^<]+)</h2>', page)


def status_of(page: str, name: str) -> str:
    """The "open now" line of one service on the support page."""
    block = page.split(f'<h2 class="service__name">{name}</h2>')[1].split("</li>")[0]
    found = re.search(r'<p class="service__status[^"]*">([^<]+)</p>', block)
    return found.group(1) if found else ""


# --- Opening hours as data ---------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        (MONDAY_10, "sv", "Öppet nu, stänger 12:00"),
        (MONDAY_10, "en", "Open now, closes at 12:00"),
        (MONDAY_1230, "sv", "Stängt nu, öppnar onsdag 09:00"),
        (MONDAY_1230, "en", "Closed now, opens Wednesday at 09:00"),
        (SATURDAY_10, "sv", "Stängt nu, öppnar måndag 09:00"),
        (SATURDAY_10, "en", "Closed now, opens Monday at 09:00"),
        (WEDNESDAY_0859, "sv", "Stängt nu, öppnar i dag 09:00"),
        (WEDNESDAY_0859, "en", "Closed now, opens today at 09:00"),
    ],
)
def test_the_honour_lines_state_in_words_at_fixed_times(moment, language, expected):
    with translation.override(language):
        assert hours.describe(hours.status(HONOUR, moment), moment) == expected


@pytest.mark.unit
def test_states_of_other_lines_and_the_regular_week_in_both_languages():
    evening = datetime.datetime(2026, 12, 8, 21, 0, tzinfo=STOCKHOLM)  # Tuesday
    assert hours.status("24/7", evening).state == hours.ALWAYS
    assert hours.status("", evening).state == hours.UNKNOWN
    assert hours.status("Mo-Su 09:00-19:00", evening).is_closed
    with translation.override("sv"):
        assert hours.describe(hours.status("24/7", evening), evening) == "Öppet dygnet runt"
        assert hours.describe(hours.status("", evening), evening) == ""
        assert hours.describe(hours.status("Mo-Su 09:00-19:00", evening), evening) == (
            "Stängt nu, öppnar i morgon 09:00"
        )
        assert hours.week(HONOUR) == ["Måndag, onsdag, fredag 09:00–12:00"]
        assert hours.week("Mo-Fr 08:00-12:00,13:00-16:30; Sa 10:00-14:00; PH off") == [
            "Måndag–fredag 08:00–12:00, 13:00–16:30",
            "Lördag 10:00–14:00",
            "Stängt på helgdagar",
        ]
        assert hours.week("24/7") == ["Dygnet runt"]
        assert hours.week("") == []
    with translation.override("en"):
        assert hours.week(HONOUR) == ["Monday, Wednesday, Friday 09:00–12:00"]
        assert hours.week("Mo-Su 09:00-19:00") == ["Monday–Sunday 09:00–19:00"]


@pytest.mark.unit
def test_a_public_holiday_closes_a_line_that_says_so():
    christmas = datetime.datetime(2026, 12, 25, 10, 0, tzinfo=STOCKHOLM)  # a Friday
    assert hours.status("Mo-Fr 09:00-17:00", christmas).is_open
    assert hours.status("Mo-Fr 09:00-17:00; PH off", christmas).is_closed


@pytest.mark.unit
@pytest.mark.parametrize(
    "spec", ["weekdays 9-16", "Vardagar 9–16", "Jan Mo 09:00-12:00", "sunrise-sunset", 'Mo "x"']
)
def test_hours_that_cannot_be_said_plainly_are_refused_with_an_example(spec):
    with pytest.raises(ValidationError) as refused, translation.override("sv"):
        hours.validate_hours(spec)
    assert "Mo-Fr 09:00-16:00" in refused.value.messages[0]


@pytest.mark.unit
def test_a_page_that_says_open_now_is_kept_only_until_the_next_change():
    assert hours.seconds_until_change([HONOUR, "24/7", ""], MONDAY_10) == 2 * 3600
    assert hours.seconds_until_change(["24/7", ""], MONDAY_10) is None


# --- The shipped entries -----------------------------------------------------------------------


@pytest.fixture
def support(default_plan):
    call_command("load_support", verbosity=0, stdout=io.StringIO())


def shipped() -> dict:
    return yamldata.safe_load((DATA / SERVICES_FILE).read_text(encoding="utf-8"))


@pytest.mark.integration
def test_every_national_entry_has_a_source_and_a_checked_date_for_every_fact(support):
    national = SupportService.objects.filter(area__isnull=True)
    assert national.count() >= 10
    for service in national:
        service.full_clean()
        for check in service.checks():
            assert check.source.startswith(("https://", "http://")), (service.key, check.field)
            assert check.checked is not None, (service.key, check.field)
        assert service.hours == "" or hours.week(service.hours), service.key


@pytest.mark.integration
def test_the_honour_line_says_what_its_source_says(support):
    line = SupportService.objects.get(phone="010-223 57 60")
    assert line.hours == HONOUR
    assert line.operator["sv"] == "Nationellt centrum mot hedersrelaterat våld och förtryck"
    assert line.hours_source == "https://www.hedersfortryck.se/om-oss/stodtelefonen/"
    assert "kompetensteam" not in str(line.name).lower()
    assert not SupportService.objects.filter(key="kompetensteamet-heder").exists()
    bris = SupportService.objects.get(key="bris")
    assert bris.hours == "24/7"
    victims = SupportService.objects.get(key="brottsofferjouren")
    assert victims.hours_as_of == datetime.date(2020, 9, 15)
    assert SupportService.objects.get(key="terrafem").phone_source
    # Not shipped without a current source: the lines only a 2024 press release speaks of.
    assert not SupportService.objects.filter(phone__in=["020-80 80 80", "020-55 00 00"]).exists()
    assert not SupportService.objects.filter(phone__startswith="116 016").exists()


@pytest.mark.integration
@pytest.mark.parametrize("missing", ["phone_source", "phone_checked", "hours_source", "source"])
def test_a_national_entry_without_its_source_or_checked_date_is_refused_at_load(db, missing):
    data = shipped()
    honour = next(e for e in data["services"] if e["key"] == "stodtelefon-heder")
    del honour[missing]
    data["services"] = [honour]
    with pytest.raises(SupportDataError) as refused:
        services_load(yaml.safe_dump(data, allow_unicode=True))
    assert refused.value.args[0].startswith("stodtelefon-heder: ")
    assert not SupportService.objects.exists()


@pytest.mark.integration
def test_wrong_hours_in_a_file_are_refused_at_load(db):
    data = shipped()
    honour = next(e for e in data["services"] if e["key"] == "stodtelefon-heder")
    honour["hours"] = "Vardagar 9-16"
    data["services"] = [honour]
    with pytest.raises(SupportDataError):
        services_load(yaml.safe_dump(data, allow_unicode=True))


# --- The support page at fixed times -----------------------------------------------------------


def assert_no_closed_line_before_an_open_one(services: list[SupportService], moment) -> None:
    for i, first in enumerate(services):
        for later in services[i + 1 :]:
            if first.status(moment).is_closed and later.status(moment).is_open:
                assert not set(first.needs) & set(later.needs), (first.key, later.key, moment)


@pytest.mark.integration
def test_open_lines_come_before_closed_ones_after_112(client, support):
    honour = "Stödtelefonen om hedersrelaterat våld och förtryck"
    with time_machine.travel(MONDAY_10, tick=False):
        page = client.get("/stod/2281/?behov=honour").content.decode()
    assert status_of(page, honour) == "Öppet nu, stänger 12:00"
    with time_machine.travel(SATURDAY_10, tick=False):
        page = client.get("/stod/2281/?behov=honour").content.decode()
    assert status_of(page, honour) == "Stängt nu, öppnar måndag 09:00"
    assert names(page)[-1] == honour
    # Brottsofferjouren (every day 09-19) stands before Terrafem (hours not known) while open,
    # and after it once closed.
    tuesday_evening = datetime.datetime(2026, 12, 8, 21, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(MONDAY_10, tick=False):
        day = names(client.get("/stod/2281/?behov=adults").content.decode())
    with time_machine.travel(tuesday_evening, tick=False):
        evening_page = client.get("/stod/2281/?behov=adults").content.decode()
    evening = names(evening_page)
    assert sorted(day) == sorted(evening)
    assert day.index("Brottsofferjouren") < day.index("Terrafem")
    assert evening.index("Brottsofferjouren") > evening.index("Terrafem")
    assert evening[-1] == "Brottsofferjouren"
    assert status_of(evening_page, "Brottsofferjouren") == "Stängt nu, öppnar i morgon 09:00"
    # 112 stays first on the page and first of the national lines, in every state; the list
    # starts with the municipality's own.
    for moment in (MONDAY_10, SATURDAY_10, tuesday_evening):
        with time_machine.travel(moment, tick=False):
            whole = client.get("/stod/2281/").content.decode()
        every = names(whole)
        assert re.findall(r'href="tel:(\d+)"', whole)[0] == "112"
        assert every[0] == "Socialtjänsten, Sundsvalls kommun"
        assert every.index("Larmnummer 112") == 3  # after the two county-wide ones


@pytest.mark.integration
def test_at_any_hour_no_closed_line_comes_before_an_open_one_for_the_same_need(support):
    """Every third hour of a Monday, a Wednesday, a Saturday and a Sunday, in a municipality, a
    county and a municipality without entries of its own."""
    from nollvision.support.selectors import services_for

    for day in (7, 9, 12, 13):
        for hour in range(0, 24, 3):
            moment = datetime.datetime(2026, 12, day, hour, 30, tzinfo=STOCKHOLM)
            for code in ("2281", "0022", "0180"):
                listed = services_for(code, moment=moment)
                national = [s for s in listed if s.area is None]
                assert national[0].emergency, (code, moment)
                assert_no_closed_line_before_an_open_one(listed, moment)


@pytest.mark.integration
def test_before_a_municipality_is_chosen_a_line_open_day_and_night_is_beside_112(
    client, support, other
):
    """The front door, the choice of county and the support finder's first step name a number
    besides 112: the national line open around the clock that meets the most needs; never one
    with opening hours, since those pages are kept in the cache for an hour."""
    always = [
        s for s in SupportService.objects.filter(area=None) if s.status().state == hours.ALWAYS
    ]
    line = max((s for s in always if s.phone and not s.emergency), key=lambda s: len(s.needs))
    call = f'href="tel:{line.phone.replace(" ", "").replace("-", "")}"'
    for path in ("/", "/stod/", "/indikatorer/"):  # two counties: the choice of county
        page = client.get(path).content.decode()
        head = page[: page.index(call)] if call in page else page
        assert call in page, path
        assert "tel:112" in head, path  # 112 first
        assert f"{line.name}, dygnet runt" in page, path
    english = client.get("/en/stod/").content.decode()
    assert f"{line.name}, day and night" in english


def test_the_page_in_english_says_the_hours_and_when_the_line_opens(client, support):
    with time_machine.travel(MONDAY_1230, tick=False):
        page = client.get("/en/stod/2281/?behov=honour").content.decode()
    honour = "National support line on honour-related violence and oppression"
    assert status_of(page, honour) == "Closed now, opens Wednesday at 09:00"
    block = page.split(honour)[1].split("</li>")[0]
    assert "Monday, Wednesday, Friday 09:00–12:00" in block
    assert "National centre against honour-related violence and oppression" in block
    assert "https://www.hedersfortryck.se/om-oss/stodtelefonen/" in block


@pytest.mark.integration
def test_each_fact_shows_its_source_and_checked_date(client, support):
    with time_machine.travel(MONDAY_10, tick=False):
        page = client.get("/stod/2281/").content.decode()
    victims = page.split('<h2 class="service__name">Brottsofferjouren</h2>')[1]
    victims = victims.split("</details>")[0]
    assert "Alla dagar" not in victims  # the week is said from data, not a stored sentence
    assert "Måndag–söndag 09:00–19:00" in victims
    assert "Enligt källan i september 2020: de kan ha ändrats." in victims
    assert "källan är daterad 15 september 2020" in victims
    assert "Uppgifterna kontrollerades 5 december 2026: källor" in victims
    assert "brottsofferjouren.se/2020/09/15" in victims
    bris = page.split('<h2 class="service__name">BRIS</h2>')[1].split("</details>")[0]
    assert "Öppet dygnet runt" in bris
    # A municipality's entry that nobody has checked says so.
    timra = client.get("/stod/2262/").content.decode()
    block = timra.split("Socialtjänsten, Timrå kommun</h2>")[1].split("</details>")[0]
    assert "Inte kontrollerad ännu" in block


@pytest.mark.integration
def test_a_municipality_without_entries_of_its_own_says_so(client, support):
    page = client.get("/stod/0180/").content.decode()  # Stockholm: no local entry shipped
    note = page.index("Inget eget stöd från kommunen Stockholm finns listat här ännu")
    assert "socialtjänst" in page
    # In the list of every line, the way in comes after 112 and before the national lines (the
    # lines to call first stand above the list).
    every_line = page.index('<ul class="services"')
    assert page.index('id="call-first-heading"') < every_line
    assert (
        page.index("Larmnummer 112", every_line)
        < note
        < page.index("Kvinnofridslinjen", every_line)
    )
    assert page.count("Inget eget stöd från kommunen Stockholm") == 1
    # A need without 112 among its services: the word comes first.
    children = client.get("/stod/0180/?behov=children").content.decode()
    listed = children.index('<ul class="services"')
    assert children.index("Inget eget stöd") < children.index("BRIS", listed)
    sundsvall = client.get("/stod/2281/").content.decode()
    assert "finns listat här ännu" not in sundsvall


@pytest.mark.integration
def test_a_cached_page_never_says_open_after_the_line_closed(client, support, settings):
    settings.NOLLVISION_PUBLIC_CACHE_SECONDS = 3600
    url = "/stod/2281/?behov=honour"
    honour = "Stödtelefonen om hedersrelaterat våld och förtryck"
    with time_machine.travel(datetime.datetime(2026, 12, 7, 11, 50, tzinfo=STOCKHOLM)) as clock:
        assert status_of(client.get(url).content.decode(), honour) == "Öppet nu, stänger 12:00"
        clock.move_to(datetime.datetime(2026, 12, 7, 11, 55, tzinfo=STOCKHOLM))
        assert status_of(client.get(url).content.decode(), honour) == "Öppet nu, stänger 12:00"
        clock.move_to(datetime.datetime(2026, 12, 7, 12, 1, tzinfo=STOCKHOLM))
        assert status_of(client.get(url).content.decode(), honour).startswith("Stängt nu")


@pytest.mark.integration
def test_the_api_gives_hours_open_now_and_the_checks(client, support):
    with time_machine.travel(SATURDAY_10, tick=False):
        data = client.get("/api/v1/support-services/?area=2281&need=honour").json()
        csv = client.get("/api/v1/support-services/?area=2281&format=csv").content.decode()
    line = next(r for r in data["results"] if r["phone"] == "010-223 57 60")
    assert line["hours"] == HONOUR
    assert line["open_now"] is False
    assert line["opening_hours"]["en"] == "Monday, Wednesday, Friday 09:00–12:00"
    assert line["operator"]["sv"] == "Nationellt centrum mot hedersrelaterat våld och förtryck"
    facts = {c["fact"]: c for c in line["checks"]}
    assert facts["hours"]["checked"] == "2026-12-05"
    assert facts["operator"]["source"] == "https://www.hedersfortryck.se/om-oss/stodtelefonen/"
    terrafem = next(r for r in data["results"] if r["key"] == "terrafem")
    assert terrafem["open_now"] is None  # hours not known: never claimed open or closed
    header = csv.lstrip("\ufeff").splitlines()[0].split(",")
    assert {"hours", "open_now", "hours_source", "hours_checked", "hours_as_of"} <= set(header)


# --- The yearly check, and corrections reaching installations -----------------------------------


@pytest.mark.integration
def test_permanent_entries_are_checked_every_year_and_the_back_office_lists_them(
    client, support, staff_user
):
    a_year_on = timezone.localdate() + datetime.timedelta(days=400)
    bris = SupportService.objects.get(key="bris")
    assert bris.permanent
    assert bris.needs_verification(a_year_on)
    assert {c.field for c in bris.due_checks(a_year_on)} == {"entry", "phone", "hours"}
    SupportService.objects.filter(key="bris").update(
        phone_checked=timezone.localdate() - datetime.timedelta(days=400)
    )
    client.force_login(staff_user)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert "1 nationell stöduppgift ska kontrolleras för året." in home
    listed = client.get(reverse("admin:support_supportservice_changelist") + "?due=yes")
    assert listed.status_code == 200
    assert "bris" in listed.content.decode()
    assert "kvinnofridslinjen" not in listed.content.decode()


@pytest.mark.integration
def test_the_coordinator_sees_which_national_entries_are_due(client, world, support):
    SupportService.objects.filter(key="bris").update(
        phone_checked=timezone.localdate() - datetime.timedelta(days=400)
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("backoffice:services")).content.decode()
    national = page.split('id="national-heading"')[1]
    assert "1 nationell uppgift ska kontrolleras av administratörerna." in national
    bris = national.split("BRIS")[1].split("</tr>")[0]
    assert "dags att kontrollera:" in bris
    assert "numret" in bris


@pytest.mark.integration
def test_checking_an_entry_with_the_service_dates_every_fact(client, world, support):
    service = SupportService.objects.get(key="socialtjansten-timra")
    service.phone = "0123-456 78"
    service.hours = "Mo-Fr 08:00-16:30"
    service.hours_as_of = datetime.date(2020, 1, 1)
    service.save()
    client.force_login(world.coordinator)
    client.post(reverse("backoffice:service-verified", args=[service.pk]))
    service.refresh_from_db()
    today = timezone.localdate()
    assert [c.checked for c in service.checks()] == [today, today, today]
    assert service.hours_as_of is None


@pytest.mark.integration
def test_reloading_updates_only_entries_the_file_checked_later(db, default_plan):
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    bris = SupportService.objects.get(key="bris")
    # An administrator checked BRIS after the shipped file and wrote what the service said.
    SupportService.objects.filter(pk=bris.pk).update(
        for_whom={"sv": "Kontrollerad av administratören"}, last_verified=datetime.date(2027, 1, 5)
    )
    # An installation still holding an older entry gets the file's.
    SupportService.objects.filter(key="terrafem").update(
        phone_source="", phone_checked=None, last_verified=None
    )
    out = io.StringIO()
    call_command("load_support", "--if-missing", stdout=out)
    assert out.getvalue().startswith("1 support services loaded.")
    assert (
        SupportService.objects.get(key="bris").for_whom["sv"] == "Kontrollerad av administratören"
    )
    assert SupportService.objects.get(key="terrafem").phone_source == "http://terrafem.org/deutsch"


@pytest.mark.integration
def test_the_migration_corrects_an_installed_honour_line(db):
    migration = importlib.import_module("nollvision.support.migrations.0004_hours_as_data")
    SupportService.objects.create(
        key="kompetensteamet-heder",
        name={"sv": "Nationella kompetensteamet mot hedersrelaterat våld och förtryck"},
        needs=["honour"],
        phone="010-223 57 60",
        hours_note={"sv": "Vardagar 9–16", "en": "Weekdays 9–16"},
    )
    SupportService.objects.create(
        key="dygnet", name={"sv": "X"}, needs=["adults"], hours_note={"sv": "Dygnet runt"}
    )
    migration.forwards(django_apps, None)
    line = SupportService.objects.get(phone="010-223 57 60")
    assert line.key == "stodtelefon-heder"
    assert line.hours == HONOUR
    assert dict(line.hours_note) == {}
    assert line.operator["sv"] == "Nationellt centrum mot hedersrelaterat våld och förtryck"
    line.full_clean()  # a national entry as the rules want it: sources and dates on every fact
    assert SupportService.objects.get(key="dygnet").hours == "24/7"
