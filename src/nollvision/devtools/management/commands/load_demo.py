from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from nollvision.devtools.demo.followup import (
    DEMO_PASSWORD,
    DemoNotAllowed,
    demo_exists,
    demo_users,
    load_demo,
)
from nollvision.devtools.demo.meetings import load_meetings_demo
from nollvision.followup.enums import CampaignStatus
from nollvision.notifications.models import Notice
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
        # The demo's hand-offs and invitations would e-mail its people: kept back, so that
        # setting up prints what was done, not messages and addresses (README, "Two commands").
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            try:
                campaigns = load_demo(plan=plan, publish=True)
                users = demo_users(plan)
                load_meetings_demo(plan=plan, users=users)
            except DemoNotAllowed as error:
                raise CommandError(str(error)) from None
            kept_back = len(mail.outbox)
            mail.outbox = []
        # The demo's years happened before anyone logs in: their notices are history, read, so
        # that "Waiting for you" shows what is to do and the notices of what people do next.
        Notice.objects.filter(read_at__isnull=True).update(read_at=timezone.now())
        years = ", ".join(str(c.year) for c in campaigns)
        closed = ", ".join(str(c.year) for c in campaigns if c.status == CampaignStatus.CLOSED)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo: {len(users)} users in every role (password {DEMO_PASSWORD}, see README), "
                f"follow-ups for {years} (the reports of {closed or 'none'} published), meetings of the "
                f"regional collaboration group; {kept_back} e-mails kept back, not sent."
            )
        )
