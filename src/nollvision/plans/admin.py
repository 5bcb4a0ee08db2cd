from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .errors import PlanError
from .models import (
    CollaborationBody,
    Consultation,
    ConsultationAnswer,
    ConsultationMeasureAnswer,
    ConsultationReminder,
    Duty,
    Goal,
    Measure,
    Plan,
    PlanChange,
    PlanFigure,
    Priority,
    ResponsibilityDescription,
    RetiredMeasure,
    Signatory,
    Signing,
    SteeringDocument,
    Term,
)
from .services import plan_new_version


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["organisation"]


class SteeringDocumentInline(admin.TabularInline):
    model = SteeringDocument
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "version", "status", "region", "period_start", "period_end"]
    list_filter = ["status", "region"]
    search_fields = ["slug"]
    inlines = [SignatoryInline, SteeringDocumentInline]
    actions = ["start_new_version"]
    # Adoption goes through the plan editor (plans.editor.plan_adopt): it archives the version
    # before, closes the consultation and asks the signatories to sign.
    readonly_fields = ["status", "adopted_on"]

    @admin.action(description=_("Start a new version (a draft copy)"))
    def start_new_version(self, request, queryset):
        for plan in queryset:
            try:
                new = plan_new_version(plan=plan)
            except PlanError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Created %(plan)s.") % {"plan": new}, messages.SUCCESS)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["label", "vocabulary", "code", "position", "plan"]
    list_filter = ["vocabulary", "plan"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "goal", "change", "plan"]
    list_filter = ["plan", "goal__number", "change"]
    search_fields = ["code", "key"]
    filter_horizontal = ["prevention_levels", "violence_areas", "organisation_kinds"]
    autocomplete_fields = ["derived_from"]


@admin.register(RetiredMeasure)
class RetiredMeasureAdmin(admin.ModelAdmin):
    list_display = ["measure", "plan"]
    list_filter = ["plan"]


class DutyInline(admin.StackedInline):
    model = Duty
    extra = 0


@admin.register(ResponsibilityDescription)
class ResponsibilityDescriptionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation_kind", "plan"]
    list_filter = ["plan"]
    inlines = [DutyInline]


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["text", "description", "chain_stage"]
    list_filter = ["description__plan", "chain_stage"]


@admin.register(CollaborationBody)
class CollaborationBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "plan"]
    list_filter = ["plan", "level"]


@admin.register(PlanFigure)
class PlanFigureAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "rate", "national_amount", "unit", "plan"]
    list_filter = ["plan"]
    search_fields = ["key"]


@admin.register(SteeringDocument)
class SteeringDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "plan"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "plan", "position"]
    list_filter = ["plan"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "first_year", "last_year", "decided_by", "decided_on"]
    list_filter = ["plan"]
    filter_horizontal = ["measures"]


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "plan", "action", "summary", "user"]
    list_filter = ["action", "plan"]
    readonly_fields = ["at"]


@admin.register(Signing)
class SigningAdmin(admin.ModelAdmin):
    list_display = ["organisation", "plan", "signed_on", "role"]
    list_filter = ["plan"]
    autocomplete_fields = ["organisation"]
    # A signing is recorded on the plan's signings page (plans.services.signing_record): it is
    # logged in the plan's changes and settles the body's notice.
    readonly_fields = ["signed_on"]


class ConsultationMeasureAnswerInline(admin.TabularInline):
    model = ConsultationMeasureAnswer
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["plan", "deadline", "created_at", "closed_at"]
    list_filter = ["plan"]
    readonly_fields = ["closed_at"]


@admin.register(ConsultationAnswer)
class ConsultationAnswerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "consultation", "verdict", "submitted_at", "handling"]
    list_filter = ["consultation", "verdict"]
    inlines = [ConsultationMeasureAnswerInline]
    # Sending an answer in goes through plans.consultation, which tells the county board.
    readonly_fields = ["submitted_at", "submitted_by"]


@admin.register(ConsultationMeasureAnswer)
class ConsultationMeasureAnswerAdmin(admin.ModelAdmin):
    list_display = ["measure_code", "answer", "verdict", "handling"]
    list_filter = ["verdict", "handling"]


@admin.register(ConsultationReminder)
class ConsultationReminderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "consultation", "sent_on", "recipients"]
