"""The guard against Swedish personal identity and coordination numbers in free text."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- Read as a reader sees it (issue 23) --------------------------------------------------------

# A valid number (12 December 1912, 1212) written in the ways that slipped through before.
SPELLINGS = [
    "121212\r\n1212",  # a line break as a browser sends it
    "1212\u200d12-1212",  # zero-width joiner
    "1212\u200c12-1212",  # zero-width non-joiner
    "121212\u00ad-1212",  # soft hyphen
    "121212\u20141212",  # em dash
    "121212\u20101212",  # hyphen
    "121212  1212",  # two spaces
    "121212\u00a01212",  # no-break space
    "121212\u20091212",  # thin space
    "12/12/12-1212",
    "12.12.12-1212",
    "121212_1212",
    "1912 12 12\u2060-1212",  # word joiner
    "\uff11\uff12\uff11\uff12\uff11\uff12\uff0d\uff11\uff12\uff11\uff12",  # full-width
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_personal_numbers_hidden_by_spacing_or_invisible_characters_are_found(spelling):
    assert find_personal_numbers(f"Ärendet ({spelling}) avslutades.") == [spelling]
    with pytest.raises(ValidationError):
        validate_no_personal_numbers(f"Ärendet {spelling}.")


SEPARATORS = st.sampled_from(
    ["", " ", "  ", "\r\n", "\n", "/", ".", "_", "\u00a0", "\u2009", "\u200b", "\u200d", "\u00ad"]
)
DASHES = st.sampled_from(["-", "\u2013", "\u2014", "\u2212", "+", " - ", "", " "])
VALID = st.sampled_from(["19121212-1212", "19701063-2391", "19900101-0017", "19640823-3234"])


@settings(max_examples=300, deadline=None)
@given(number=VALID, gaps=st.lists(SEPARATORS, min_size=4, max_size=4), dash=DASHES)
def test_any_spelling_of_a_valid_number_is_refused(number, gaps, dash):
    """Any valid number, its groups separated by any mix of spaces, separators, line breaks and
    invisible characters, is refused (property test)."""
    date, last = number.split("-")
    groups = [date[:4], date[4:6], date[6:8]]
    written = groups[0] + gaps[0] + groups[1] + gaps[1] + groups[2] + dash + last[:2]
    written += gaps[3] + last[2:]
    if "+" in dash:
        return  # + means a person over 100: the same digits, another number
    with pytest.raises(ValidationError):
        validate_no_personal_numbers(f"Text {written} text")


@pytest.mark.parametrize(
    "text",
    [
        "Dnr 2025-001234",
        "Dnr 2025/01234",
        "Ring 060-19 10 00 eller 070-123 45 67",
        "Budget 2 450 000 kr och 1 200 000 kr",
        "Mötet 2024-03-15 kl 13.00",
        "12.5 % av 4 500 anställda",
        "121212-1213",  # fails the check digit
        "Persian: می\u200cخواهم",  # a zero-width non-joiner the script needs
        "Emoji: 👩\u200d⚕️ och 👨\u200d👩\u200d👧",  # joiners of emoji sequences
    ],
)
def test_look_alikes_and_the_scripts_that_need_joiners_pass(text):
    from nollvision.core.validators import guard_text

    assert find_personal_numbers(text) == []
    guard_text(text)


def test_joiners_between_digits_or_latin_letters_are_refused_as_hiding_text():
    from nollvision.core.validators import guard_line

    for text in ("ab\u200dcd", "Rapport 12\u200c34"):
        with pytest.raises(ValidationError):
            guard_line(text)


def test_the_guard_reads_the_length_first_and_grows_linearly():
    """A text over the guard's limit is refused for its length without a scan; below it the time
    grows with the length, not faster (a ratio, never a wall-clock limit: `make bench` times
    10 MB)."""
    import time

    from nollvision.core.validators import SCAN_MAX, guard_text

    with pytest.raises(ValidationError) as refused:
        guard_text("1" * (10 * 1024 * 1024))
    assert refused.value.error_list[0].code == "too_long"

    def seconds(size: int) -> float:
        text = ("12 34 56 78 90 ab\u00ad " * (size // 20 + 1))[:size]
        start = time.perf_counter()
        find_personal_numbers(text)
        return time.perf_counter() - start

    small, large = seconds(SCAN_MAX // 16), seconds(SCAN_MAX)
    assert large / small < 16 * 3  # 16 times the text, well under 48 times the time


# --- The guard's shortcuts read as the plain rule does ---------------------------------------------
# The guard passes most texts without reading them character by character (a count of digits
# per distinct character; invisible characters judged once each). These reference readings are
# the rules written plainly, one character at a time; the guard must agree with them on any text.


def _plain_reading(text: str) -> str:
    import unicodedata

    out = []
    for character in text:
        category = unicodedata.category(character)
        if category == "Cf":
            continue
        if character.isspace() or category in ("Zs", "Zl", "Zp"):
            if not (out and out[-1] == " "):
                out.append(" ")
            continue
        if category == "Pd" or character in "\u2212\u2043\ufe63\uff0d":
            out.append("-")
            continue
        for piece in unicodedata.normalize("NFKC", character):
            out.append("-" if unicodedata.category(piece) == "Pd" else piece)
    return "".join(out)


def _plain_invisible(text: str, multiline: bool) -> list[str]:
    import unicodedata

    from nollvision.core.validators import INVISIBLE, JOINERS, LINE_BREAKS, _plain

    found = set()
    for index, character in enumerate(text):
        if multiline and character in LINE_BREAKS:
            continue
        if character in JOINERS:
            near = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
            if any(_plain(other) for other in near):
                found.add(f"U+{ord(character):04X}")
        elif character in INVISIBLE or unicodedata.category(character) == "Cc":
            found.add(f"U+{ord(character):04X}")
    return sorted(found)


# Digits of every kind, spaces, dashes, joiners and controls, beside any character.
TRICKY = st.sampled_from(
    [
        *"0123456789 -+/._\r\n\t\u00a0\u2009\u200b\u200c\u200d\u00ad\u2060\u202e\u2014",
        "\uff11",
        "\u00b2",
        "\u2460",
        "\u2474",
        "\u2488",
        "\u00a8",
        "\u3000",
        "\u2028",
        "a",
        "å",
    ]
)
ANY_TEXT = st.one_of(
    st.text(TRICKY, max_size=30), st.text(st.one_of(TRICKY, st.characters()), max_size=60)
)


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT)
def test_the_reading_form_and_its_digit_count_agree_with_the_plain_rule(text):
    from nollvision.core.validators import _digits_read, reading_form

    readable, where = reading_form(text)
    assert readable == _plain_reading(text)
    assert len(where) == len(readable)
    assert where == sorted(where)
    assert _digits_read(text) == sum(character in "0123456789" for character in readable)


@settings(max_examples=400, deadline=None)
@given(text=ANY_TEXT, multiline=st.booleans())
def test_invisible_characters_agree_with_the_plain_rule(text, multiline):
    from nollvision.core.validators import invisible_characters

    assert invisible_characters(text, multiline=multiline) == _plain_invisible(text, multiline)


@settings(max_examples=300, deadline=None)
@given(number=VALID, before=ANY_TEXT, after=ANY_TEXT)
def test_a_valid_number_in_any_surroundings_is_found(number, before, after):
    """The digit count never passes a text that holds a number, whatever stands around it."""
    assert number in find_personal_numbers(f"{before} {number} {after}")
