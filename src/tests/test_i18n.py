"""The Swedish catalogue is complete, has no fuzzy entries, keeps placeholders, and is current."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.unit

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "sv" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_swedish_catalogue_is_complete_and_not_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_swedish_translations_keep_placeholders():
    wrong = []
    for entry in polib.pofile(str(CATALOGUE)):
        singular = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            # A plural's forms may leave out the count where English does ("The plan's goal");
            # what both English forms name, every form names, and no form names anything else.
            plural = set(PLACEHOLDER.findall(entry.msgid_plural))
            allowed, required = singular | plural, singular & plural
            translations = list(entry.msgstr_plural.values())
        else:
            allowed = required = singular
            translations = [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            if not required <= found <= allowed:
                wrong.append(entry.msgid)
    assert wrong == []


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    # Needs GNU gettext's xgettext, which scripts/ensure-system-packages.sh installs.
    package = Path(settings.PACKAGE_DIR)
    copy = tmp_path / "nollvision"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    current = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE))}
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["sv"], no_location=True, verbosity=0)
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/sv/LC_MESSAGES/django.po"))
    }
    assert sorted(fresh - current, key=str) == []


def test_form_labels_and_hints_are_in_the_language_of_the_page(client, world):
    """Labels of translated fields and length hints follow the page's language, not the one
    active when the form class was defined."""
    from django.urls import reverse

    client.force_login(world.coordinator)
    url = reverse("backoffice:guide-situation-add", args=[world.plan.slug])
    swedish = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()
    assert "Titel" in swedish
    assert "Titel" not in english
    assert "Title" in english


def test_an_answer_status_never_reads_as_a_consultation_handling():
    """The same English word in two places: an answer the county board accepted is
    "accepterad", a consultation answer taken into account is "beaktat"."""
    from django.utils import translation

    from nollvision.followup.enums import ResponseStatus
    from nollvision.plans.enums import Handling

    with translation.override("sv"):
        statuses = {str(label) for label in ResponseStatus.labels}
        handlings = {str(label) for label in Handling.labels}
        assert str(ResponseStatus.ACCEPTED.label) == "accepterad"
    assert not statuses & handlings


@pytest.mark.django_db
def test_swedish_text_on_an_english_page_is_marked_as_swedish(client, default_plan):
    """A measure without an English text is shown in Swedish on the English pages, inside
    lang="sv", so a screen reader reads it in Swedish; on the Swedish pages it needs no mark."""
    import html

    from nollvision.plans.models import Measure

    measure = Measure.objects.filter(plan=default_plan).order_by("pk").first()
    assert not measure.text.get("en")
    swedish = html.escape(measure.text["sv"], quote=False)
    base = f"/planer/{default_plan.slug}/v{default_plan.version}/"
    pages = [base, f"{base}mal/{measure.goal.number}/", f"{base}atgarder/{measure.code}/"]
    for path in pages:
        english = client.get("/en" + path).content.decode()
        assert f'<span lang="sv">{swedish}</span>' in english, path
        assert f'<span lang="sv">{swedish}' not in client.get(path).content.decode(), path
