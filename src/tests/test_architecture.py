"""The house's layers (pyproject.toml, docs/architecture.md) hold, and an import that bends them
fails `lint-imports`, which `make lint` runs in CI."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
pytestmark = [pytest.mark.unit, pytest.mark.slow]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool on our own copy
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def house(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("house")
    shutil.copytree(
        ROOT / "src" / "nollvision",
        tree / "nollvision",
        ignore=shutil.ignore_patterns("__pycache__", "locale"),
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_layers_hold_as_committed(house):
    result = _lint(house)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bent_import", "contract"),
    [
        (
            "followup/rules.py",
            "from nollvision.reports import services",
            "The follow-up collects answers and knows nothing of what reads them",
        ),
        (
            "indicators/presentation.py",
            "from nollvision.reports import figures",
            "Statistics do not depend on the report",
        ),
        (
            "plans/services.py",
            "from nollvision.meetings import services",
            "The plan imports no domain app above it",
        ),
        (
            "support/selectors.py",
            "from nollvision.devtools.demo import followup",
            "Only the tools know the demo, the generator and the benchmarks",
        ),
        (
            "core/charts.py",
            "from nollvision.public import views",
            "Tools above the interface, the interface above the domain, core at the ground",
        ),
    ],
)
def test_an_import_that_bends_the_house_is_refused(house, module, bent_import, contract):
    path = house / "nollvision" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{bent_import}  # bent\n", encoding="utf-8")
    try:
        result = _lint(house)
    finally:
        path.write_text(original, encoding="utf-8")

    assert result.returncode == 1, result.stdout
    assert f"{contract} BROKEN" in result.stdout


def test_a_new_app_outside_the_layers_is_refused(house):
    app = house / "nollvision" / "newapp"
    app.mkdir()
    (app / "__init__.py").write_text("", encoding="utf-8")
    try:
        result = _lint(house)
    finally:
        shutil.rmtree(app)

    assert result.returncode == 1, result.stdout
    assert "newapp" in result.stdout


# Libraries a process needs only when it writes or reads one kind of file; loaded where used, so
# every process (a server worker, a command, a test worker) starts without them.
LOADED_ON_USE = ("openpyxl", "cairosvg", "icalendar", "httpx", "weasyprint")


def test_the_url_conf_starts_without_the_file_libraries():
    probe = (
        "import sys, django; django.setup(); import nollvision.urls; "
        f"print(' '.join(m for m in {LOADED_ON_USE!r} if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", probe],
        env={"DJANGO_SETTINGS_MODULE": "nollvision.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], f"loaded by the URL conf: {done.stdout.strip()}"
