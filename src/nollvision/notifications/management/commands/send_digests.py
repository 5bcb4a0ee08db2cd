"""Send each person who chose a daily digest one e-mail with the day's notices (daily)."""

from django.core.management.base import BaseCommand

from nollvision.notifications.services import digests_send


class Command(BaseCommand):
    help = "E-mail the daily digest of notices to the people who chose one."

    def handle(self, *args, **options):
        self.stdout.write(f"{digests_send()} digest(s) sent")
