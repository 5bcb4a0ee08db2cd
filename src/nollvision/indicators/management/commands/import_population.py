import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nollvision.accounts import geography
from nollvision.accounts.models import Region
from nollvision.indicators.jsonstat import JsonStatError, bands, fetch, parse
from nollvision.indicators.kolada import KoladaError
from nollvision.indicators.services import population_import


def plan_regions(slug: str) -> list[str]:
    """SCB's region codes a plan's figures need: Sweden (a national amount is shared by the
    county's share of it), the plan's county and its municipalities, from the official list."""
    code = Region.objects.filter(plans__slug=slug).values_list("code", flat=True).first()
    county = geography.county(code) if code else None
    if county is None:
        raise CommandError(
            f"The plan {slug} is not here (nollvision import_plan brings it in); "
            "or name the areas with --region."
        )
    return ["00", county.code, *(m.code for m in county.municipalities)]


class Command(BaseCommand):
    help = (
        "Import population by region, sex and age from SCB (table TAB638, JSON-stat2), "
        "summed into the age bands the plan's figures use: Sweden, and the county of the default "
        "plan (or of --plan) with its municipalities, unless --region names the areas; "
        "--from-file reads a saved response."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="SCB region codes, comma-separated (00,22,2281)")
        parser.add_argument("--plan", help="the plan (slug) whose county is imported")
        parser.add_argument("--year", default="2023")
        parser.add_argument("--from-file")

    def handle(self, *args, region=None, plan=None, year="", from_file=None, **options):
        try:
            if from_file:
                try:
                    payload = json.loads(Path(from_file).read_text("utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise JsonStatError(f"{from_file}: {error}") from None
                source = f"SCB TAB638, file {Path(from_file).name}"
            else:
                years = [int(y) for y in year.split(",")]
                regions = (
                    region.split(",")
                    if region
                    else plan_regions(plan or settings.NOLLVISION_DEFAULT_PLAN)
                )
                payload = fetch(regions, years)
                source = "SCB TAB638 (BE0101N1)"
            summary = population_import(counts=bands(parse(payload)), source=source)
        except (JsonStatError, KoladaError, ValueError) as error:
            raise CommandError(f"{error}; nothing was imported") from None
        self.stdout.write(str(summary))
