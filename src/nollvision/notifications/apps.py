from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "nollvision.notifications"
    label = "notifications"
    verbose_name = _("Notices and outgoing e-mail")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permissions
