"""The coordinator's dashboard and the annual report."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from nollvision.accounts.models import Organisation, OrganisationKind
from nollvision.backoffice.forms import PrioritisedFilterForm, text_field
from nollvision.followup.enums import MeasureStatus
from nollvision.followup.errors import FollowupError
from nollvision.followup.models import Campaign
from nollvision.followup.selectors import (
    CELL_NOT_SENT,
    CELL_SYMBOLS,
    CELL_WAITING,
    cell_label,
    responses_visible_to,
    work_matrix,
)
from nollvision.jobs.enums import JobKind
from nollvision.jobs.selectors import job_under_way, latest_job
from nollvision.jobs.services import job_enqueue
from nollvision.reports.assemble import assemble
from nollvision.reports.checks import publication_check
from nollvision.reports.documents import (
    FORMATS,
    published_files,
    render,
    report_content,
    style_hashes,
)
from nollvision.reports.downloads import published_file_response
from nollvision.reports.figures import Filter
from nollvision.reports.models import PublishedReport, Report
from nollvision.reports.services import report_save

from .confirm import confirmation, confirmed
from .job_views import started


class CampaignAccessMixin(LoginRequiredMixin):
    permission = "followup.manage_campaign"

    def load_campaign(self) -> Campaign:
        campaign = (
            Campaign.objects.select_related("plan__region").filter(pk=self.kwargs["pk"]).first()
        )
        if campaign is None:
            raise Http404
        if not self.request.user.has_perm(self.permission, campaign):
            raise PermissionDenied
        return campaign


class DashboardFilterForm(PrioritisedFilterForm):
    goal = forms.TypedChoiceField(
        label=gettext_lazy("Goal"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Organisation kind"), required=False)
    body = forms.TypedChoiceField(
        label=gettext_lazy("Organisation"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, plan=campaign.plan, **kwargs)
        everything = [("", _("All"))]
        goals = campaign.plan.goals.all()
        organisations = Organisation.objects.filter(responses__campaign=campaign).select_related(
            "kind"
        )
        self.fields["goal"].choices = everything + [
            (g.number, f"{g.number}. {g.title}") for g in goals
        ]
        kinds = {o.kind for o in organisations}
        self.fields["kind"].choices = everything + [
            (k.code, str(k.name)) for k in sorted(kinds, key=lambda k: k.code)
        ]
        self.fields["body"].choices = everything + [(o.pk, o.name) for o in organisations]

    def criteria(self) -> Filter:
        if not self.is_valid():
            return Filter()
        data = self.cleaned_data
        return Filter(
            goal=data.get("goal"),
            kind=data.get("kind") or None,
            body=data.get("body"),
            measure_keys=self.measure_keys(),
        )


class DashboardView(CampaignAccessMixin, TemplateView):
    template_name = "backoffice/dashboard.html"
    permission = "followup.view_dashboard"

    def get_context_data(self, **kwargs):
        campaign = self.load_campaign()
        form = DashboardFilterForm(self.request.GET or None, campaign=campaign)
        figures = assemble(campaign, form.criteria())
        return super().get_context_data(
            campaign=campaign,
            form=form,
            f=figures,
            prioritised=form.periods,
            kinds={k.code: str(k.name) for k in OrganisationKind.objects.all()},
            **kwargs,
        )


class MatrixFilterForm(PrioritisedFilterForm):
    goal = forms.TypedChoiceField(
        label=gettext_lazy("Goal"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of organisation"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, plan=campaign.plan, **kwargs)
        everything = [("", _("All"))]
        self.fields["goal"].choices = everything + [
            (g.number, f"{g.number}. {g.title}") for g in campaign.plan.goals.all()
        ]
        kinds = OrganisationKind.objects.filter(organisations__responses__campaign=campaign)
        kinds = set(kinds.distinct())
        self.fields["kind"].choices = everything + sorted(
            ((k.code, str(k.name)) for k in kinds), key=lambda item: item[1]
        )
        states = [*MeasureStatus.values, CELL_WAITING, CELL_NOT_SENT]
        self.fields["state"].choices = everything + [(s, cell_label(s)) for s in states]


class MatrixView(CampaignAccessMixin, TemplateView):
    """The central view: each measure against each body as the follow-up stands now; each cell
    a link to that answer (where the viewer may open it), each state a colour and a symbol."""

    template_name = "backoffice/matrix.html"
    permission = "followup.view_dashboard"

    def get_context_data(self, **kwargs):
        campaign = self.load_campaign()
        form = MatrixFilterForm(self.request.GET or None, campaign=campaign)
        data = form.cleaned_data if form.is_valid() else {}
        matrix = work_matrix(
            campaign,
            goal=data.get("goal"),
            kind=data.get("kind"),
            state=data.get("state"),
            measure_keys=form.measure_keys(),
        )
        readable = set(
            responses_visible_to(self.request.user)
            .filter(campaign=campaign)
            .values_list("pk", flat=True)
        )
        legend = [(s, CELL_SYMBOLS[s], cell_label(s)) for s in CELL_SYMBOLS]
        return super().get_context_data(
            campaign=campaign,
            matrix=matrix,
            form=form,
            prioritised=form.periods,
            readable=readable,
            legend=legend,
            **kwargs,
        )


class ReportForm(forms.Form):
    summary = text_field(Report, "summary", label=gettext_lazy("Summary"), rows=12)
    conclusions = text_field(
        Report, "conclusions", label=gettext_lazy("Conclusions and priorities"), rows=12
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(
            *args, initial={"summary": report.summary, "conclusions": report.conclusions}, **kwargs
        )
        self.goal_fields = []
        for goal in report.campaign.plan.goals.all():
            name = f"goal_{goal.number}"
            self.fields[name] = text_field(
                Report,
                "summary",  # the same guards and limit as the rest of the narrative
                label=_("Analysis of goal %(number)d: %(title)s")
                % {"number": goal.number, "title": goal.title},
                rows=12,
            )
            self.initial[name] = report.analysis(goal.number)
            self.goal_fields.append((goal.number, name))

    def analyses(self) -> dict[str, str]:
        return {str(number): self.cleaned_data[name] for number, name in self.goal_fields}


class ReportView(CampaignAccessMixin, TemplateView):
    """The coordinator's narrative: a large text area per section, saved automatically as in
    the answer form, with the section's figures beside it."""

    template_name = "backoffice/report.html"

    def get_context_data(self, **kwargs):
        campaign = self.load_campaign()
        priority_form = PrioritisedFilterForm(self.request.GET or None, plan=campaign.plan)
        content = report_content(
            campaign, criteria=Filter(measure_keys=priority_form.measure_keys())
        )
        form = kwargs.pop("form", None) or ReportForm(report=content.report)
        return super().get_context_data(
            campaign=campaign,
            form=form,
            priority_form=priority_form,
            sections=report_sections(form, content.figures),
            publications=[
                (publication, published_files(publication))
                for publication in content.report.publications.select_related("published_by")
            ],
            drafts=FORMATS.items(),
            publish_job=latest_job(
                kind=JobKind.REPORT_PUBLISH, target=f"followup.campaign:{campaign.pk}"
            ),
            archive_job=latest_job(kind=JobKind.ARCHIVE, target=f"followup.campaign:{campaign.pk}"),
            **kwargs,
        )

    def post(self, request, pk):
        campaign = self.load_campaign()
        report = report_content(campaign).report
        form = ReportForm(request.POST, report=report)
        autosave = request.headers.get("X-Autosave") == "1"
        if not form.is_valid():  # the texts stay on the page, each message beside its field
            if autosave:
                errors = {form.add_prefix(k): [str(m) for m in v] for k, v in form.errors.items()}
                return JsonResponse(
                    {
                        "saved": False,
                        "message": _("Not saved: check the marked texts."),
                        "errors": errors,
                    },
                    status=400,
                )
            messages.error(request, _("Nothing was saved: check the texts marked below."))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            report_save(
                report=report,
                user=request.user,
                summary=form.cleaned_data["summary"],
                analyses=form.analyses(),
                conclusions=form.cleaned_data["conclusions"],
            )
        except FollowupError as error:
            if autosave:
                return JsonResponse({"saved": False, "message": str(error)}, status=400)
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if autosave:
            return JsonResponse({"saved": True})
        messages.success(request, _("Saved."))
        return redirect("backoffice:report", pk=campaign.pk)


def report_sections(form, f) -> list[tuple]:
    """Each text of the narrative with the figures it comments on: (field, headers, rows)."""
    by_goal = {
        goal: row for (goal, _counts), row in zip(f.goal_counts, f.goal_chart.rows, strict=False)
    }
    sections = [(form["summary"], f.goal_chart.headers, f.goal_chart.rows)]
    sections += [
        (form[name], f.goal_chart.headers, [by_goal[number]] if number in by_goal else [])
        for number, name in form.goal_fields
    ]
    sections.append((form["conclusions"], f.trend_chart.headers, f.trend_chart.rows))
    return sections


class ReportDownloadView(CampaignAccessMixin, View):
    """The draft report in any format, built now from the accepted answers; with
    `?prioritised=on`, its measures' figures and tables count the prioritised measures only."""

    def get(self, request, pk, fmt):
        campaign = self.load_campaign()
        kind = FORMATS.get(fmt)
        if kind is None:
            raise Http404
        priority_form = PrioritisedFilterForm(request.GET or None, plan=campaign.plan)
        criteria = Filter(measure_keys=priority_form.measure_keys())
        data = render(report_content(campaign, draft=True, criteria=criteria), fmt)
        response = HttpResponse(data, content_type=kind.content_type)
        if kind.is_html:
            response._csp_update = {"style-src": style_hashes(data)}
        else:
            name = f"utkast-{campaign.plan.slug}-{campaign.year}"
            if priority_form.only_prioritised:
                name += "-prioriterade"
            response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class ReplaceForm(forms.Form):
    """Asked on the confirmation: why it replaces an earlier publication (when there is one), and
    whether to publish although the check before publishing found something."""

    def __init__(self, *args, replaces=None, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        if replaces is not None:
            self.fields["reason"] = text_field(
                PublishedReport,
                "reason",
                label=_("Why does this publication replace number %(number)d?")
                % {"number": replaces.number},
                required=True,
            )
            self.fields["reason"].help_text = _(
                "Shown on the public list of reports beside the earlier publication."
            )
        if check is not None and not check.clean:
            self.fields["publish_anyway"] = forms.BooleanField(
                label=_("I have read the list above and publish anyway"),
                required=True,
                error_messages={
                    "required": _(
                        "Tick this box to publish with what the list above names, or cancel "
                        "and put it right first."
                    )
                },
            )

    @property
    def reason(self) -> str:
        return self.cleaned_data.get("reason", "")


class ReportPublishView(CampaignAccessMixin, View):
    """The confirmation (with the check before publishing), then the publication as a job: the
    request answers at once with the job's page, a worker builds every file and switches the
    publication public in one transaction."""

    def post(self, request, pk):
        campaign = self.load_campaign()
        target = f"followup.campaign:{campaign.pk}"
        running = job_under_way(kind=JobKind.REPORT_PUBLISH, target=target)
        if running is not None:  # a second press while the first is at work
            return started(running)
        earlier = PublishedReport.objects.filter(report__campaign=campaign).first()
        check = publication_check(campaign)
        form = ReplaceForm(
            request.POST if confirmed(request) else None, replaces=earlier, check=check
        )
        if not (confirmed(request) and form.is_valid()):
            lines = [
                _(
                    "The report of %(year)d is frozen as files (PDF, Word, Excel, HTML and the "
                    "annex) and the public pages show the accepted answers it was built from."
                )
                % {"year": campaign.year},
                _("Later changes need a new publication; this one stays as it is."),
            ]
            if earlier is not None:
                lines.append(
                    _(
                        "It replaces number %(number)d on the public list of reports; that one "
                        "stays listed as replaced, with your reason."
                    )
                    % {"number": earlier.number}
                )
            return confirmation(
                request,
                title=_("Publish the report") if earlier is None else _("Replace the publication"),
                lines=lines,
                button=_("Publish"),
                cancel_url=reverse("backoffice:report", args=[campaign.pk]),
                form=form,
                include="backoffice/_publication_check.html",
                extra={"check": check, "campaign": campaign},
            )
        job = job_enqueue(
            kind=JobKind.REPORT_PUBLISH,
            title=_("Publishing the report of %(year)d") % {"year": campaign.year},
            user=request.user,
            plan=campaign.plan,
            target=target,
            arguments={"campaign": campaign.pk, "reason": form.reason},
        )
        return started(job)


class PublishedDownloadView(CampaignAccessMixin, View):
    """A published report exactly as it was published."""

    permission = "followup.view_dashboard"

    def get(self, request, pk, number, fmt):
        campaign = self.load_campaign()
        publication = PublishedReport.objects.filter(
            report__campaign=campaign, number=number
        ).first()
        return published_file_response(publication, fmt)


class ArchiveView(CampaignAccessMixin, View):
    """The archive package, packed by a worker; the job's page links the file."""

    def post(self, request, pk):
        campaign = self.load_campaign()
        job = job_enqueue(
            kind=JobKind.ARCHIVE,
            title=_("Archive package of the follow-up %(year)d") % {"year": campaign.year},
            user=request.user,
            plan=campaign.plan,
            target=f"followup.campaign:{campaign.pk}",
            arguments={"campaign": campaign.pk},
        )
        return started(job)
