from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nollvision.indicators.csv_import import CsvError, csv_import
from nollvision.indicators.kolada import KoladaClient, KoladaError, values_from_file
from nollvision.indicators.loaders import indicator_set_load, population_load, values_load
from nollvision.indicators.models import Area, Indicator
from nollvision.indicators.services import kolada_values_import


def _years(text: str) -> list[int]:
    years: list[int] = []
    for part in text.split(","):
        first, _sep, last = part.partition("-")
        try:
            years.extend(range(int(first), int(last or first) + 1))
        except ValueError:
            raise CommandError(
                f"--year: '{part}' is not a year or a range like 2020-2024"
            ) from None
    return years


class Command(BaseCommand):
    help = (
        "Import indicator data. `defaults` loads the shipped areas, indicators, population "
        "totals and published values with their sources; `kolada` "
        "fetches values from Kolada's API (or reads saved responses with --from-file) for "
        "the indicators that have a Kolada id. Says what it changed; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=["defaults", "kolada", "csv"])
        parser.add_argument("--kpi", help="Kolada ids, comma-separated (default: all known)")
        parser.add_argument("--area", help="area codes, comma-separated (default: all known)")
        parser.add_argument("--year", default="2015-2025", help="years, e.g. 2019,2021-2024")
        parser.add_argument(
            "--from-file", help="kolada: a saved response (JSON) instead of HTTP; csv: the file"
        )

    def handle(self, *args, source, kpi=None, area=None, year="", from_file=None, **options):
        if source == "defaults":
            areas, indicators = indicator_set_load()
            population = population_load()
            try:
                values = values_load()
            except CsvError as error:  # the shipped file is checked like any other
                raise CommandError("; ".join(error.problems)) from None
            self.stdout.write(
                f"{areas} areas, {indicators} indicators and {population} "
                f"population figures loaded; published values: {values}."
            )
            return
        if source == "csv":
            if not from_file:
                raise CommandError("csv needs --from-file FILE (template: docs/indicators-csv.md)")
            try:
                content = Path(from_file).read_bytes()
            except OSError as error:
                raise CommandError(f"{from_file}: {error.strerror}") from None
            try:
                summary = csv_import(content=content, source=f"csv:{Path(from_file).name}")
            except CsvError as error:
                for problem in error.problems:
                    self.stderr.write(f"{from_file}: {problem}")
                raise CommandError(
                    f"{len(error.problems)} problem(s); nothing was imported"
                ) from None
            self.stdout.write(str(summary))
            return
        try:
            if from_file:
                path = Path(from_file)
                try:
                    content = path.read_bytes()
                except OSError as error:
                    raise CommandError(f"{from_file}: {error.strerror}") from None
                values, origin = values_from_file(content, path.name), f"file:{path.name}"
            else:
                kpis = (
                    kpi.split(",")
                    if kpi
                    else list(
                        Indicator.objects.exclude(kolada_id="").values_list("kolada_id", flat=True)
                    )
                )
                areas = (
                    area.split(",") if area else list(Area.objects.values_list("code", flat=True))
                )
                client = KoladaClient(settings.NOLLVISION_KOLADA_URL)
                values, origin = client.values(kpis, areas, _years(year)), "kolada-api"
            summary = kolada_values_import(values=values, source=origin)
        except KoladaError as error:
            raise CommandError(f"{error}; nothing was imported") from None
        self.stdout.write(str(summary))
