from django.conf import settings
from django.core.management.base import BaseCommand

from nollvision.core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo files (pure Python; GNU gettext is not needed)."

    def handle(self, *args, **options):
        for po_path in compile_catalogues(settings.LOCALE_PATHS):
            self.stdout.write(f"compiled {po_path}")
