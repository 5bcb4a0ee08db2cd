from django.contrib import admin

from nollvision.core.admin import HistoryAdmin

from .models import Situation, Step, SupportService


@admin.register(SupportService)
class SupportServiceAdmin(HistoryAdmin):
    list_display = ["key", "name", "area", "phone", "last_verified", "permanent"]
    list_filter = ["area", "emergency", "permanent"]
    search_fields = ["key", "phone"]


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
