import contextlib
import gc
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def playwright(playwright):
    """While Playwright's event loop runs in the test thread, Django gives that thread other
    database connections (it keeps them per thread, and per context where a loop runs). Those
    are closed before the loop stops; `django_db_setup` closes the others. Left open, one of
    them kept the test database in use when the run dropped it on PostgreSQL."""
    from django.db import connections

    yield playwright
    connections.close_all()


# A scheduling hint, not a result: the files measured longest (seconds in a whole SQLite run on
# two workers, 2026-12-05). xdist's worksteal gives each worker a contiguous share of the
# collection and lets an idle worker take the end of a busy one's queue; a long file left at the
# end of a queue keeps one core busy while the other waits. So each worker's share starts with its
# long files, whole (their module fixtures run once), balanced by these weights; a file not named
# here (or renamed) simply runs in the usual order. The kill drill is left out on purpose: run
# after the two-servers drill, it copies the static files that drill collected
# (devtools/loadtest.collect_static).
LONGEST_FILES = {
    "test_e2e_backoffice.py": 69,
    "test_fuzz_routes.py": 59,
    "test_hostile_input.py": 53,
    "test_permission_matrix.py": 40,
    "test_e2e_public.py": 32,
    "test_e2e_plan_editor.py": 31,
    "test_e2e_consultation.py": 30,
    "test_e2e_followup.py": 27,
    "test_two_servers.py": 25,
    "test_public_gate.py": 20,
    "test_tagged_pdfs.py": 14,
    "test_oidc_login.py": 14,
    "test_jobs_worker.py": 14,
    "test_e2e_public_phone.py": 12,
    "test_demo.py": 12,
    "test_counties.py": 11,
    "test_reports.py": 10,
    "test_public_face_published.py": 10,
}


def _longest_first(items: list, workers: int) -> list:
    """`items` reordered into `workers` equal shares, each starting with its long files."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.path.name, []).append(item)
    shares: list[list] = [[] for _ in range(workers)]
    load = [0] * workers
    for name in sorted(LONGEST_FILES, key=LONGEST_FILES.get, reverse=True):
        if name in files:
            lightest = load.index(min(load))
            shares[lightest].extend(files.pop(name))
            load[lightest] += LONGEST_FILES[name]
    rest = [item for group in files.values() for item in group]
    size = -(-len(items) // workers)
    for share in shares:
        room = max(0, size - len(share))
        share.extend(rest[:room])
        rest = rest[room:]
    shares[-1].extend(rest)
    return [item for share in shares for item in share]


def pytest_collection_modifyitems(config, items):
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        items[:] = _longest_first(items, workers)


def pytest_configure(config):
    # Before Django loads any catalogue, so that Swedish is there from the first test.
    from nollvision.core.catalogues import compile_catalogues

    compile_catalogues([Path(__file__).resolve().parent.parent / "nollvision" / "locale"])
    # Python's cycle collector runs after every 700 new objects by default, and its older
    # generations walk every object the process holds: with Django, the test modules and the
    # rows of hundreds of requests, that is a steady share of the suite's CPU. Collecting less
    # often (the same objects are freed, later) was measured at about 5 % less CPU on the
    # request sweeps and 20-25 s less for a whole run on each database; the price is memory
    # (a process that ran the four sweeps peaked at 547 MB instead of 435 MB).
    gc.set_threshold(100_000, 50, 1000)


def pytest_collection_finish(session):
    # What is loaded by now (Django, the project, the test modules) lives as long as the process:
    # kept out of the collector's walks.
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def _templates_render_as_in_production(django_test_environment):
    """Django's test set-up makes every template render send a signal and copy its context, for
    `response.context`; with a form's widgets that is most of a page's rendering time. Pages
    render here as they do in production; a test that reads a view's context asks for it with
    the `template_contexts` fixture."""
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render


@pytest.fixture
def template_contexts():
    """Turn the test client's record of template contexts back on (`response.context`)."""
    from django.template import Template
    from django.test.utils import _TestState, instrumented_test_render

    Template._render = instrumented_test_render
    yield
    Template._render = _TestState.saved_data.template_render


@pytest.fixture
def default_plan_file() -> Path:
    return Path(settings.NOLLVISION_DEFAULT_PLAN_FILE)


def _import_default_plan():
    call_command("import_plan", verbosity=0)


_default_plan_rows = None


@pytest.fixture
def default_plan(db):
    """The default plan, imported: for real in a worker's first test, then the same rows written
    again (rows.Replay), with the public pages told as an import tells them."""
    global _default_plan_rows
    from nollvision.core.public_cache import invalidate
    from nollvision.plans.models import Plan

    from .rows import Replay

    if _default_plan_rows is None:
        _default_plan_rows = Replay(_import_default_plan)
    _default_plan_rows()
    invalidate()
    return Plan.objects.get(slug="vasternorrland-2022-2026", version=1)


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="a-long-test-password", is_staff=True, is_superuser=True
    )


_world_rows = None


@pytest.fixture
def world(default_plan):
    """An open follow-up of the default plan, with one person in every role (build_world):
    built for real once per test process, then its rows written again (rows.Replay)."""
    global _world_rows
    from nollvision.core.public_cache import invalidate

    from .rows import Replay

    if _world_rows is None:
        _world_rows = Replay()
    world = _world_rows(lambda: build_world(default_plan))
    invalidate()
    return world


def build_world(default_plan):
    """An open follow-up of the default plan, with one person in every role.

    reporter_a/approver_a work for Sundsvall, reporter_b for Timrå; the coordinator works at
    the county administrative board; the reader at the Region.
    """
    from datetime import date
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from nollvision.accounts.models import Membership, Organisation, Role
    from nollvision.followup.services import campaign_create, campaign_open, question_add

    def person(username, slug, role):
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@example.invalid", password="a-long-test-password"
        )
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(slug=slug), role=role
        )
        return user

    campaign = campaign_create(plan=default_plan, year=2025, deadline=date(2026, 2, 15))
    question_add(campaign=campaign, kind="yes_no", text="Har ni en kontaktperson?", choices=[])
    campaign_open(campaign=campaign)
    world = SimpleNamespace(
        plan=default_plan,
        campaign=campaign,
        coordinator=person("coordinator", "lansstyrelsen-vasternorrland", Role.COORDINATOR),
        reporter_a=person("reporter_a", "sundsvalls-kommun", Role.REPORTER),
        approver_a=person("approver_a", "sundsvalls-kommun", Role.APPROVER),
        reporter_b=person("reporter_b", "timra-kommun", Role.REPORTER),
        reader=person("reader", "region-vasternorrland", Role.READER),
    )
    world.response_a = campaign.responses.get(organisation__slug="sundsvalls-kommun")
    world.response_b = campaign.responses.get(organisation__slug="timra-kommun")
    return world


@contextlib.contextmanager
def built_once(django_db_blocker):
    """Data built once for a module's tests, as Django's setUpTestData does for a class: built in
    a transaction that every test's own transaction nests in (so each test's changes are rolled
    back to it), and rolled back itself when the module's last test has run. A test reads it
    through a function fixture that depends on `db` and returns a deep copy, so objects changed
    in memory by one test never reach the next."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def axe_run(page, *, contrast: bool = True):
    """axe-core on the page as it is now (violations only).

    The colour-contrast rule is most of axe's time on a page. Its result depends on the style
    sheet's colours, which do not change with the language: the drills that walk every page in
    both languages check contrast on the Swedish pass and every other rule on both.

    axe's script (over half a megabyte) is given to the page's browser context once, as a script
    every new page in it runs first (Playwright's init script), instead of being sent through
    the driver again before every check: that was a quarter of each check's time. A page that
    was already open when the first check came gets it then.
    """
    from axe_playwright_python.base import AXE_SCRIPT, AxeResults

    options = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    context = page.context
    if not getattr(context, "_nollvision_axe", False):
        context.add_init_script(script=AXE_SCRIPT)
        context._nollvision_axe = True
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return AxeResults(page.evaluate("options => axe.run(document, options)", options))


def submit_and_wait(page, control) -> None:
    """Click a control that sends a form, and wait until the page it leads to has loaded.

    A click waits for the navigation to start, not to end: reading the page at once may read a
    half-parsed document (or the old one), and counting elements does not wait.
    """
    with page.expect_navigation():
        control.click()


def answer_everything(response, user, status="implemented"):
    """Give every measure of `response` an answer, and every part of "About your organisation",
    through the service: a complete answer that can be sent in."""
    from nollvision.devtools.demo.followup import complete_body
    from nollvision.followup.services import MeasureChange, response_save

    changes = [
        MeasureChange(
            a.pk,
            a.version,
            {"status": status, "done": "Rutin antagen.", "not_relevant_reason": "Inte vår del."},
        )
        for a in response.measure_answers.all()
    ]
    return response_save(
        response=response, user=user, measures=changes, body=complete_body(response)
    )


@pytest.fixture
def plan_site(live_server):
    call_command("import_plan", verbosity=0)
    call_command("import_indicators", "defaults", verbosity=0, stdout=io.StringIO())
    return live_server.url


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate limits (password reset) and cached pages of
    one test never reach the next one in the same worker."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to an /en/ address activates English in the test's thread; start each test
    from the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases are made from the models (`--no-migrations` in pyproject's addopts:
    running every migration costs each worker seconds of CPU on each kind of database); the one
    migration that loads data, the areas of Sweden, is loaded here. The migrations themselves run
    for real once per run and kind of database, for the drills' template (drills.py), and
    test_migrations.py checks that both ways make the same tables, columns and rows."""
    with django_db_blocker.unblock():
        _areas_of_sweden()
        _record_migrations_as_applied()
    yield
    # Before the test databases are dropped: PostgreSQL refuses while a session is connected.
    from django.db import connections

    connections.close_all()


def _record_migrations_as_applied():
    """The migrations' ledger as `migrate` leaves it (what the backup and restore commands read
    to tell a Nollvision database): every migration of the graph, recorded as applied."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder
    from django.test.utils import override_settings

    with override_settings(MIGRATION_MODULES={}):  # pytest-django turned them off for the run
        graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    applied = set()
    for app, name in graph.nodes:
        applied.add((app, name))
        applied.update(graph.nodes[app, name].replaces)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.all().delete()
    recorder.migration_qs.bulk_create(recorder.Migration(app=a, name=n) for a, n in sorted(applied))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a browser test) ends by emptying every table; what the migrations
    load comes back once its fixtures are torn down, as it is there for every other test."""
    yield
    # After the run's last test the test databases are gone already: nothing to put back.
    if nextitem is None:
        return
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _areas_of_sweden()
            _record_migrations_as_applied()


@pytest.fixture(scope="session")
def _drill_root(tmp_path_factory, request):
    from . import drills

    root = drills.run_root(
        tmp_path_factory.getbasetemp(), worker=hasattr(request.config, "workerinput")
    )
    used = []
    # The drills' production static files are collected once a run (devtools.loadtest).
    before = os.environ.get("NOLLVISION_STATIC_CACHE")
    os.environ["NOLLVISION_STATIC_CACHE"] = str(root / "collected-static")
    yield root, used
    if before is None:
        os.environ.pop("NOLLVISION_STATIC_CACHE", None)
    else:
        os.environ["NOLLVISION_STATIC_CACHE"] = before
    if used:
        drills.release(root)


@pytest.fixture
def drill_database(_drill_root, tmp_path):
    """`make(label)`: the URL of a freshly migrated database of the suite's kind for a drill's
    own processes (drills.py: a copy of a template migrated once per run); dropped after."""
    from . import drills

    root, used = _drill_root
    made = []

    def make(label: str = "drill") -> str:
        url = drills.new_database(root, tmp_path, label)
        used.append(url)
        made.append(url)
        return url

    yield make
    for url in made:
        drills.forget(url)


def _areas_of_sweden():
    """The areas a migration loads: a transactional test (a browser test) empties every table,
    so a later test in the same worker loads them again where they are gone."""
    import importlib

    from django.apps import apps

    from nollvision.indicators.models import Area

    if not Area.objects.filter(code="2380").exists():
        migration = importlib.import_module("nollvision.indicators.migrations.0003_areas_of_sweden")
        migration.load_areas(apps, None)
    return Area.objects


def pdf_bytes() -> bytes:
    """The smallest file that starts like a PDF."""
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def g(world, django_user_model):
    from datetime import timedelta
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from nollvision.accounts.models import Membership, Organisation, Role
    from nollvision.meetings import services
    from nollvision.meetings.models import Group, MemberRole
    from nollvision.plans.models import Measure

    """The regional collaboration group: a secretary and a member; the coordinator is not in it;
    reporter_b (Timrå) is an outsider."""
    group = Group.objects.get(plan_slug=world.plan.slug, key="regional-samverkansgrupp")
    board = Organisation.objects.get(slug="lansstyrelsen-vasternorrland")
    secretary = django_user_model.objects.create_user(
        username="secretary", email="secretary@example.invalid"
    )
    # A group member holds a role at an organisation (a reader at the board), as the form asks.
    Membership.objects.create(user=secretary, organisation=board, role=Role.READER)
    services.member_add(group=group, user=secretary, organisation=board, role=MemberRole.SECRETARY)
    member = services.member_add(
        group=group,
        user=world.reporter_a,
        organisation=world.response_a.organisation,
        role=MemberRole.MEMBER,
    )
    now = timezone.now()
    meeting = services.meeting_schedule(
        group=group,
        data={"title": "Möte", "starts_at": now, "ends_at": now + timedelta(hours=2)},
    )
    measure = Measure.objects.get(plan=world.plan, code="2.1")
    item = services.item_save(
        meeting=meeting, item=None, data={"title": "Rutiner"}, goals=[], measures=[measure]
    )
    action = services.action_save(
        item=item,
        action=None,
        data={
            "text": "Sammanställ rutinerna",
            "organisation": board,
            "due": timezone.localdate() - timedelta(days=3),
        },
        measures=[measure],
    )
    attachment = services.attachment_add(
        meeting=meeting,
        uploaded=SimpleUploadedFile("underlag.pdf", pdf_bytes()),
        user=secretary,
    )
    return SimpleNamespace(
        world=world,
        group=group,
        secretary=secretary,
        member=member,
        meeting=meeting,
        item=item,
        action=action,
        measure=measure,
        attachment=attachment,
    )


@pytest.fixture
def other(g, django_user_model):
    """A second county (Jämtlands län) beside the default one, built like `world` and `g`: its
    own plan (same measure keys and codes), people in every role, an open follow-up, the regional
    group with a meeting, an agenda item, an action and an attachment, and a support service of
    Östersund. Two of its bodies have the same names as Västernorrland's."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from nollvision.accounts.models import Membership, Organisation, Role
    from nollvision.followup.services import campaign_create, campaign_open
    from nollvision.meetings import services
    from nollvision.meetings.models import Group, MemberRole
    from nollvision.plans.models import Measure
    from nollvision.plans.plan_file import parse_plan_file
    from nollvision.plans.services import plan_import
    from nollvision.support.models import SupportService

    from .helpers import plan_yaml, second_county_plan_data

    plan = plan_import(
        document=parse_plan_file(plan_yaml(second_county_plan_data()), "jamtland.yaml")
    ).plan

    def person(username, slug, role):
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.invalid", password="a-long-test-password"
        )
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(slug=slug), role=role
        )
        return user

    campaign = campaign_create(plan=plan, year=2025, deadline=date(2026, 2, 15))
    campaign_open(campaign=campaign)
    board = Organisation.objects.get(slug="lansstyrelsen-jamtland")
    other = SimpleNamespace(
        plan=plan,
        campaign=campaign,
        board=board,
        coordinator=person("coordinator_o", "lansstyrelsen-jamtland", Role.COORDINATOR),
        reporter=person("reporter_o", "ostersunds-kommun", Role.REPORTER),
        approver=person("approver_o", "ostersunds-kommun", Role.APPROVER),
        reader=person("reader_o", "region-jamtland-harjedalen", Role.READER),
        # Like the first county's secretary: a reader at the board, the group's secretary.
        secretary=person("secretary_o", board.slug, Role.READER),
    )
    other.response = campaign.responses.get(organisation__slug="ostersunds-kommun")
    other.answer = other.response.measure_answers.order_by("pk").first()
    group = Group.objects.get(plan_slug=plan.slug, key="regional-samverkansgrupp")
    services.member_add(
        group=group, user=other.secretary, organisation=board, role=MemberRole.SECRETARY
    )
    other.member = services.member_add(
        group=group,
        user=other.reporter,
        organisation=other.response.organisation,
        role=MemberRole.MEMBER,
    )
    now = timezone.now()
    other.meeting = services.meeting_schedule(
        group=group,
        data={"title": "Jämtlandsmötet", "starts_at": now, "ends_at": now + timedelta(hours=2)},
    )
    other.measure = Measure.objects.get(plan=plan, code="2.1")
    other.item = services.item_save(
        meeting=other.meeting,
        item=None,
        data={"title": "Jämtlands rutiner"},
        goals=[],
        measures=[other.measure],
    )
    other.action = services.action_save(
        item=other.item,
        action=None,
        data={
            "text": "Jämtlands uppdrag",
            "organisation": board,
            "due": timezone.localdate() - timedelta(days=3),
        },
        measures=[other.measure],
    )
    other.attachment = services.attachment_add(
        meeting=other.meeting,
        uploaded=SimpleUploadedFile("jamtland.pdf", pdf_bytes()),
        user=other.secretary,
    )
    other.group = group
    other.service = SupportService.objects.create(
        key="stod-ostersund",
        name={"sv": "Stödlinjen i Östersund"},
        needs=["adults"],
        phone="063 00 00 00",
        area=_areas_of_sweden().get(code="2380"),
    )
    return other


@pytest.fixture
def public_site(plan_site):
    """The plan, a published follow-up (demo data) and the support services."""
    from nollvision.devtools.demo.followup import load_demo
    from nollvision.plans.models import Plan

    load_demo(
        plan=Plan.objects.get(slug="vasternorrland-2022-2026"), years=(2024, 2025), publish=True
    )
    call_command("load_support", verbosity=0, stdout=io.StringIO())
    from .test_public_face import add_meetings

    plan = Plan.objects.get(slug="vasternorrland-2022-2026")
    add_meetings(plan)
    # Two prioritised measures: the plan page's marks and its filter are on the pages walked.
    from datetime import date

    from nollvision.plans.services import priority_save

    priority_save(
        plan=plan,
        data={
            "title": "Prioriterade samverkansåtgärder",
            "first_year": 2022,
            "last_year": 2024,
            "decided_by": "Regional samverkansgrupp",
            "decided_on": date(2022, 3, 1),
        },
        measures=plan.measures.filter(code__in=("1.1", "2.1")),
    )
    # The pages' other states, walked by the same tests: a line that is closed (and whose hours
    # are old news) beside open ones, and an older publication whose public edition is not built.
    from nollvision.reports.models import PublishedReport
    from nollvision.support.models import SupportService

    SupportService.objects.create(
        key="stangd-linje",
        name={"sv": "Stödlinje som är stängd", "en": "A line that is closed"},
        needs=["adults"],
        phone="060-00 00 00",
        hours="Mo-Su off",
        hours_as_of=date(2020, 9, 15),
        area=_areas_of_sweden().get(code="2260"),  # Ånge: its support page is walked
    )
    first = PublishedReport.objects.order_by("report__campaign__year").first()
    PublishedReport.objects.filter(pk=first.pk).update(
        public_html="",
        public_pdf="",
        public_docx="",
        public_xlsx="",
        public_annex_html="",
        public_annex_pdf="",
    )
    return plan_site
