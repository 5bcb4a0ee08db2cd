from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nollvision.core.admin import HistoryAdmin

from .models import Situation, Step, SupportService


class DueFilter(admin.SimpleListFilter):
    """Entries with a fact (details, number, hours, who runs it) not checked in twelve months."""

    title = _("due for a check")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("yes", _("Due for a check"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.filter(pk__in=[s.pk for s in queryset if s.needs_verification()])


@admin.register(SupportService)
class SupportServiceAdmin(HistoryAdmin):
    list_display = ["key", "name", "area", "phone", "hours", "last_verified", "due", "permanent"]
    list_filter = [DueFilter, "area", "emergency", "permanent"]
    search_fields = ["key", "phone"]

    @admin.display(boolean=True, description=_("due for a check"))
    def due(self, service):
        return service.needs_verification()


class StepInline(admin.StackedInline):
    model = Step
    extra = 0


@admin.register(Situation)
class SituationAdmin(HistoryAdmin):
    list_display = ["key", "plan_slug", "title", "position"]
    list_filter = ["plan_slug"]
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(HistoryAdmin):
    list_display = ["situation", "position", "stage", "organisation_kind"]
    list_filter = ["situation__plan_slug", "stage"]
