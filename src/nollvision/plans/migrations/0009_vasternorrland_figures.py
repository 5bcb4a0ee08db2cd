"""The figures that were one platform-wide list (indicators/data/estimates.yaml) are now the
plan's own (the plan file's `figures`). Installations that imported Västernorrland's plan before
keep its figures on the figures page without importing it again: every stored version of that
plan gets them, as the shipped plan file now has them. The data is written here, not read from
the application, so this migration stays as it is whatever the code becomes."""

from decimal import Decimal

from django.db import migrations

SLUG = "vasternorrland-2022-2026"

FIGURES = [
    {
        "key": "women-exposed",
        "title": {
            "sv": "Kvinnor som någon gång utsatts för våld i en nära relation",
            "en": "Women ever exposed to violence in a close relationship",
        },
        "rate": Decimal("0.25"),
        "rate_source": "NCK rapport 2014:1 (Våld och hälsa)",
        "certainty": {
            "sv": "Andelen är härledd ur planens siffra, inte publicerad av NCK: den enda andel "
            "som ger ca 21 000 för kvinnor 18–74 år i länet.",
            "en": "The rate is inferred from the plan's figure, not published by NCK: the only "
            "rate that gives about 21 000 for women aged 18–74 in the county.",
        },
        "inferred": True,
        "sex": "K",
        "age_from": 18,
        "age_to": 74,
        "printed": 21000,
    },
    {
        "key": "men-exposed",
        "title": {
            "sv": "Män som någon gång utsatts för våld i en nära relation",
            "en": "Men ever exposed to violence in a close relationship",
        },
        "rate": Decimal("0.10"),
        "rate_source": "NCK rapport 2014:1 (Våld och hälsa)",
        "certainty": {
            "sv": "Andelen är härledd ur planens siffra, inte publicerad av NCK.",
            "en": "The rate is inferred from the plan's figure, not published by NCK.",
        },
        "inferred": True,
        "sex": "M",
        "age_from": 18,
        "age_to": 74,
        "printed": 8500,
    },
    {
        "key": "children-experienced",
        "title": {
            "sv": "Barn som upplevt våld i nära relation under uppväxten",
            "en": "Children who experienced violence in a close relationship while growing up",
        },
        "rate": Decimal("0.10"),
        "rate_source": "NCK (cirka 10 % av alla barn i Sverige)",
        "certainty": {
            "sv": "Andelen anges i planen; befolkningen 0–17 år är planens underlag.",
            "en": "The rate is given in the plan; the population aged 0–17 is the plan's base.",
        },
        "sex": "T",
        "age_from": 0,
        "age_to": 17,
        "printed": 4900,
    },
    {
        "key": "children-often",
        "title": {
            "sv": "Barn som upplever våldet ofta",
            "en": "Children who experience the violence often",
        },
        "rate": Decimal("0.05"),
        "rate_source": "NCK (5 % av alla barn)",
        "certainty": {"sv": "Andelen anges i planen.", "en": "The rate is given in the plan."},
        "sex": "T",
        "age_from": 0,
        "age_to": 17,
        "printed": 2450,
    },
    {
        "key": "children-exposed",
        "title": {
            "sv": "Barn som själva utsätts för våld",
            "en": "Children who are themselves exposed to violence",
        },
        "rate": Decimal("0.05"),
        "rate_source": "NCK (ungefär hälften av de barn som upplever våld utsätts själva)",
        "certainty": {
            "sv": 'Hälften av 10 %: planen skriver "lika många".',
            "en": 'Half of 10 %: the plan says "as many".',
        },
        "sex": "T",
        "age_from": 0,
        "age_to": 17,
        "printed": 2450,
    },
    {
        "key": "yearly-cost",
        "title": {
            "sv": "Det könsrelaterade våldets kostnad per år",
            "en": "The yearly cost of gender-based violence",
        },
        "national_amount": Decimal("45000000000"),
        "unit": "kronor",
        "rate_source": "EIGE: 45 miljarder kronor per år för Sverige",
        "certainty": {
            "sv": "Riksbeloppet fördelat efter länets andel av Sveriges befolkning, som EIGE "
            "själv räknar.",
            "en": "The national amount shared by the county's share of Sweden's population, as "
            "EIGE itself calculates.",
        },
        "sex": "T",
        "age_from": 0,
        "printed": 1000000000,
    },
]


def forwards(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    PlanFigure = apps.get_model("plans", "PlanFigure")
    for plan in Plan.objects.filter(slug=SLUG):
        if PlanFigure.objects.filter(plan=plan).exists():
            continue
        PlanFigure.objects.bulk_create(
            PlanFigure(plan=plan, position=position, **figure)
            for position, figure in enumerate(FIGURES)
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_plan_figures")]

    # Backwards: nothing to undo; the figures go with the table the previous migration drops.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
