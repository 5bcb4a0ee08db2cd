from django.urls import path

from . import figures_views, views

app_name = "public"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("planer/", views.PlanListView.as_view(), name="plan-list"),
    path("lamna/", views.QuickExitView.as_view(), name="quick-exit"),
    path("surfa-sakrare/", views.SaferBrowsingView.as_view(), name="safer-browsing"),
    path("siffror/", figures_views.FiguresView.as_view(), name="figures"),
    path("indikatorer/", figures_views.IndicatorsView.as_view(), name="indicators"),
    path("planer/<slug:slug>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("planer/<slug:slug>/v<int:version>/", views.PlanDetailView.as_view(), name="plan-version"),
    path(
        "planer/<slug:slug>/v<int:version>/atgarder/<str:code>/",
        views.MeasureDetailView.as_view(),
        name="measure-detail",
    ),
    path(
        "planer/<slug:slug>/v<int:version>/ansvar/",
        views.ResponsibilitiesView.as_view(),
        name="responsibilities",
    ),
    path(
        "planer/<slug:slug>/v<int:version>/samverkan/",
        views.CollaborationView.as_view(),
        name="collaboration",
    ),
    path("planer/<slug:slug>/jamfor/", views.PlanCompareView.as_view(), name="plan-compare"),
]
