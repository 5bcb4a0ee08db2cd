from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nollvision.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `nollvision backup` into an empty (or, with --replace, any) database."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--database-url", help="restore into this database instead of the settings' one"
        )
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that holds data"
        )

    def handle(self, *args, file, database_url=None, replace=False, **options):
        try:
            backup_restore(Path(file), database_url=database_url, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
