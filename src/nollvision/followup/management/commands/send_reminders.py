from django.core.management.base import BaseCommand
from django.utils import timezone

from nollvision.followup.services import reminders_send
from nollvision.plans.consultation import consultation_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the contact persons of bodies that have not submitted when the deadline is "
        "near or past, and the approvers of signatories that have not answered an open "
        "consultation on a draft plan; at most once a day per body. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="the site's address, for links")

    def handle(self, *args, base_url="", **options):
        today = timezone.localdate()
        logs = reminders_send(today=today, base_url=base_url)
        for log in logs:
            self.stdout.write(f"{log.response.organisation}: {log.recipients} recipient(s)")
        self.stdout.write(f"{len(logs)} reminder(s) sent.")
        for organisation in logs.unreachable:
            self.stdout.write(f"{organisation}: nobody to receive a reminder (not sent)")
        consulted = consultation_reminders_send(today=today, base_url=base_url)
        for log in consulted:
            self.stdout.write(f"{log.organisation} (consultation): {log.recipients} recipient(s)")
        self.stdout.write(f"{len(consulted)} consultation reminder(s) sent.")
        for organisation in consulted.unreachable:
            self.stdout.write(f"{organisation} (consultation): nobody to receive a reminder")
