"""Loading the shipped indicator set (areas and indicators) from its data file."""

from importlib import resources

from django.db import transaction

from nollvision.core import yamldata

from .models import Area, AreaLevel, Indicator, Population

DEFAULT_SET = "default-indicators.yaml"


@transaction.atomic
def indicator_set_load(content: str | None = None) -> tuple[int, int]:
    """Create or update areas and indicators by code; nothing is deleted. Returns the counts."""
    if content is None:
        content = (resources.files(__package__) / "data" / DEFAULT_SET).read_text("utf-8")
    data = yamldata.safe_load(content)
    for item in data.get("areas", []):
        area = Area.objects.filter(code=item["code"]).first() or Area(code=item["code"])
        area.name, area.level = item["name"], item["level"]
        area.full_clean()
        area.save()
    for item in data.get("indicators", []):
        indicator = Indicator.objects.filter(code=item["code"]).first() or Indicator(
            code=item["code"]
        )
        indicator.title = item["title"]
        indicator.description = item.get("description", "")
        indicator.unit = item.get("unit", "")
        indicator.goal_numbers = item.get("goals", [])
        indicator.source = item.get("source", "")
        indicator.licence = item.get("licence", "")
        indicator.attribution = item.get("attribution", "")
        indicator.kolada_id = item.get("kolada_id", "")
        indicator.by_sex = item.get("by_sex", False)
        indicator.counts_people = item.get("counts_people", False)
        indicator.higher_is_better = item.get("higher_is_better")
        indicator.development = item.get("development", False)
        indicator.level = item.get("level", AreaLevel.MUNICIPALITY)
        indicator.method_note = item.get("method_note", "")
        indicator.confirmed = item.get("confirmed", False)
        indicator.full_clean()
        indicator.save()
    return len(data.get("areas", [])), len(data.get("indicators", []))


POPULATION = "population.yaml"


@transaction.atomic
def population_load() -> int:
    """The shipped population totals (all ages, both sexes) for the county, its
    municipalities and Sweden."""
    rows = yamldata.safe_load(
        (resources.files(__package__) / "data" / POPULATION).read_text("utf-8")
    )
    areas = {a.code: a for a in Area.objects.all()}
    for row in rows:
        Population.objects.update_or_create(
            area=areas[row["area"]],
            year=row["year"],
            sex="T",
            age_from=0,
            age_to=None,
            defaults={"count": row["count"], "source": row["source"]},
        )
    return len(rows)


VALUES = "values.csv"


def values_load():
    """The shipped published values (values.csv), each row with its source: the figures
    collected from public pages, never estimated. Importing again changes nothing."""
    from .csv_import import csv_import

    content = (resources.files(__package__) / "data" / VALUES).read_bytes()
    return csv_import(content=content, source=f"shipped:{VALUES}")
