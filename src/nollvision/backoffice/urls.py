from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("svar/<int:pk>/", views.ResponseView.as_view(), name="response"),
    path("svar/<int:pk>/status/", views.TransitionView.as_view(), name="response-transition"),
    path(
        "svar/<int:pk>/forra-aret/", views.StartFromPreviousView.as_view(), name="response-previous"
    ),
    path("svar/<int:pk>/tilldela/", views.AssignView.as_view(), name="response-assign"),
    path(
        "svar/<int:pk>/publicering/<int:answer_pk>/",
        views.ClearForPublicationView.as_view(),
        name="response-clear",
    ),
    path("svar/<int:pk>/historik/", views.HistoryView.as_view(), name="response-history"),
    path("svar/<int:pk>/excel/", views.ExcelDownloadView.as_view(), name="response-excel"),
    path("svar/<int:pk>/excel/ladda-upp/", views.ExcelUploadView.as_view(), name="response-upload"),
    path("uppfoljningar/ny/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("uppfoljningar/<int:pk>/", views.CampaignView.as_view(), name="campaign"),
    path(
        "uppfoljningar/<int:pk>/atgard/", views.CampaignActionView.as_view(), name="campaign-action"
    ),
    path("anvandare/", views.MembersView.as_view(), name="members"),
    path(
        "anvandare/<int:pk>/ta-bort/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
]
