from django.core.management.base import BaseCommand
from django.utils import timezone

from nollvision.followup.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the contact persons of bodies that have not submitted when the deadline is "
        "near or past; at most once a day per body. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="the site's address, for links")

    def handle(self, *args, base_url="", **options):
        logs = reminders_send(today=timezone.localdate(), base_url=base_url)
        for log in logs:
            self.stdout.write(f"{log.response.organisation}: {log.recipients} recipient(s)")
        self.stdout.write(f"{len(logs)} reminder(s) sent.")
