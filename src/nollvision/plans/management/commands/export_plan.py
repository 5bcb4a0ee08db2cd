from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from nollvision.plans.export import plan_to_yaml
from nollvision.plans.models import Plan


class Command(BaseCommand):
    help = "Write a plan in the plan file format (the newest version unless --plan-version)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--plan-version", type=int, help="which version (default: newest)")
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, slug, plan_version=None, output=None, **options):
        plans = Plan.objects.filter(slug=slug).order_by("-version")
        if plan_version is not None:
            plans = plans.filter(version=plan_version)
        plan = plans.first()
        if plan is None:
            raise CommandError(
                _("no plan '%(slug)s'%(version)s")
                % {
                    "slug": slug,
                    "version": _(" version %(version)d") % {"version": plan_version}
                    if plan_version
                    else "",
                }
            )
        text = plan_to_yaml(plan)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
