from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "nollvision.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation)

        from .public_cache import connect_signals

        connect_signals()

        from .lookups import register

        register()
