from django.contrib import admin

from .models import PublishedReport, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "updated_at"]


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    """Published reports are frozen: they can be looked at here, never changed."""

    list_display = ["__str__", "published_at", "published_by"]
    readonly_fields = [
        "report",
        "number",
        "published_at",
        "published_by",
        "answers",
        "checksums",
        "html",
        "pdf",
        "docx",
        "xlsx",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
