from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nollvision.followup.errors import FollowupError
from nollvision.followup.models import Campaign
from nollvision.reports.services import campaign_archive


class Command(BaseCommand):
    help = (
        "Write the archive package of a closed follow-up: the published report as PDF/A, the "
        "Excel file, every accepted answer with its history as JSON, and a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", help="zip file to write (default: its own name here)")

    def handle(self, *args, plan, year, output=None, **options):
        campaign = (
            Campaign.objects.filter(plan__slug=plan, year=year).order_by("-plan__version").first()
        )
        if campaign is None:
            raise CommandError(f"No follow-up of plan '{plan}' for {year}.")
        try:
            name, data = campaign_archive(campaign=campaign)
        except FollowupError as error:
            raise CommandError(str(error)) from None
        target = Path(output or name)
        target.write_bytes(data)
        self.stdout.write(f"Wrote {target} ({len(data)} bytes).")
