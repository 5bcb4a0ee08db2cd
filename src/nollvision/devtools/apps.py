from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Demo data, the generated national data set, benchmarks and drills: tools around the
    product, above every other app. Demo data is refused unless NOLLVISION_ALLOW_DEMO_DATA."""

    name = "nollvision.devtools"
    label = "devtools"
    verbose_name = _("Developer tools")
