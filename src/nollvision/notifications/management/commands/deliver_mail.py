"""Send the e-mail waiting in the outbox: once, or again and again (a worker of its own where no
task queue runs it)."""

import time

from django.core.management.base import BaseCommand

from nollvision.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Send the e-mail waiting in the outbox, retrying failed messages with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between rounds (default 10)."
        )

    def handle(self, *args, once=False, interval=10.0, **options):
        while True:
            result = deliver_due()
            if result["sent"] or result["failed"] or once:
                self.stdout.write(f"{result['sent']} sent, {result['failed']} failed")
            if once:
                return
            time.sleep(interval)
