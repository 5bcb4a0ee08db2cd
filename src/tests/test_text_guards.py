"""The guards on what people write, written once on the model fields and tested over all of them:
every text field of every model carries them (or is on the commented allowlist below), personal
numbers are found in every common spelling, invisible control characters and over-long texts are
refused, and what goes into e-mail headers is one line."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from nollvision.core.fields import FreeTextField, GuardedJSONField, LineField
from nollvision.core.translated import TranslatedField
from nollvision.core.validators import (
    find_personal_numbers,
    guard_line,
    guard_text,
    invisible_characters,
    one_line,
)

pytestmark = pytest.mark.unit

# Text fields that hold no free text people write, each with the reason. Anything else that is
# a CharField, TextField or JSONField must be a guarded field (core/fields.py).
ALLOWLIST = {
    ("accounts.User", "username"): "a log-in name, checked by Django's username validator",
    ("accounts.User", "password"): "a password hash",
    ("accounts.Region", "code"): "SCB's county code, from the official list",
    ("accounts.OrganisationKind", "code"): "a code (letters, digits, - and _)",
    ("accounts.Organisation", "municipality_code"): "four digits",
    ("accounts.Invitation", "token_hash"): "a SHA-256 hash",
    ("accounts.IdentityProvider", "client_id"): "an identifier the provider issues",
    ("accounts.IdentityProvider", "client_secret_encrypted"): "a Fernet token (ciphertext)",
    ("accounts.ProviderLink", "subject"): "the provider's identifier of a person (sub)",
    ("indicators.Area", "code"): "Kolada's area code",
    ("indicators.Indicator", "kolada_id"): "Kolada's key figure id",
    ("indicators.Indicator", "goal_numbers"): "a list of goal numbers",
    ("meetings.Group", "key"): "a collaboration body's code",
    ("meetings.Attachment", "content_type"): "a MIME type the upload check sets",
    ("plans.Term", "code"): "a code (letters, digits, - and _)",
    ("plans.Measure", "code"): "a measure code (2.7)",
    ("plans.Measure", "key"): "a measure code",
    ("plans.CollaborationBody", "key"): "a code",
    ("plans.ConsultationMeasureAnswer", "measure_code"): "a measure code, kept from the measure",
    ("followup.ReviewComment", "item"): "which question: measure:<code> or a field name",
    ("followup.MeasureAnswer", "prevention_levels"): "a list of term codes",
    ("reports.PublishedReport", "answers"): "answer ids and versions the report was built from",
    ("reports.PublishedReport", "checksums"): "SHA-256 hashes of the files",
    ("reports.PublishedReport", "public_checksums"): "SHA-256 hashes of the public edition",
    ("support.SupportService", "needs"): "a list of need codes (choices)",
    ("support.Step", "stage"): "a chain stage code",
    # A background job's record: written by the platform from the work it runs, never typed.
    ("jobs.Job", "target"): "the job's object, as app.model:pk",
    ("jobs.Job", "title"): "made from the object's own (guarded) name",
    ("jobs.Job", "arguments"): "the primary keys and options of the work",
    ("jobs.Job", "step_label"): "the step's label, from the code",
    ("jobs.Job", "result_url"): "an address of the platform (reverse)",
    ("jobs.Job", "result_label"): "the result's label, from the code",
    ("jobs.Job", "result_name"): "a file name the platform makes",
    ("jobs.Job", "result_type"): "a MIME type",
    ("jobs.Job", "error"): "an error message of the platform, shown to staff",
}
# Formats that cannot hold free text: their own validators refuse anything else.
FORMATTED = (models.SlugField, models.URLField, models.EmailField)
GUARDED = (LineField, FreeTextField, GuardedJSONField, TranslatedField)


def project_text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("nollvision.") or hasattr(model, "instance_type"):
            continue  # other packages' models; simple-history's copies (never edited)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def test_every_text_field_of_every_model_is_guarded():
    unguarded = []
    checked = 0
    for model, field in project_text_fields():
        label = (model._meta.label, field.name)
        if label in ALLOWLIST or isinstance(field, FORMATTED) or field.choices:
            continue
        checked += 1
        if not isinstance(field, GUARDED):
            unguarded.append(label)
    assert unguarded == []
    assert checked > 50
    # Every entry of the allowlist still names a field that exists.
    fields = {(m._meta.label, f.name) for m, f in project_text_fields()}
    assert set(ALLOWLIST) <= fields


@pytest.mark.parametrize(
    "field",
    [f for _m, f in project_text_fields() if isinstance(f, GUARDED)],
    ids=lambda f: f"{f.model._meta.label}.{f.name}",
)
def test_each_guarded_field_refuses_a_personal_number_and_invisible_characters(field):
    def value(text):
        if isinstance(field, TranslatedField):
            return {"sv": text}
        if isinstance(field, GuardedJSONField):
            return [text]
        return text

    for bad in ("Ärende 19121212-1212", "Titel \u202egpj.exe"):
        with pytest.raises(ValidationError):
            field.clean(value(bad), None)
    # An ordinary value of the field's own kind passes (a number, opening hours, a sentence).
    ordinary = {"phone": "060-19 10 00", "hours": "Mo-Fr 09:00-16:00"}.get(
        field.name, "Rutinen reviderades 2025."
    )
    field.clean(value(ordinary), None)


@pytest.mark.parametrize(
    "spelling",
    [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        "121212 1212",
        "12 12 12-1212",
        "1912 12 12-1212",
        "121212 - 1212",
        "121212 – 1212",  # en dash
        "121212\u22121212",  # minus sign
        "19121212 – 12 12",
        "701063-2391",  # a coordination number
        "19701063 2391",
    ],
)
def test_personal_numbers_are_found_in_every_spelling(spelling):
    assert find_personal_numbers(f"Ett ärende ({spelling}) under året.") == [spelling]
    with pytest.raises(ValidationError):
        guard_text(f"Personen {spelling} hänvisades.")


@pytest.mark.parametrize(
    "text",
    [
        "Ring 070-123 45 67 eller 060-19 10 00",
        "Ring 070 123 45 67",
        "Dnr 2025-001234 och 2023/2024",
        "Budget 1 032 691 677 kr, 45 000 000 000 kronor",
        "Utbildningen 2025-01-15 samlade 1200 av 4500",
        "19121212-1213",  # a wrong check digit
        "Telefonväxel 0611-34 90 00",
        "12345678901234",
    ],
)
def test_look_alikes_pass(text):
    assert find_personal_numbers(text) == []
    guard_text(text)


def _luhn_digit(nine: str) -> int:
    total = 0
    for index, digit in enumerate(int(c) for c in nine):
        doubled = digit * (2 if index % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10


@settings(max_examples=300, deadline=None)
@given(
    year=st.integers(1920, 2024),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    serial=st.integers(1, 999),  # 000 is no one's serial number
    coordination=st.booleans(),
    with_century=st.booleans(),
    spaced=st.booleans(),
    separator=st.sampled_from(["-", "–", "−", " ", "", " - ", " – ", "+"]),
)
def test_any_valid_number_in_any_spelling_is_found(
    year, month, day, serial, coordination, with_century, spaced, separator
):
    day_part = day + (60 if coordination else 0)
    nine = f"{year % 100:02d}{month:02d}{day_part:02d}{serial:03d}"
    last = f"{serial:03d}{_luhn_digit(nine)}"
    groups = [f"{year // 100:02d}{year % 100:02d}" if with_century else f"{year % 100:02d}"]
    groups += [f"{month:02d}", f"{day_part:02d}"]
    written = f"{(' ' if spaced else '').join(groups)}{separator}{last}"
    assert find_personal_numbers(f"Text {written} text") == [written]


def test_invisible_characters_are_refused_and_line_breaks_only_where_texts_have_lines(english):
    assert invisible_characters("abc\u202edef\u200b", multiline=True) == ["U+200B", "U+202E"]
    assert invisible_characters("rad ett\nrad två\ttab", multiline=True) == []
    assert invisible_characters("rad ett\nrad två", multiline=False) == ["U+000A"]
    with pytest.raises(ValidationError, match="line breaks"):
        guard_line("Möte\nBcc: someone@example.invalid")
    with pytest.raises(ValidationError, match="U\\+202E"):
        guard_line("Protokoll \u202efdp.exe")
    with pytest.raises(ValidationError, match="U\\+0000"):
        guard_text("nul\x00byte")
    guard_text("Rad ett\nRad två\n\tindrag")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_texts_for_headers_are_one_line():
    assert one_line("Möte\r\nBcc: x@example.invalid\u202e") == "Möte Bcc: x@example.invalid"


def test_length_limits_sit_on_the_fields():
    from nollvision.followup.models import MeasureAnswer
    from nollvision.meetings.models import Meeting

    done = MeasureAnswer._meta.get_field("done")
    with pytest.raises(ValidationError):
        done.clean("x" * (done.max_length + 1), None)
    done.clean("x" * done.max_length, None)
    title = Meeting._meta.get_field("title")
    with pytest.raises(ValidationError):
        title.clean("x" * (title.max_length + 1), None)
