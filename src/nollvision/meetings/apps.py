from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def sync_groups(sender, *, plan, **kwargs) -> None:
    """A group for each collaboration body of an imported plan, for its meetings."""
    from .services import groups_sync

    groups_sync(plan)


class MeetingsConfig(AppConfig):
    name = "nollvision.meetings"
    label = "meetings"
    verbose_name = _("Collaboration groups and meetings")

    def ready(self) -> None:
        from nollvision.plans.signals import plan_imported

        plan_imported.connect(sync_groups, dispatch_uid="meetings.groups_sync")
