"""Names sort in Swedish order (… Z Å Ä Ö) in Python, SQLite and PostgreSQL."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nollvision.accounts.models import Organisation, OrganisationKind
from nollvision.core.collation import swedish_compare, swedish_sort_key

NAMES = ["Öberg", "Zlatan", "Åsa", "anna", "Ärla", "Anna", "Émile", "Vik", "Wik", "Ystad", "Über"]
SWEDISH_ORDER = [
    "anna",
    "Anna",
    "Émile",
    "Vik",
    "Wik",
    "Über",
    "Ystad",
    "Zlatan",
    "Åsa",
    "Ärla",
    "Öberg",
]


@pytest.mark.unit
def test_sort_key_gives_swedish_order():
    assert sorted(NAMES, key=swedish_sort_key) == SWEDISH_ORDER


@pytest.mark.unit
@given(st.text(max_size=8), st.text(max_size=8))
def test_compare_is_antisymmetric(left, right):
    assert swedish_compare(left, right) == -swedish_compare(right, left)


@pytest.mark.integration
@pytest.mark.django_db
def test_organisations_sort_in_swedish_order_in_the_database():
    kind = OrganisationKind.objects.create(code="municipality", name="Kommun")
    for index, name in enumerate(
        [
            "Örnsköldsviks kommun",
            "Ånge kommun",
            "Timrå kommun",
            "Ärla förening",
            "Sundsvalls kommun",
        ]
    ):
        Organisation.objects.create(slug=f"org-{index}", name=name, kind=kind)
    assert list(Organisation.objects.values_list("name", flat=True)) == [
        "Sundsvalls kommun",
        "Timrå kommun",
        "Ånge kommun",
        "Ärla förening",
        "Örnsköldsviks kommun",
    ]


def test_the_swedish_ordering_is_the_same_expression_to_django_as_without_its_shortcut():
    """SwedishCollate's own `identity` (no signature binding) equals Django's generic one, so
    equal orderings still compare and hash equal, and different fields do not."""
    from django.db.models import Expression

    from nollvision.core.collation import swedish

    generic = Expression.identity.func
    name = swedish("name")
    assert name.identity == generic(swedish("name"))
    assert name == swedish("name")
    assert hash(name) == hash(swedish("name"))
    assert name != swedish("title")
    assert len({swedish("name"), swedish("name"), swedish("title")}) == 2
