from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from nollvision.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the whole database into one file (SQLite online backup, or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write (default: var/backups/…)")

    def handle(self, *args, output=None, **options):
        if output is None:
            suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.DATA_DIR) / "backups" / f"nollvision-{stamp}.{suffix}"
        try:
            path = backup_create(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
