from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Invitation, Membership, Organisation, OrganisationKind, Region, User

admin.site.register(User, UserAdmin)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(OrganisationKind)
class OrganisationKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "website"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    readonly_fields = ["token_hash", "accepted_at", "user"]
