"""Public statistics followed beside the plan's goals: indicators and their values."""

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.models import Organisation, OrganisationForeignKey
from nollvision.core.fields import LineField
from nollvision.core.translated import TranslatedField


class AreaLevel(models.TextChoices):
    NATION = "nation", _("nation")
    COUNTY = "county", _("county")
    MUNICIPALITY = "municipality", _("municipality")


class Sex(models.TextChoices):
    TOTAL = "T", _("total")
    WOMEN = "K", _("women")
    MEN = "M", _("men")


class Area(models.Model):
    """A municipality, county or the nation, by Kolada's code (0000, 0022, 2281)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = LineField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = TranslatedField(_("title"), multiline=False)
    description = TranslatedField(_("description"), blank=True)
    unit = LineField(_("unit"), max_length=100, blank=True)
    goal_numbers = models.JSONField(_("goals it follows"), default=list, blank=True)
    source = LineField(_("source"), max_length=200, blank=True)
    licence = LineField(_("licence"), max_length=100, blank=True)
    attribution = LineField(
        _("attribution"), max_length=200, blank=True, help_text=_('For example "Källa: Kolada".')
    )
    level = models.CharField(
        _("level"), max_length=20, choices=AreaLevel.choices, default=AreaLevel.MUNICIPALITY
    )
    by_sex = models.BooleanField(_("divided by sex"), default=False)
    counts_people = models.BooleanField(
        _("counts people"),
        default=False,
        help_text=_(
            "The values are numbers of people: small ones are hidden on public pages so that "
            "no one in a small municipality can be identified."
        ),
    )
    higher_is_better = models.BooleanField(_("higher is better"), null=True, blank=True)
    development = models.BooleanField(
        _("development indicator"),
        default=False,
        help_text=_("Recommended nationally but without a data source yet."),
    )
    method_note = TranslatedField(
        _("method note"),
        blank=True,
        help_text=_(
            "Changes of method or definition that make years or surveys hard to compare; "
            "shown wherever the series is shown."
        ),
    )
    kolada_id = models.CharField(_("Kolada id"), max_length=20, blank=True)
    confirmed = models.BooleanField(
        _("id confirmed"),
        default=False,
        help_text=_("False until the id and title have been checked against the live source."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.title)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="values")
    period = models.PositiveIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    missing_reason = LineField(_("why there is no value"), max_length=200, blank=True)
    status = LineField(_("status flag of the source"), max_length=50, blank=True)
    source = LineField(_("imported from"), max_length=300, blank=True)
    # Who brought a value in by hand (a CSV upload): the person, for the back office, and their
    # body, which public pages name as the value's source. Empty for values from Kolada or SCB.
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_for = OrganisationForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded on behalf of"),
    )
    # The value's own source, shown on public pages: where it was published, under which title,
    # when it was published or retrieved, and whether the publisher rounded it.
    source_url = models.URLField(
        _("source address"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    source_title = LineField(_("source title"), max_length=300, blank=True)
    source_published = models.DateField(_("published"), null=True, blank=True)
    source_retrieved = models.DateField(_("retrieved"), null=True, blank=True)
    rounded = models.BooleanField(
        _("rounded by the publisher"),
        default=False,
        help_text=_("The publisher gives the figure rounded (for example 29 000)."),
    )
    source_note = LineField(_("note on the source"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "area__code", "period", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "sex"], name="indicator_value_once"
            )
        ]
        indexes = [
            # The indicator pages: an area's values by sex, indicator and year (the latest year
            # of the municipalities is read from this index alone).
            models.Index(fields=["area", "sex", "indicator", "period"], name="indicator_value_area")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period} {self.sex}"


class Population(models.Model):
    """Inhabitants of an area on 31 December of a year, by sex and age band (SCB)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="population")
    year = models.PositiveIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    age_from = models.PositiveIntegerField(_("from age"), default=0)
    age_to = models.PositiveIntegerField(
        _("to age"), null=True, blank=True, help_text=_("Empty for no upper limit.")
    )
    count = models.PositiveIntegerField(_("inhabitants"))
    source = LineField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population")
        ordering = ["area__code", "year", "sex", "age_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "sex", "age_from", "age_to"],
                name="population_band_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.sex} {self.age_from}-{self.age_to or ''}"
