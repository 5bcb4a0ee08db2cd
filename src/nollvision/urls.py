from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

accounts_patterns = (
    [
        path(
            "logga-in/",
            auth_views.LoginView.as_view(redirect_authenticated_user=True),
            name="login",
        ),
        path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "accounts",
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("konto/", include(accounts_patterns)),
    path("", include("nollvision.public.urls")),
    prefix_default_language=False,
)
