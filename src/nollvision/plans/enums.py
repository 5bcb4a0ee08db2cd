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


class FigureSex(models.TextChoices):
    """Whom a figure of the plan counts (the codes of the population figures: SCB's K, M, T)."""

    TOTAL = "T", _("everyone")
    WOMEN = "K", _("women")
    MEN = "M", _("men")


class FigureUnit(models.TextChoices):
    """What a figure of the plan counts: people, or an amount of money."""

    PEOPLE = "", _("people")
    KRONOR = "kronor", _("kronor")


class PlanEdit(models.TextChoices):
    """What one step of the plan editor did to a draft version (kept in its history)."""

    STARTED = "started", pgettext_lazy("plan edit", "draft started")
    PLAN = "plan", pgettext_lazy("plan edit", "plan details edited")
    GOAL = "goal", pgettext_lazy("plan edit", "goal edited")
    GOAL_ADDED = "goal_added", pgettext_lazy("plan edit", "goal added")
    MEASURE = "measure", pgettext_lazy("plan edit", "measure edited")
    MEASURE_ADDED = "measure_added", pgettext_lazy("plan edit", "measure added")
    MOVED = "moved", pgettext_lazy("plan edit", "measure moved")
    SPLIT = "split", pgettext_lazy("plan edit", "measure split")
    MERGED = "merged", pgettext_lazy("plan edit", "measures merged")
    RETIRED = "retired", pgettext_lazy("plan edit", "measure retired")
    RESTORED = "restored", pgettext_lazy("plan edit", "retired measure restored")
    RESPONSIBILITY = "responsibility", pgettext_lazy("plan edit", "responsibility edited")
    DESCRIPTION_ADDED = "description_added", pgettext_lazy("plan edit", "responsibility added")
    DESCRIPTION_REMOVED = (
        "description_removed",
        pgettext_lazy("plan edit", "responsibility removed"),
    )
    VOCABULARY = "vocabulary", pgettext_lazy("plan edit", "vocabulary edited")
    BODY = "body", pgettext_lazy("plan edit", "collaboration body edited")
    BODY_ADDED = "body_added", pgettext_lazy("plan edit", "collaboration body added")
    FIGURE = "figure", pgettext_lazy("plan edit", "figure edited")
    FIGURE_ADDED = "figure_added", pgettext_lazy("plan edit", "figure added")
    FIGURE_REMOVED = "figure_removed", pgettext_lazy("plan edit", "figure removed")
    IMPORTED = "imported", pgettext_lazy("plan edit", "plan file imported")
    ADOPTED = "adopted", pgettext_lazy("plan edit", "adopted")
    SIGNED = "signed", pgettext_lazy("plan edit", "signing recorded")


class Verdict(models.TextChoices):
    """A signatory's answer to a consultation on a draft plan, per measure and overall."""

    AGREE = "agree", pgettext_lazy("consultation", "agree")
    AGREE_WITH_CHANGES = "changes", pgettext_lazy("consultation", "agree with changes")
    DISAGREE = "disagree", pgettext_lazy("consultation", "disagree")


class Handling(models.TextChoices):
    """How the coordinator handled a consultation answer."""

    ACCEPTED = "accepted", pgettext_lazy("consultation handling", "accepted")
    PARTLY = "partly", pgettext_lazy("consultation handling", "partly accepted")
    NOT_ACCEPTED = "not", pgettext_lazy("consultation handling", "not accepted")
