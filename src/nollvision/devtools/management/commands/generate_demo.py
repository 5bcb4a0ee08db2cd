import time

from django.core.management.base import BaseCommand, CommandError

from nollvision.devtools.demo.followup import DemoNotAllowed
from nollvision.devtools.generate import generate


class Command(BaseCommand):
    help = "Generate a county- or national-scale data set for benchmarks (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["county", "national"], default="county")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument(
            "--no-publish", action="store_true", help="do not publish the latest year's reports"
        )

    def handle(self, *args, scale, seed, years, no_publish=False, **options):
        start = time.perf_counter()
        try:
            result = generate(scale=scale, seed=seed, years=years, publish=not no_publish)
        except DemoNotAllowed as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"{result.counties} counties, {result.organisations} organisations, "
            f"{result.plans} plans, {result.campaigns} follow-ups, {result.answers} answers, "
            f"{result.indicator_values} indicator values, {result.services} support services, "
            f"{result.publications} published reports in {seconds:.0f} s."
        )
