from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nollvision.followup.models import Campaign
from nollvision.reports.documents import FORMATS, render, report_content


class Command(BaseCommand):
    help = "Build the annual report of a follow-up (a draft) in one format, for scheduled runs."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="the plan's identifier (slug)")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, plan, year, fmt, output, **options):
        campaign = (
            Campaign.objects.filter(plan__slug=plan, year=year)
            .select_related("plan")
            .order_by("-plan__version")
            .first()
        )
        if campaign is None:
            raise CommandError(f"No follow-up of plan '{plan}' for {year}.")
        data = render(report_content(campaign, draft=True), fmt)
        Path(output).write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data)} bytes).")
