from django.urls import path

from . import indicator_views, report_views, support_views, views

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
    path(
        "uppfoljningar/<int:pk>/resultat/", report_views.DashboardView.as_view(), name="dashboard"
    ),
    path("uppfoljningar/<int:pk>/matris/", report_views.MatrixView.as_view(), name="matrix"),
    path("uppfoljningar/<int:pk>/rapport/", report_views.ReportView.as_view(), name="report"),
    path(
        "uppfoljningar/<int:pk>/rapport/utkast.<str:fmt>",
        report_views.ReportDownloadView.as_view(),
        name="report-download",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/publicera/",
        report_views.ReportPublishView.as_view(),
        name="report-publish",
    ),
    path(
        "uppfoljningar/<int:pk>/rapport/<int:number>.<str:fmt>",
        report_views.PublishedDownloadView.as_view(),
        name="report-published",
    ),
    path("uppfoljningar/<int:pk>/arkiv/", report_views.ArchiveView.as_view(), name="archive"),
    path("indikatorer/", indicator_views.IndicatorUploadView.as_view(), name="indicator-upload"),
    path(
        "indikatorer/mall.csv",
        indicator_views.IndicatorTemplateView.as_view(),
        name="indicator-template",
    ),
    path("stod/", support_views.ServiceListView.as_view(), name="services"),
    path("stod/ny/", support_views.ServiceCreateView.as_view(), name="service-create"),
    path("stod/<int:pk>/", support_views.ServiceUpdateView.as_view(), name="service-edit"),
    path(
        "stod/<int:pk>/kontrollerad/",
        support_views.ServiceVerifiedView.as_view(),
        name="service-verified",
    ),
    path("anvandare/", views.MembersView.as_view(), name="members"),
    path(
        "anvandare/<int:pk>/ta-bort/",
        views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
]
