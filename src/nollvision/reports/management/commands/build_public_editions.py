from django.core.management.base import BaseCommand

from nollvision.reports.models import PublishedReport
from nollvision.reports.services import public_edition_build


class Command(BaseCommand):
    help = (
        "Build the public edition of publications made before editions existed, where the "
        "accepted answers and the narrative are still those they were built from. Until built, "
        "a publication's files are not on the public record. Nothing is deleted."
    )

    def handle(self, *args, **options):
        built, waiting = 0, []
        for publication in PublishedReport.objects.filter(public_html="").select_related(
            "report__campaign__plan"
        ):
            if public_edition_build(publication=publication):
                built += 1
            else:
                waiting.append(str(publication))
        self.stdout.write(f"{built} public editions built.")
        for name in waiting:
            self.stdout.write(
                f"{name}: its answers or narrative changed since publication; publish again "
                "to put its report on the public record."
            )
