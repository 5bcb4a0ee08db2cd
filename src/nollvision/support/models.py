"""Where to find support, and the professionals' guide: data the coordinator keeps up to date.

Nothing here is about a person: a service is an organisation's phone line or office, a guide step
is what a kind of body does."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nollvision.core.fields import LineField
from nollvision.core.translated import TranslatedField
from nollvision.indicators.models import Area

from . import hours as opening

# An entry (or one of its facts) not checked for this long is flagged to whoever keeps it.
VERIFY_EVERY = datetime.timedelta(days=365)

phone_validator = RegexValidator(
    r"^[0-9 +\-]{3,20}$", _("A phone number has digits, spaces, + and - only.")
)


class Need(models.TextChoices):
    DANGER = "danger", _("In danger now")
    ADULTS = "adults", _("Adults exposed to violence")
    CHILDREN = "children", _("Children and young people")
    HONOUR = "honour", _("Honour-related violence and oppression")
    PROSTITUTION = "prostitution", _("Prostitution and human trafficking")
    STOP = "stop", _("People who use violence and want to stop")
    RELATIVES = "relatives", _("Relatives and professionals")


@dataclass(frozen=True)
class Check:
    """One fact of an entry shown to a person, where it comes from and when it was checked."""

    field: str  # entry, phone, hours or operator
    label: str
    source: str
    checked: datetime.date | None
    as_of: datetime.date | None = None  # the date the source itself gives, where older


class SupportService(models.Model):
    """A service that helps: a helpline, social services, a shelter, the police, health care.

    `area` empty means the service is national; a county or a municipality limits it there."""

    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    name = TranslatedField(_("name"), multiline=False)
    for_whom = TranslatedField(_("who it is for"), blank=True)
    needs = models.JSONField(_("needs it meets"), default=list)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_services",
        verbose_name=_("county or municipality"),
        help_text=_("Empty for a national service."),
    )
    phone = LineField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    phone_source = models.URLField(_("source of the number"), max_length=500, blank=True)
    phone_checked = models.DateField(
        _("number checked on"),
        null=True,
        blank=True,
        help_text=_("The day someone compared the number with its source or the service."),
    )
    hours = LineField(
        _("opening hours"),
        max_length=200,
        blank=True,
        validators=[opening.validate_hours],
        help_text=opening.HELP,
    )
    hours_note = TranslatedField(
        _("about the opening hours"),
        blank=True,
        multiline=False,
        help_text=_("Shown beside the hours, for what days and times cannot say."),
    )
    hours_source = models.URLField(_("source of the opening hours"), max_length=500, blank=True)
    hours_checked = models.DateField(_("opening hours checked on"), null=True, blank=True)
    hours_as_of = models.DateField(
        _("opening hours as of"),
        null=True,
        blank=True,
        help_text=_("The date the source itself gives for the hours, where it is older news."),
    )
    operator = TranslatedField(
        _("run by"), blank=True, multiline=False, help_text=_("Who answers the line.")
    )
    operator_source = models.URLField(_("source of who runs it"), max_length=500, blank=True)
    operator_checked = models.DateField(_("who runs it checked on"), null=True, blank=True)
    url = models.URLField(_("web address"), max_length=300, blank=True)
    languages = LineField(
        _("languages"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    emergency = models.BooleanField(_("for emergencies"), default=False)
    last_verified = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_(
            "The day someone checked the entry (name, web address, who it is for) with the "
            "service or its source. Empty: not verified."
        ),
    )
    source = models.URLField(_("where the details were checked"), max_length=500, blank=True)
    permanent = models.BooleanField(
        _("permanent national number"),
        default=False,
        help_text=_(
            "A number set nationally and long-standing (112, 114 14, 1177, the national "
            "helplines). It is checked every year like every other entry."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support service")
        verbose_name_plural = _("support services")
        ordering = ["-emergency", "position", "key"]

    def __str__(self) -> str:
        return str(self.name)

    def clean(self):
        unknown = sorted(set(self.needs or []) - set(Need.values))
        if unknown or not self.needs:
            raise ValidationError({"needs": _("Choose at least one need from the list.")})
        if self.last_verified and not (self.phone or self.url):
            raise ValidationError(_("A verified service needs a phone number or a web address."))
        if self.permanent and not self.phone:
            raise ValidationError({"phone": _("A permanent number needs the number.")})
        if self.area_id is None:
            self._clean_national()

    def _clean_national(self):
        """A national entry is shown in every county and kept by the project: every fact a
        person in need reads carries its source and the day it was checked."""
        errors = {}
        if not (self.source and self.last_verified):
            errors["source"] = _("A national entry needs its source and the day it was checked.")
        for check in self.checks():
            if check.field == "entry":
                continue
            if not check.source:
                errors[f"{check.field}_source"] = _("A national entry needs a source for this.")
            if not check.checked:
                errors[f"{check.field}_checked"] = _(
                    "A national entry needs the day this was checked."
                )
        if errors:
            raise ValidationError(errors)

    def checks(self) -> list["Check"]:
        """Each fact shown to a person, with its source and when it was checked: the entry
        itself, then the number, the opening hours and who runs the line where they are given."""
        facts = [Check("entry", _("Details"), self.source, self.last_verified)]
        if self.phone:
            facts.append(Check("phone", _("Number"), self.phone_source, self.phone_checked))
        if self.hours or str(self.hours_note):
            facts.append(
                Check(
                    "hours",
                    _("Opening hours"),
                    self.hours_source,
                    self.hours_checked,
                    self.hours_as_of,
                )
            )
        if str(self.operator):
            facts.append(
                Check("operator", _("Run by"), self.operator_source, self.operator_checked)
            )
        return facts

    @property
    def is_verified(self) -> bool:
        return self.last_verified is not None

    @property
    def checked_on_one_day(self):
        """The day every fact was checked, where they were all checked the same day (else None):
        lists say it once."""
        days = {c.checked for c in self.checks()}
        return days.pop() if len(days) == 1 else None

    def due_checks(self, today: datetime.date | None = None) -> list["Check"]:
        """The facts not checked in the last twelve months (permanent numbers included)."""
        today = today or timezone.localdate()
        return [c for c in self.checks() if c.checked is None or today - c.checked > VERIFY_EVERY]

    def needs_verification(self, today: datetime.date | None = None) -> bool:
        return bool(self.due_checks(today))

    def status(self, moment: datetime.datetime | None = None) -> opening.Status:
        return opening.status(self.hours, moment)

    @property
    def week(self) -> list[str]:
        return opening.week(self.hours)

    @property
    def language_list(self) -> list[str]:
        return [item.strip() for item in self.languages.split(",") if item.strip()]

    @property
    def need_labels(self) -> list[str]:
        return [Need(code).label for code in self.needs if code in Need.values]


class Situation(models.Model):
    """A situation of the professionals' guide ("What do I do if ..."), for a plan by its slug so
    that it carries over to the plan's later versions."""

    plan_slug = models.SlugField(_("plan"), max_length=100)
    key = models.SlugField(_("identifier"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = TranslatedField(_("title"), multiline=False)
    introduction = TranslatedField(_("introduction"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guide situation")
        verbose_name_plural = _("guide situations")
        ordering = ["plan_slug", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan_slug", "key"], name="situation_key_once")
        ]

    def __str__(self) -> str:
        return str(self.title)


class Step(models.Model):
    """One step: what to do, at which stage of the chain, by which kind of body. The duties it
    links are the plan's duties of that kind and stage (narrowed by `duty_contains`)."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("position"), default=0)
    stage = models.CharField(
        _("stage of the chain"), max_length=50, help_text=_("A code of the plan's chain stages.")
    )
    organisation_kind = models.ForeignKey(
        "accounts.OrganisationKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible kind of body"),
        help_text=_("Empty: every body."),
    )
    text = TranslatedField(_("what to do"))
    duty_contains = LineField(
        _("duties containing"),
        max_length=200,
        blank=True,
        help_text=_("Link only the duties whose text contains this; empty links all of the stage."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guide step")
        verbose_name_plural = _("guide steps")
        ordering = ["situation", "position"]

    def __str__(self) -> str:
        return f"{self.situation} {self.position}"
