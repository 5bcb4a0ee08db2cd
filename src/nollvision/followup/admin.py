from django.contrib import admin

from nollvision.core.admin import HistoryAdmin

from .models import (
    BodyAnswer,
    Campaign,
    ExtraAnswer,
    ExtraQuestion,
    MeasureAnswer,
    ParticipationAnswer,
    ReminderLog,
    Response,
    ReviewComment,
    RoutineAnswer,
    StatusChange,
)


class ExtraQuestionInline(admin.TabularInline):
    model = ExtraQuestion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "deadline", "status"]
    list_filter = ["status", "plan"]
    inlines = [ExtraQuestionInline]
    # Opening and closing go through the workflow (followup.services), which tells the bodies.
    readonly_fields = ["status"]


@admin.register(Response)
class ResponseAdmin(HistoryAdmin):
    list_display = ["organisation", "campaign", "status", "last_activity_at"]
    list_filter = ["status", "campaign"]
    # Status moves go through the workflow (followup.services), never by editing here.
    readonly_fields = ["status"]


@admin.register(MeasureAnswer)
class MeasureAnswerAdmin(HistoryAdmin):
    list_display = ["response", "measure", "status", "version"]
    list_filter = ["status", "response__campaign"]
    raw_id_fields = ["response", "measure", "assignee", "cleared_by", "updated_by"]


for model in (BodyAnswer, RoutineAnswer, ParticipationAnswer, ExtraAnswer):
    admin.site.register(model, HistoryAdmin)


@admin.register(ExtraQuestion)
class ExtraQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "campaign"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["response", "action", "source", "target", "by", "at"]
    list_filter = ["action"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["response", "item", "author", "created_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["response", "sent_on", "recipients"]
