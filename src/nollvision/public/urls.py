from django.urls import path

from nollvision.core.public_cache import cached_page

from . import figures_views, support_views, transparency_views, views
from .county import county_first

app_name = "public"


def page(view):
    """A public page: the same for every visitor without cookies, so it may be cached."""
    return cached_page(view.as_view())


def county_page(view):
    """A county-less address of a page that follows a county (public/county.py)."""
    return cached_page(county_first(view.as_view()))


PLAN = "planer/<slug:slug>/v<int:version>/"
urlpatterns = [
    path("", page(views.HomeView), name="home"),
    path("planer/", page(views.PlanListView), name="plan-list"),
    path("lamna/", views.QuickExitView.as_view(), name="quick-exit"),
    path("surfa-sakrare/", page(views.SaferBrowsingView), name="safer-browsing"),
    path("tillganglighet/", page(support_views.AccessibilityView), name="accessibility"),
    path("stod/", page(support_views.SupportView), name="support"),
    path("stod/<str:area>/", page(support_views.SupportView), name="support-area"),
    path("vad-gor-jag/", county_page(support_views.GuideView), name="guide"),
    path("vad-gor-jag/<slug:key>/", county_page(support_views.SituationView), name="situation"),
    path("siffror/", county_page(figures_views.FiguresView), name="figures"),
    path("indikatorer/", county_page(figures_views.IndicatorsView), name="indicators"),
    path("lattlast/", county_page(transparency_views.EasyReadView), name="easy-read"),
    path("planer/<slug:slug>/", page(views.PlanDetailView), name="plan-detail"),
    path(
        "planer/<slug:slug>/dokument.<str:fmt>",
        views.PlanDocumentView.as_view(),
        name="plan-document",
    ),
    # The pages that follow a county, with its plan in the address.
    path(
        "planer/<slug:slug>/indikatorer/",
        page(figures_views.IndicatorsView),
        name="plan-indicators",
    ),
    path("planer/<slug:slug>/siffror/", page(figures_views.FiguresView), name="plan-figures"),
    path(
        "planer/<slug:slug>/lattlast/",
        page(transparency_views.EasyReadView),
        name="plan-easy-read",
    ),
    path("planer/<slug:slug>/vad-gor-jag/", page(support_views.GuideView), name="plan-guide"),
    path(
        "planer/<slug:slug>/vad-gor-jag/<slug:key>/",
        page(support_views.SituationView),
        name="plan-situation",
    ),
    path(PLAN, page(views.PlanDetailView), name="plan-version"),
    path(
        PLAN + "dokument.<str:fmt>",
        views.PlanDocumentView.as_view(),
        name="plan-version-document",
    ),
    path(PLAN + "mal/<int:number>/", page(transparency_views.GoalView), name="goal-detail"),
    path(PLAN + "atgarder/<str:code>/", page(views.MeasureDetailView), name="measure-detail"),
    path(PLAN + "ansvar/", page(views.ResponsibilitiesView), name="responsibilities"),
    path(
        PLAN + "organisationer/<slug:organisation>/",
        page(transparency_views.OrganisationView),
        name="organisation-detail",
    ),
    path(PLAN + "samverkan/", page(views.CollaborationView), name="collaboration"),
    path(PLAN + "lattlast/", page(transparency_views.EasyReadView), name="easy-read-version"),
    path("planer/<slug:slug>/rapporter/", page(transparency_views.ReportsView), name="reports"),
    path(
        "planer/<slug:slug>/rapporter/<int:year>/<int:number>.<str:fmt>",
        transparency_views.ReportFileView.as_view(),
        name="report-file",
    ),
    path("planer/<slug:slug>/jamfor/", page(views.PlanCompareView), name="plan-compare"),
    path("protokoll/<int:pk>/", page(views.MinutesView), name="minutes"),
]
