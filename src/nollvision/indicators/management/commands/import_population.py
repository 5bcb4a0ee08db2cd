import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nollvision.indicators.jsonstat import JsonStatError, bands, fetch, parse
from nollvision.indicators.kolada import KoladaError
from nollvision.indicators.services import population_import


class Command(BaseCommand):
    help = (
        "Import population by region, sex and age from SCB (table TAB638, JSON-stat2), "
        "summed into the age bands the estimates use; --from-file reads a saved response."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default="00,22,2260,2262,2280,2281,2282,2283,2284")
        parser.add_argument("--year", default="2023")
        parser.add_argument("--from-file")

    def handle(self, *args, region="", year="", from_file=None, **options):
        try:
            if from_file:
                try:
                    payload = json.loads(Path(from_file).read_text("utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise JsonStatError(f"{from_file}: {error}") from None
                source = f"SCB TAB638, file {Path(from_file).name}"
            else:
                years = [int(y) for y in year.split(",")]
                payload = fetch(region.split(","), years)
                source = "SCB TAB638 (BE0101N1)"
            summary = population_import(counts=bands(parse(payload)), source=source)
        except (JsonStatError, KoladaError, ValueError) as error:
            raise CommandError(f"{error}; nothing was imported") from None
        self.stdout.write(str(summary))
