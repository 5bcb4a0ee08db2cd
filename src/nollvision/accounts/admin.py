from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import IdentityProviderForm
from .models import (
    IdentityProvider,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    ProviderLink,
    Region,
    User,
)
from .services import identity_provider_save, invitation_create

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
    list_filter = ["role", "organisation__region"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation__region"]


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "organisation", "role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """An invitation added here goes through the same service as the back office's: a one-time
    token (only its hash kept) and the e-mail with the link. A sent invitation is read-only."""

    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
    ]
    list_filter = ["role", "organisation__region"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation__region"]
    add_form = InvitationAddForm
    readonly_fields = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
        "user",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return list(self.add_form.Meta.fields) if obj is None else list(self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        return False

    def save_form(self, request, form, change):
        data = form.cleaned_data
        return invitation_create(
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
        )

    def save_model(self, request, obj, form, change):
        """Saved by the service in `save_form`."""

    def save_related(self, request, form, formsets, change):
        """An invitation has nothing related to save."""


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """An organisation's OpenID Connect provider; staff usually keep it on the county's page
    (`/arbete/lan/<code>/inloggning/`). Saved through the same service, the secret encrypted."""

    form = IdentityProviderForm
    list_display = ["organisation", "issuer", "domains", "active"]
    list_filter = ["active", "organisation__region"]
    search_fields = ["organisation__name", "issuer", "domains"]
    list_select_related = ["organisation__region"]

    def save_model(self, request, obj, form, change):
        identity_provider_save(provider=obj, client_secret=form.cleaned_data["client_secret"])


@admin.register(ProviderLink)
class ProviderLinkAdmin(admin.ModelAdmin):
    """Which account each provider subject logs in to. Deleting a link lets the provider's
    verified address link the account again at the next login."""

    list_display = ["user", "provider", "created_at", "last_login_at"]
    list_filter = ["provider__organisation__region"]
    search_fields = ["user__username", "user__email", "provider__organisation__name"]
    list_select_related = ["user", "provider__organisation__region"]
    readonly_fields = ["user", "provider", "subject", "created_at", "last_login_at"]

    def has_add_permission(self, request):
        return False
