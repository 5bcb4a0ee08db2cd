from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from nollvision.devtools.demo.followup import DemoNotAllowed, demo_exists, demo_users, load_demo
from nollvision.devtools.demo.meetings import load_meetings_demo
from nollvision.plans.models import Plan


class Command(BaseCommand):
    help = "Create demo users and three years of follow-ups (development databases only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing when the plan has follow-ups already",
        )

    def handle(self, *args, if_missing=False, **options):
        plan = (
            Plan.objects.filter(slug=settings.NOLLVISION_DEFAULT_PLAN).order_by("-version").first()
        )
        if plan is None:
            raise CommandError("Import the default plan first (nollvision import_plan).")
        if if_missing and demo_exists(plan):
            self.stdout.write("Demo data exists already.")
            return
        try:
            campaigns = load_demo(plan=plan, publish=True)
            load_meetings_demo(plan=plan, users=demo_users(plan))
        except DemoNotAllowed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created demo users and follow-ups for {', '.join(str(c.year) for c in campaigns)}."
            )
        )
