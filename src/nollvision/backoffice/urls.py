from django.urls import path

from . import (
    answer_views,
    campaign_views,
    consultation_views,
    county_views,
    guide_views,
    home_views,
    indicator_views,
    job_views,
    meeting_views,
    notice_views,
    people_views,
    plan_editor_views,
    plan_views,
    provider_views,
    report_views,
    support_views,
)
from .plan_document_views import PlanDocumentView

app_name = "backoffice"
urlpatterns = [
    path("", home_views.HomeView.as_view(), name="home"),
    path("meddelanden/", notice_views.NoticesView.as_view(), name="notices"),
    path("utkorg/", notice_views.OutboxView.as_view(), name="outbox"),
    path(
        "planer/<slug:slug>/prioriteringar/",
        plan_views.PrioritiesView.as_view(),
        name="priorities",
    ),
    path(
        "planer/<slug:slug>/remiss/",
        consultation_views.ConsultationsView.as_view(),
        name="consultations",
    ),
    path("remiss/<int:pk>/", consultation_views.ConsultationView.as_view(), name="consultation"),
    path(
        "remiss/<int:pk>/sammanstallning.<str:fmt>",
        consultation_views.SummaryDownloadView.as_view(),
        name="consultation-summary",
    ),
    path(
        "remiss/<int:pk>/sammanstall.<str:fmt>",
        job_views.ConsultationSummaryBuildView.as_view(),
        name="consultation-summary-build",
    ),
    path(
        "remiss/svar/<int:pk>/",
        consultation_views.AnswerView.as_view(),
        name="consultation-answer",
    ),
    path(
        "planer/<slug:slug>/plan/", plan_editor_views.PlanEditorView.as_view(), name="plan-editor"
    ),
    path(
        "planer/<slug:slug>/utkast/uppgifter/",
        plan_editor_views.PlanDetailsView.as_view(),
        name="plan-details",
    ),
    path(
        "planer/<slug:slug>/utkast/mal/nytt/",
        plan_editor_views.GoalView.as_view(),
        name="plan-goal-add",
    ),
    path(
        "planer/<slug:slug>/utkast/mal/<int:number>/",
        plan_editor_views.GoalView.as_view(),
        name="plan-goal",
    ),
    path(
        "planer/<slug:slug>/utkast/atgard/ny/",
        plan_editor_views.MeasureView.as_view(),
        name="plan-measure-add",
    ),
    path(
        "planer/<slug:slug>/utkast/atgard/<str:key>/",
        plan_editor_views.MeasureView.as_view(),
        name="plan-measure",
    ),
    path(
        "planer/<slug:slug>/utkast/atgard/<str:key>/dela/",
        plan_editor_views.SplitView.as_view(),
        name="plan-split",
    ),
    path(
        "planer/<slug:slug>/utkast/atgard/<str:key>/utga/",
        plan_editor_views.RetireView.as_view(),
        name="plan-retire",
    ),
    path(
        "planer/<slug:slug>/utkast/sla-ihop/",
        plan_editor_views.MergeView.as_view(),
        name="plan-merge",
    ),
    path(
        "planer/<slug:slug>/utkast/ansvar/ny/",
        plan_editor_views.ResponsibilityView.as_view(),
        name="plan-responsibility-add",
    ),
    path(
        "planer/<slug:slug>/utkast/ordlista/<str:name>/",
        plan_editor_views.VocabularyView.as_view(),
        name="plan-vocabulary",
    ),
    path(
        "planer/<slug:slug>/utkast/ansvar/<str:kind>/",
        plan_editor_views.ResponsibilityView.as_view(),
        name="plan-responsibility",
    ),
    path(
        "planer/<slug:slug>/utkast/samverkan/ny/",
        plan_editor_views.BodyView.as_view(),
        name="plan-body-add",
    ),
    path(
        "planer/<slug:slug>/utkast/samverkan/<str:key>/",
        plan_editor_views.BodyView.as_view(),
        name="plan-body",
    ),
    path(
        "planer/<slug:slug>/utkast/siffror/ny/",
        plan_editor_views.FigureView.as_view(),
        name="plan-figure-add",
    ),
    path(
        "planer/<slug:slug>/utkast/siffror/<str:key>/",
        plan_editor_views.FigureView.as_view(),
        name="plan-figure",
    ),
    path(
        "planer/<slug:slug>/utkast/forhandsvisning/",
        plan_editor_views.PreviewView.as_view(),
        name="plan-preview",
    ),
    path(
        "planer/<slug:slug>/utkast/anta/", plan_editor_views.AdoptView.as_view(), name="plan-adopt"
    ),
    path(
        "planer/<slug:slug>/underskrifter/",
        plan_editor_views.SigningsView.as_view(),
        name="plan-signings",
    ),
    path(
        "planer/<slug:slug>/version/<int:version>/dokument.<str:fmt>",
        PlanDocumentView.as_view(),
        name="plan-document",
    ),
    path(
        "planer/<slug:slug>/version/<int:version>/bygg-dokument.<str:fmt>",
        job_views.PlanDocumentBuildView.as_view(),
        name="plan-document-build",
    ),
    path("jobb/<int:pk>/", job_views.JobView.as_view(), name="job"),
    path("jobb/<int:pk>/fil/", job_views.JobFileView.as_view(), name="job-file"),
    path("svar/<int:pk>/", answer_views.ResponseView.as_view(), name="response"),
    path(
        "svar/<int:pk>/status/", answer_views.TransitionView.as_view(), name="response-transition"
    ),
    path(
        "svar/<int:pk>/forra-aret/",
        answer_views.StartFromPreviousView.as_view(),
        name="response-previous",
    ),
    path("svar/<int:pk>/tilldela/", answer_views.AssignView.as_view(), name="response-assign"),
    path(
        "svar/<int:pk>/publicering/<int:answer_pk>/",
        answer_views.ClearForPublicationView.as_view(),
        name="response-clear",
    ),
    path(
        "svar/<int:pk>/publicering/",
        answer_views.ClearBodyView.as_view(),
        name="response-clear-body",
    ),
    path("svar/<int:pk>/historik/", answer_views.HistoryView.as_view(), name="response-history"),
    path("svar/<int:pk>/excel/", answer_views.ExcelDownloadView.as_view(), name="response-excel"),
    path(
        "svar/<int:pk>/excel/ladda-upp/",
        answer_views.ExcelUploadView.as_view(),
        name="response-upload",
    ),
    path("uppfoljningar/ny/", campaign_views.CampaignCreateView.as_view(), name="campaign-create"),
    path("uppfoljningar/<int:pk>/", campaign_views.CampaignView.as_view(), name="campaign"),
    path(
        "uppfoljningar/<int:pk>/atgard/",
        campaign_views.CampaignActionView.as_view(),
        name="campaign-action",
    ),
    path(
        "uppfoljningar/<int:pk>/organisationer/<int:body>/",
        campaign_views.CampaignBodyView.as_view(),
        name="campaign-body",
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
    path(
        "indikatorer/aktualitet/",
        indicator_views.IndicatorFreshnessView.as_view(),
        name="indicator-freshness",
    ),
    path("stod/", support_views.ServiceListView.as_view(), name="services"),
    path("stod/ny/", support_views.ServiceCreateView.as_view(), name="service-create"),
    path("stod/<int:pk>/", support_views.ServiceUpdateView.as_view(), name="service-edit"),
    path(
        "stod/<int:pk>/kontrollerad/",
        support_views.ServiceVerifiedView.as_view(),
        name="service-verified",
    ),
    path("planer/<slug:slug>/guide/", guide_views.GuideView.as_view(), name="guide"),
    path(
        "planer/<slug:slug>/guide/ny/",
        guide_views.SituationFormView.as_view(),
        name="guide-situation-add",
    ),
    path(
        "planer/<slug:slug>/guide/<int:pk>/",
        guide_views.SituationFormView.as_view(),
        name="guide-situation",
    ),
    path(
        "planer/<slug:slug>/guide/<int:pk>/flytta/",
        guide_views.SituationMoveView.as_view(),
        name="guide-situation-move",
    ),
    path(
        "planer/<slug:slug>/guide/<int:pk>/ta-bort/",
        guide_views.SituationDeleteView.as_view(),
        name="guide-situation-delete",
    ),
    path(
        "planer/<slug:slug>/guide/<int:situation>/steg/nytt/",
        guide_views.StepFormView.as_view(),
        name="guide-step-add",
    ),
    path(
        "planer/<slug:slug>/guide/steg/<int:pk>/",
        guide_views.StepFormView.as_view(),
        name="guide-step",
    ),
    path(
        "planer/<slug:slug>/guide/steg/<int:pk>/flytta/",
        guide_views.StepMoveView.as_view(),
        name="guide-step-move",
    ),
    path(
        "planer/<slug:slug>/guide/steg/<int:pk>/ta-bort/",
        guide_views.StepDeleteView.as_view(),
        name="guide-step-delete",
    ),
    path("grupper/", meeting_views.GroupListView.as_view(), name="groups"),
    path("grupper/<int:pk>/", meeting_views.GroupView.as_view(), name="group"),
    path("grupper/<int:pk>/medlemmar/", meeting_views.MemberAddView.as_view(), name="member-add"),
    path(
        "medlemmar/<int:pk>/ta-bort/",
        meeting_views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path(
        "grupper/<int:pk>/kalender/",
        meeting_views.CalendarRenewView.as_view(),
        name="calendar-renew",
    ),
    path(
        "grupper/<int:pk>/moten/ny/", meeting_views.MeetingFormView.as_view(), name="meeting-create"
    ),
    path("moten/<int:pk>/", meeting_views.MeetingView.as_view(), name="meeting"),
    path(
        "moten/<int:meeting>/andra/", meeting_views.MeetingFormView.as_view(), name="meeting-edit"
    ),
    path("moten/<int:pk>/narvaro/", meeting_views.AttendanceView.as_view(), name="attendance"),
    path(
        "moten/<int:pk>/bilagor/",
        meeting_views.AttachmentUploadView.as_view(),
        name="attachment-add",
    ),
    path("bilagor/<int:pk>/", meeting_views.AttachmentDownloadView.as_view(), name="attachment"),
    path("moten/<int:pk>/punkter/ny/", meeting_views.ItemFormView.as_view(), name="item-create"),
    path("punkter/<int:item>/", meeting_views.ItemFormView.as_view(), name="item-edit"),
    path("punkter/<int:pk>/beslut/", meeting_views.DecisionAddView.as_view(), name="decision-add"),
    path(
        "punkter/<int:item>/uppdrag/ny/",
        meeting_views.ActionFormView.as_view(),
        name="action-create",
    ),
    path("uppdrag/<int:action>/", meeting_views.ActionFormView.as_view(), name="action-edit"),
    path("uppdrag/", meeting_views.ActionListView.as_view(), name="actions"),
    path(
        "moten/<int:pk>/publicera/",
        meeting_views.MinutesPublishView.as_view(),
        name="minutes-publish",
    ),
    path(
        "moten/<int:pk>/protokoll.<str:fmt>",
        meeting_views.MinutesDownloadView.as_view(),
        name="minutes",
    ),
    path(
        "planer/<slug:slug>/atgarder/<str:key>/",
        meeting_views.MeasureWorkView.as_view(),
        name="measure-work",
    ),
    path("anvandare/", people_views.MembersView.as_view(), name="members"),
    path("lan/", county_views.CountyListView.as_view(), name="counties"),
    path("lan/<str:code>/", county_views.CountyView.as_view(), name="county"),
    path("lan/<str:code>/inloggning/", provider_views.ProvidersView.as_view(), name="providers"),
    path(
        "lan/<str:code>/inloggning/<int:pk>/",
        provider_views.ProvidersView.as_view(),
        name="provider",
    ),
    path(
        "anvandare/<int:pk>/ta-bort/",
        people_views.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path(
        "anvandare/inbjudningar/<int:pk>/skicka-igen/",
        people_views.InvitationResendView.as_view(),
        name="invitation-resend",
    ),
    path(
        "anvandare/inbjudningar/<int:pk>/aterkalla/",
        people_views.InvitationWithdrawView.as_view(),
        name="invitation-withdraw",
    ),
]
