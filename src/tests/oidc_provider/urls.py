from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path


def whoami(request):
    """Who is logged in at the provider: the test checks that logging out ended it."""
    return HttpResponse(request.user.username or "nobody", content_type="text/plain")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(template_name="provider_login.html")),
    path("whoami/", whoami),
]
