"""`make demo-reset`: back to the freshly loaded demo. Removes every table of the demo database
(the SQLite file, or every table of the PostgreSQL schema) and the stored files of MEDIA_ROOT;
`make demo-reset` then migrates and loads the demo again, as `make run` does on a fresh machine.
Refused unless demo data is allowed (development settings), so a real installation never is."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Remove the demo database and its stored files (development databases only)."

    def add_arguments(self, parser):
        parser.add_argument("--no-input", action="store_true", help="do not ask")

    def handle(self, *args, no_input=False, **options):
        if not settings.NOLLVISION_ALLOW_DEMO_DATA:
            raise CommandError("The demo may only be reset with development settings.")
        name = connection.settings_dict["NAME"]
        if not no_input:
            answer = input(f"Remove everything in {name} and {settings.MEDIA_ROOT}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
                raise CommandError("Nothing was removed.")
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                tables = connection.introspection.table_names(cursor)
                for table in tables:
                    cursor.execute(
                        f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE"
                    )
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.rmtree(media)
        self.stdout.write(self.style.SUCCESS(f"Removed the demo database ({name}) and its files."))
