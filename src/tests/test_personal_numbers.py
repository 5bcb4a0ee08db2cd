"""The guard against Swedish personal identity and coordination numbers in free text."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from nollvision.core.validators import find_personal_numbers, validate_no_personal_numbers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "number",
    [
        "19121212-1212",
        "191212121212",
        "121212-1212",
        "1212121212",
        "121212+1212",
        "701063-2391",
        "19701063-2391",
        "7010632391",
        "12121212 1212",
    ],
)
def test_valid_numbers_are_found_inside_text(number):
    text = f"Vi hanterade ett ärende ({number}) under året."
    assert find_personal_numbers(text) == [number]
    with pytest.raises(ValidationError):
        validate_no_personal_numbers(text)


@pytest.mark.parametrize(
    "text",
    [
        "19121212-1213",
        "121212-1213",
        "Ring 0701234567 för mer information",
        "Dnr 2025-001234",
        "Vi utbildade 1200 av 4500 medarbetare",
        "12345678901234",
        "Budget 2 450 000 kr",
        "",
    ],
)
def test_ordinary_text_and_invalid_numbers_pass(text):
    assert find_personal_numbers(text) == []
    validate_no_personal_numbers(text)


def test_the_message_says_why():
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_no_personal_numbers("19121212-1212")
        assert "must never hold data about individual people" in caught.value.messages[0]
