from django.contrib import admin

from .models import Notice, NoticePreference, OutboxMessage


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "kind", "delivery", "created_at", "read_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["sent_at", "regions"]
    search_fields = ["subject"]
    exclude = ["message"]
    readonly_fields = [
        "from_email",
        "recipients",
        "subject",
        "attempts",
        "last_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    ]
