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


def pytest_configure(config):
    # Before Django loads any catalogue, so that Swedish is there from the first test.
    from nollvision.core.catalogues import compile_catalogues

    compile_catalogues([Path(__file__).resolve().parent.parent / "nollvision" / "locale"])


@pytest.fixture
def default_plan_file() -> Path:
    return Path(settings.NOLLVISION_DEFAULT_PLAN_FILE)


@pytest.fixture
def default_plan(db):
    from nollvision.plans.models import Plan

    call_command("import_plan", verbosity=0)
    return Plan.objects.get(slug="vasternorrland-2022-2026", version=1)


@pytest.fixture
def staff_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="staff", password="a-long-test-password", is_staff=True, is_superuser=True
    )
