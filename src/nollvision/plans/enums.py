"""Fixed choices of the plan domain. Open-ended vocabularies are data (see `Term`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")
    ARCHIVED = "archived", _("archived")


PUBLIC_PLAN_STATUSES = (PlanStatus.ADOPTED, PlanStatus.ARCHIVED)


class Vocabulary(models.TextChoices):
    PREVENTION_LEVEL = "prevention_levels", _("prevention levels")
    VIOLENCE_AREA = "violence_areas", _("violence areas")
    VIOLENCE_STAIRCASE = "violence_staircase", _("violence staircase")
    CHAIN_STAGE = "chain_stages", _("stages of the chain of interventions")


class MeasureChange(models.TextChoices):
    """How a measure relates to the previous version of its plan."""

    UNCHANGED = "unchanged", pgettext_lazy("measure change", "unchanged")
    REWORDED = "reworded", pgettext_lazy("measure change", "reworded")
    SPLIT = "split", pgettext_lazy("measure change", "split")
    MERGED = "merged", pgettext_lazy("measure change", "merged")
    NEW = "new", pgettext_lazy("measure change", "new")


class CollaborationLevel(models.TextChoices):
    COORDINATING = "coordinating", _("coordinating")
    STRATEGIC = "strategic", _("strategic")
    TACTICAL = "tactical", _("tactical")
    OPERATIVE = "operative", _("operative")


class SteeringLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    REGIONAL = "regional", _("regional")
    OTHER = "other", _("other")
