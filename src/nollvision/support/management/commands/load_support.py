from django.core.management.base import BaseCommand, CommandError

from nollvision.support.models import Situation, SupportService
from nollvision.support.services import (
    SupportDataError,
    guide_load,
    guide_plan_missing,
    services_load,
)


class Command(BaseCommand):
    help = "Load the shipped support services and the professionals' guide."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Where data is already there, update only the shipped entries checked later "
            "than the stored ones, and leave the guide as it is.",
        )

    def handle(self, *args, if_missing=False, **options):
        try:
            newer_only = if_missing and SupportService.objects.exists()
            written = services_load(only_newer=newer_only)
            self.stdout.write(f"{written} support services loaded.")
            if not (if_missing and Situation.objects.exists()):
                if guide_plan_missing():
                    self.stdout.write("The guide's plan is not imported: no guide loaded.")
                else:
                    self.stdout.write(f"{guide_load()} guide situations loaded.")
        except SupportDataError as error:
            raise CommandError(str(error)) from error
