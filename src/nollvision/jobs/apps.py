from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "nollvision.jobs"
    label = "jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from .services import periodic_tasks_sync

        # The worker's regular tasks (settings.NOLLVISION_PERIODIC_TASKS) are kept as
        # django-q schedules after every migrate, so `make run` and a deployment need no step.
        post_migrate.connect(periodic_tasks_sync, sender=self, dispatch_uid="jobs-periodic")
