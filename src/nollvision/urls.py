from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from nollvision.accounts import views as account_views
from nollvision.accounts.forms import LoginForm
from nollvision.api.api import api
from nollvision.backoffice import meeting_views

accounts_patterns = (
    [
        path(
            "logga-in/",
            account_views.LoginView.as_view(authentication_form=LoginForm),
            name="login",
        ),
        path(
            "logga-in/organisation/",
            account_views.ProviderLoginView.as_view(),
            name="oidc-login",
        ),
        path("logga-ut/", account_views.LogoutView.as_view(), name="logout"),
        path("inbjudan/<str:token>/", account_views.InvitationView.as_view(), name="invitation"),
        path("tvastegs/", account_views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
        path(
            "tvastegs/kod/", account_views.TwoFactorVerifyView.as_view(), name="two-factor-verify"
        ),
        path(
            "losenord/",
            account_views.PasswordResetView.as_view(),
            name="password_reset",
        ),
        path(
            "losenord/skickat/",
            auth_views.PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            "losenord/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete")
            ),
            name="password_reset_confirm",
        ),
        path(
            "losenord/klart/",
            auth_views.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ],
    "accounts",
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("kalender/<str:token>.ics", meeting_views.calendar_feed, name="meetings-feed"),
    # Where an organisation's identity provider sends people back: one address whatever the
    # page's language, as providers register it (the language travels with the login).
    path("konto/oidc/klar/", account_views.ProviderCallbackView.as_view(), name="oidc-callback"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("konto/", include(accounts_patterns)),
    path("arbete/", include("nollvision.backoffice.urls")),
    path("", include("nollvision.public.urls")),
    prefix_default_language=False,
)

handler400 = "nollvision.core.errors.bad_request"
handler403 = "nollvision.backoffice.foreign.refused"
