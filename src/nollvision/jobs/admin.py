from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are a record of what ran: looked at here (failures first in the filter), never
    changed by hand."""

    list_display = ["title", "kind", "state", "attempts", "started_by", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "target", "error"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
