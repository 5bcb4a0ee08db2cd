from django.contrib import admin

from nollvision.core.admin import HistoryAdmin

from .models import (
    Action,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Group,
    GroupMember,
    Meeting,
)


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(HistoryAdmin):
    list_display = ["key", "plan_slug"]
    filter_horizontal = ["required_organisations"]
    inlines = [MemberInline]


@admin.register(GroupMember)
class GroupMemberAdmin(HistoryAdmin):
    list_display = ["user", "group", "organisation", "role"]
    list_filter = ["group", "role"]


class ItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    filter_horizontal = ["goals", "measures"]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["title", "group", "starts_at", "cancelled", "minutes_published_at"]
    list_filter = ["group", "cancelled"]
    inlines = [ItemInline]
    # Minutes are published through meetings.services, which tells the group's members.
    readonly_fields = ["minutes_published_at"]


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryAdmin):
    list_display = ["meeting", "position", "title"]
    filter_horizontal = ["goals", "measures"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "presence"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting", "size", "uploaded_at"]


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = ["item", "text"]


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = ["text", "organisation", "due", "status"]
    list_filter = ["status", "organisation"]
    filter_horizontal = ["measures"]
