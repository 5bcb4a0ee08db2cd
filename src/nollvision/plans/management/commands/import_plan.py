from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from nollvision.plans.models import Plan
from nollvision.plans.plan_file import PlanFileError, parse_plan_file
from nollvision.plans.services import plan_check, plan_import


class Command(BaseCommand):
    help = "Check a plan file and import it in one transaction (the default plan with no file)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="YAML plan file; '-' reads standard input")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing when this plan and version are in the database already",
        )
        parser.add_argument(
            "--check", action="store_true", help="only check the file; import nothing"
        )

    def handle(self, *args, file=None, if_missing=False, check=False, **options):
        path = Path(file) if file and file != "-" else settings.NOLLVISION_DEFAULT_PLAN_FILE
        name = "<stdin>" if file == "-" else (file or path.name)
        try:
            content = self.stdin.buffer.read() if file == "-" else path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot read the file: %(reason)s")
                % {"file": name, "reason": error.strerror}
            ) from None
        try:
            document = parse_plan_file(content, name)
            plan_data = document.data.get("plan")
            if (
                if_missing
                and isinstance(plan_data, dict)
                and Plan.objects.filter(
                    slug=plan_data.get("slug"), version=plan_data.get("version")
                ).exists()
            ):
                self.stdout.write(
                    _("%(file)s: the plan is in the database already") % {"file": name}
                )
                return
            if check:
                plan_check(document=document)
                self.stdout.write(_("%(file)s: no problems found") % {"file": name})
                return
            result = plan_import(document=document)
        except PlanFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(file)s: %(count)d problem(s); nothing was imported")
                % {"file": name, "count": len(error.problems)}
            ) from None
        message = _("%(created)s %(plan)s version %(version)d with %(measures)d measures") % {
            "created": _("Imported") if result.created else _("Updated"),
            "plan": result.plan.slug,
            "version": result.plan.version,
            "measures": result.measures,
        }
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(_("warning: %(warning)s") % {"warning": warning}))
        self.stdout.write(self.style.SUCCESS(message))
