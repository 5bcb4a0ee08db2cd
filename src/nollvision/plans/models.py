"""The action plan as versioned data: goals, measures, duties, collaboration bodies, vocabularies."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nollvision.accounts.models import (
    Organisation,
    OrganisationForeignKey,
    OrganisationKind,
    OrganisationManyToManyField,
    Region,
    code_validator,
)
from nollvision.core.fields import FreeTextField, GuardedJSONField, LineField
from nollvision.core.models import TimeStampedModel
from nollvision.core.translated import TranslatedField

from .enums import (
    CollaborationLevel,
    FigureSex,
    FigureUnit,
    Handling,
    MeasureChange,
    PlanEdit,
    PlanStatus,
    SteeringLevel,
    Verdict,
    Vocabulary,
)

measure_code_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", _("A code has letters, digits, dots and hyphens.")
)


class Plan(TimeStampedModel):
    """One version of a regional action plan. Versions of the same plan share a slug."""

    slug = models.SlugField(_("identifier"), max_length=100)
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    title = TranslatedField(_("title"), multiline=False)
    region = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="plans"
    )
    period_start = models.PositiveIntegerField(_("first year"))
    period_end = models.PositiveIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    introduction = TranslatedField(_("introduction"), blank=True)
    source_title = LineField(_("source document"), max_length=300, blank=True)
    source_url = models.URLField(_("source document address"), max_length=500, blank=True)
    resource_centre_name = TranslatedField(
        _("resource centre"),
        blank=True,
        multiline=False,
        help_text=_(
            "The county's competence and resource centre, which bodies link from their websites."
        ),
    )
    resource_centre_url = models.URLField(
        _("resource centre's address"), max_length=500, blank=True
    )
    signatories = OrganisationManyToManyField(
        Organisation,
        verbose_name=_("signatories"),
        through="Signatory",
        related_name="signed_plans",
        blank=True,
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="plan_unique_slug_version"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({_('version')} {self.version})"

    def clean(self) -> None:
        if self.previous_version_id and self.previous_version.slug != self.slug:
            raise ValidationError(
                {"previous_version": _("The previous version must be a version of the same plan.")}
            )
        if self.previous_version_id and self.previous_version.version >= self.version:
            raise ValidationError(
                {"previous_version": _("The previous version must have a lower version number.")}
            )


class SteeringDocument(models.Model):
    """A steering document above the plan: the national strategy, a regional strategy ..."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steering_documents")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = TranslatedField(_("title"), multiline=False)
    level = models.CharField(_("level"), max_length=20, choices=SteeringLevel.choices)
    url = models.URLField(_("address"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("steering document")
        verbose_name_plural = _("steering documents")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return str(self.title)


class Term(models.Model):
    """An entry of a controlled vocabulary of a plan (a prevention level, a violence area ...)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="terms")
    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    position = models.PositiveIntegerField(_("position"), default=0)
    label = TranslatedField(_("label"), multiline=False)
    description = TranslatedField(_("description"), blank=True)

    class Meta:
        verbose_name = _("vocabulary term")
        verbose_name_plural = _("vocabulary terms")
        ordering = ["plan", "vocabulary", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "vocabulary", "code"], name="term_unique_code_per_vocabulary"
            )
        ]

    def __str__(self) -> str:
        return str(self.label)


class Signatory(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signatures")
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signatures"
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation"], name="signatory_unique_per_plan"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = TranslatedField(_("title"))
    text = TranslatedField(_("text"), blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_unique_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Measure(models.Model):
    """One measure (åtgärd) of a goal, in the plan's own words.

    `key` is the measure's identity across versions of the plan: a measure that is unchanged or
    reworded keeps its key; one that is split, merged or new gets a new key and names the measures
    of the previous version it comes from.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=20, validators=[measure_code_validator])
    key = models.CharField(
        _("stable identity"),
        max_length=50,
        validators=[measure_code_validator],
        help_text=_("Kept across versions of the plan while the measure lives on."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    section = TranslatedField(_("section heading"), blank=True, multiline=False)
    text = TranslatedField(pgettext_lazy("measure", "text"))
    prevention_levels = models.ManyToManyField(
        Term,
        verbose_name=_("prevention levels"),
        related_name="measures_at_level",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.PREVENTION_LEVEL},
    )
    violence_areas = models.ManyToManyField(
        Term,
        verbose_name=_("violence areas"),
        related_name="measures_in_area",
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.VIOLENCE_AREA},
    )
    organisation_kinds = models.ManyToManyField(
        OrganisationKind,
        verbose_name=_("organisation kinds concerned"),
        related_name="measures",
        blank=True,
        help_text=_("Leave empty when the measure concerns every kind of organisation."),
    )
    change = models.CharField(
        _("change from the previous version"),
        max_length=20,
        choices=MeasureChange.choices,
        blank=True,
    )
    change_reason = TranslatedField(
        _("reason for the change"),
        blank=True,
        help_text=_("Why the measure was reworded, split, merged or added in this version."),
    )
    derived_from = models.ManyToManyField(
        "self",
        verbose_name=_("derived from"),
        symmetrical=False,
        related_name="successors",
        blank=True,
    )

    class Meta:
        verbose_name = pgettext_lazy("plan", "measure")
        verbose_name_plural = pgettext_lazy("plan", "measures")
        ordering = ["plan", "goal__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="measure_unique_code_per_plan"),
            models.UniqueConstraint(fields=["plan", "key"], name="measure_unique_key_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def clean(self) -> None:
        if self.goal_id and self.plan_id and self.goal.plan_id != self.plan_id:
            raise ValidationError({"goal": _("The goal must belong to the same plan.")})


class RetiredMeasure(models.Model):
    """A measure of the previous version that a new version of the plan does not carry on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="retired_measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="retirements")
    reason = TranslatedField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("retired measure")
        verbose_name_plural = _("retired measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "measure"], name="retired_measure_once")
        ]

    def __str__(self) -> str:
        return str(self.measure)

    def clean(self) -> None:
        if (
            self.plan_id
            and self.measure_id
            and self.measure.plan_id != self.plan.previous_version_id
        ):
            raise ValidationError(
                {"measure": _("A retired measure must come from the previous version.")}
            )


class ResponsibilityDescription(models.Model):
    """What one kind of organisation must do under law and regulation (ansvarsbeskrivning)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    organisation_kind = models.ForeignKey(
        OrganisationKind,
        verbose_name=_("organisation kind"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = TranslatedField(_("title"), multiline=False)

    class Meta:
        verbose_name = _("responsibility description")
        verbose_name_plural = _("responsibility descriptions")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organisation_kind"], name="responsibility_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)


class Duty(models.Model):
    description = models.ForeignKey(
        ResponsibilityDescription, on_delete=models.CASCADE, related_name="duties"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    group = TranslatedField(
        _("group heading"),
        blank=True,
        multiline=False,
        help_text=_("A sub-heading the duty is listed under, if any."),
    )
    text = TranslatedField(_("duty"))
    chain_stage = models.ForeignKey(
        Term,
        verbose_name=_("stage of the chain"),
        on_delete=models.PROTECT,
        related_name="duties",
        null=True,
        blank=True,
        limit_choices_to={"vocabulary": Vocabulary.CHAIN_STAGE},
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["description", "position"]

    def __str__(self) -> str:
        return str(self.text)


class CollaborationBody(models.Model):
    """A group of the collaboration structure: management group, collaboration groups ..."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="collaboration_bodies")
    key = models.CharField(_("identifier"), max_length=50, validators=[code_validator])
    position = models.PositiveIntegerField(_("position"), default=0)
    name = TranslatedField(_("name"), multiline=False)
    level = models.CharField(_("level"), max_length=20, choices=CollaborationLevel.choices)
    mandate = TranslatedField(_("mandate"))

    class Meta:
        verbose_name = _("collaboration body")
        verbose_name_plural = _("collaboration bodies")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="collaboration_body_unique_key")
        ]

    def __str__(self) -> str:
        return str(self.name)


class PlanFigure(models.Model):
    """One of the figures the plan gives (how many are exposed to violence, what the violence
    costs) as arithmetic the figures page does again on the latest population: a rate times a
    population group, or a national amount times the area's share of Sweden's population.
    `printed` is the figure the plan prints for its own county."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.SlugField(_("identifier"), max_length=50)
    title = TranslatedField(_("title"), multiline=False)
    rate = models.DecimalField(
        _("rate"),
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The share of the population group, for example 0.25."),
    )
    national_amount = models.DecimalField(
        _("national amount"),
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("An amount for all of Sweden, shared by the area's share of the population."),
    )
    unit = models.CharField(_("unit"), max_length=20, choices=FigureUnit.choices, blank=True)
    rate_source = LineField(_("source of the rate"), max_length=300)
    certainty = TranslatedField(_("how sure the figure is"), blank=True)
    inferred = models.BooleanField(_("rate inferred, not published"), default=False)
    sex = models.CharField(
        _("population group"), max_length=1, choices=FigureSex.choices, default=FigureSex.TOTAL
    )
    age_from = models.PositiveSmallIntegerField(_("from age"), default=0)
    age_to = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    printed = models.PositiveBigIntegerField(_("the figure the plan prints"), null=True, blank=True)

    class Meta:
        verbose_name = _("figure of the plan")
        verbose_name_plural = _("figures of the plan")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_figure_unique_key"),
            models.CheckConstraint(
                condition=Q(rate__isnull=False, national_amount__isnull=True)
                | Q(rate__isnull=True, national_amount__isnull=False),
                name="plan_figure_rate_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_to__gte=models.F("age_from")),
                name="plan_figure_ages_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if (self.rate is None) == (self.national_amount is None):
            raise ValidationError(
                {"rate": _("Give either a rate or a national amount, not both.")}
                if self.rate is not None
                else {"rate": _("Give a rate or a national amount.")}
            )
        if self.age_to is not None and self.age_from is not None and self.age_to < self.age_from:
            raise ValidationError({"age_to": _("The age band ends before it starts.")})


class Priority(TimeStampedModel):
    """Measures of a plan version the signatories chose to focus on for a period (Västernorrland's
    thirteen prioritised collaboration measures for 2022-2024, say), with who decided it and when.
    Later versions of the plan find them by the measures' stable keys."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = LineField(_("title"), max_length=200)
    first_year = models.PositiveIntegerField(_("from year"))
    last_year = models.PositiveIntegerField(_("to year"))
    decided_by = LineField(
        _("decided by"),
        max_length=200,
        help_text=_("The body that decided it, for example the regional collaboration group."),
    )
    decided_on = models.DateField(_("decided on"))
    measures = models.ManyToManyField(
        Measure, related_name="priorities", verbose_name=_("prioritised measures")
    )

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["plan", "-first_year", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    def clean(self):
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The period ends before it starts.")})
        plan = self.plan if self.plan_id else None
        if plan and self.first_year and self.last_year:
            start, end = plan.period_start, plan.period_end
            if self.first_year < start or self.last_year > end:
                raise ValidationError(
                    _("The period must lie within the plan's %(start)s–%(end)s.")
                    % {"start": start, "end": end}
                )


class PlanChange(models.Model):
    """One step of the plan editor on a version: who did what when, and the item before and
    after, so every change of a draft is kept."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("change"), max_length=20, choices=PlanEdit.choices)
    summary = LineField(_("summary"), max_length=500)
    # The plan file's data of the item, its texts guarded as they were on their way in.
    before = GuardedJSONField(_("before"), default=dict, blank=True)
    after = GuardedJSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change of a plan version")
        verbose_name_plural = _("changes of plan versions")
        ordering = ["plan", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.summary}"


class Signing(models.Model):
    """A signatory's signing of an adopted plan version: who signed, in which role, when; and
    who recorded it in the platform."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signings")
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plan_signings"
    )
    signed_by = LineField(
        _("signed by"),
        max_length=200,
        blank=True,
        help_text=_("The name of the person who signed."),
    )
    role = LineField(
        _("in the role of"),
        max_length=200,
        blank=True,
        help_text=_("For example chair of the municipal board."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # A signing the platform knows only from the plan's own document (a plan adopted and signed
    # before it came here): what the document says, with or without a date.
    source = LineField(
        _("according to"),
        max_length=300,
        blank=True,
        help_text=_("Where a signing made outside the platform is stated, e.g. the plan document."),
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("signing")
        verbose_name_plural = _("signings")
        ordering = ["plan", "signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organisation"], name="signing_once_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.signed_on or self.source}"

    def clean(self):
        """Recorded here (who, in which role, when) or stated by a source; never neither."""
        if self.source:
            return
        missing = {
            name: _("This field is required.")
            for name in ("signed_by", "role", "signed_on")
            if not getattr(self, name)
        }
        if missing:
            raise ValidationError(missing)

    @property
    def from_document(self) -> bool:
        return bool(self.source) and not self.signed_by


class Consultation(TimeStampedModel):
    """A draft plan version sent to its signatories for comment (remiss) with a deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="consultations")
    deadline = models.DateField(_("answer by"))
    message = FreeTextField(_("message to the signatories"), blank=True)
    sent_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["plan", "-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} – {self.deadline}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class HandledMixin(models.Model):
    """How the coordinator handled an answer, and why."""

    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices, blank=True)
    handling_reason = FreeTextField(_("reason"), blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        abstract = True


class ConsultationAnswer(HandledMixin, TimeStampedModel):
    """One signatory's answer to a consultation: overall, with one row per measure it commented."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultation_answers"
    )
    verdict = models.CharField(_("overall"), max_length=20, choices=Verdict.choices, blank=True)
    comment = FreeTextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation answer")
        verbose_name_plural = _("consultation answers")
        ordering = ["consultation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation"], name="consultation_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.consultation}"


class ConsultationMeasureAnswer(HandledMixin):
    """A signatory's answer on one measure of the draft. The measure's code and Swedish text are
    kept, so the answer survives the measure being merged or retired afterwards."""

    answer = models.ForeignKey(
        ConsultationAnswer, on_delete=models.CASCADE, related_name="measure_answers"
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_answers",
    )
    measure_code = models.CharField(
        _("measure"), max_length=20, validators=[measure_code_validator]
    )
    measure_text = FreeTextField(_("the measure's text"), blank=True)
    verdict = models.CharField(_("answer"), max_length=20, choices=Verdict.choices)
    comment = FreeTextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("answer on a measure")
        verbose_name_plural = _("answers on measures")
        ordering = ["answer", "measure_code"]
        constraints = [
            # Once per measure; rows whose measure left the draft (NULL) are kept beside them.
            models.UniqueConstraint(
                fields=["answer", "measure"], name="consultation_measure_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_code}: {self.get_verdict_display()}"


class ConsultationReminder(models.Model):
    """A reminder sent to a signatory that has not answered a consultation (at most one a day)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = OrganisationForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consultation_reminders"
    )
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the daily reminder."),
    )

    class Meta:
        verbose_name = _("consultation reminder")
        verbose_name_plural = _("consultation reminders")
        ordering = ["consultation", "-sent_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "organisation", "sent_on"],
                name="consultation_reminder_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.sent_on}"
