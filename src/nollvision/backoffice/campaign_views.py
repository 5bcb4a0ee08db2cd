"""The county board's follow-up: set-up, questions, opening and closing, the overview."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.accounts.models import Membership, Role
from nollvision.accounts.selectors import (
    coordinated_region_ids,
    organisations_coordinated_by,
)
from nollvision.core.parsing import whole_number, whole_numbers
from nollvision.followup import selectors, services
from nollvision.followup.enums import EDITABLE_STATUSES, CampaignStatus, ResponseStatus
from nollvision.followup.errors import FollowupError
from nollvision.followup.rules import COORDINATOR_VISIBLE
from nollvision.plans.enums import PlanStatus
from nollvision.plans.models import Plan

from .confirm import confirmation, confirmed
from .forms import CampaignForm, PrioritisedFilterForm, QuestionForm
from .mixins import CoordinatorMixin
from .notices import reminders_sent


class CampaignCreateView(CoordinatorMixin, FormView):
    template_name = "backoffice/campaign_form.html"
    form_class = CampaignForm

    def get_form_kwargs(self):
        plans = Plan.objects.filter(
            region_id__in=coordinated_region_ids(self.request.user), status=PlanStatus.ADOPTED
        )
        return {**super().get_form_kwargs(), "plans": plans}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                plan=data["plan"],
                year=data["year"],
                deadline=data["deadline"],
                introduction=data["introduction"],
            )
        except FollowupError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect("backoffice:campaign", pk=campaign.pk)


class CampaignView(CoordinatorMixin, TemplateView):
    template_name = "backoffice/campaign.html"

    def get_context_data(self, **kwargs):
        campaign = self.load_campaign()
        # The overview is per body: with the filter on, its progress counts prioritised measures.
        priority_form = PrioritisedFilterForm(self.request.GET or None, plan=campaign.plan)
        rows = selectors.campaign_overview(campaign, measure_keys=priority_form.measure_keys())
        context = super().get_context_data(**kwargs)
        context.update(
            priority_form=priority_form,
            organisations=organisations_coordinated_by(self.request.user),
            # Only needed while the follow-up is prepared (to choose who takes part).
            signatory_ids=set(campaign.plan.signatures.values_list("organisation_id", flat=True))
            if campaign.status == CampaignStatus.DRAFT
            else set(),
            campaign=campaign,
            rows=rows,
            counts=selectors.status_counts(rows),
            late=sum(1 for row in rows if row.late),
            not_sent=sum(1 for row in rows if row.remindable),
            approved=sum(1 for row in rows if row.response.status == ResponseStatus.APPROVED),
            clearable=services.clearable_answers(campaign.responses.all()).count(),
            questions=campaign.questions.all(),
            question_form=QuestionForm(),
            earlier=selectors.campaigns_coordinated_by(self.request.user).filter(
                plan__slug=campaign.plan.slug, year__lt=campaign.year
            ),
        )
        return context


class CampaignActionView(CoordinatorMixin, View):
    """The county board's actions on a follow-up; each a small method, bulk ones confirmed."""

    def post(self, request, pk):
        self.campaign = self.load_campaign()
        handler = getattr(self, f"do_{request.POST.get('action', '')}", None)
        try:
            if handler is None:
                raise FollowupError(_("Unknown action."))
            result = handler(request)
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            if not isinstance(result, str):
                return result  # a confirmation page
            messages.success(request, result)
        return redirect("backoffice:campaign", pk=self.campaign.pk)

    def back(self) -> str:
        return reverse("backoffice:campaign", args=[self.campaign.pk])

    def do_open(self, request):
        chosen = organisations_coordinated_by(request.user).filter(
            pk__in=whole_numbers(request.POST.getlist("participants"))
        )
        services.campaign_open(campaign=self.campaign, organisations=list(chosen))
        return _("The follow-up is open to the bodies.")

    def do_close(self, request):
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Close the follow-up"),
                lines=[
                    _(
                        "The bodies can no longer change their answers of %(year)d; "
                        "answers not sent in stay as they are."
                    )
                    % {"year": self.campaign.year},
                ],
                button=_("Close the follow-up"),
                cancel_url=self.back(),
                danger=True,
            )
        services.campaign_close(campaign=self.campaign)
        return _("The follow-up is closed.")

    def do_question(self, request):
        form = QuestionForm(request.POST)
        if not form.is_valid():
            problems = [m for errors in form.errors.values() for m in errors]
            raise FollowupError(" ".join([_("Write the question and choose its kind."), *problems]))
        services.question_add(
            campaign=self.campaign,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            choices=form.cleaned_data["choices"],
        )
        return _("The question was added.")

    def do_copy(self, request):
        source = selectors.campaign_get(
            user=request.user, pk=whole_number(request.POST.get("source")) or 0
        )
        if source is None:
            raise FollowupError(_("Choose an earlier follow-up."))
        services.questions_copy(source=source, target=self.campaign)
        return _("The questions were copied.")

    def _remind(self, request, responses):
        logs = services.reminders_send_now(
            responses=responses,
            by=request.user,
            today=timezone.localdate(),
            base_url=request.build_absolute_uri("/"),
        )
        reminders_sent(request, logs, who=_("a reporter or an approver"))
        return redirect(self.back())

    def do_remind(self, request):
        response = self.campaign.responses.filter(
            pk=whole_number(request.POST.get("response")) or 0
        ).first()
        if response is None:
            raise FollowupError(_("Choose a body to remind."))
        return self._remind(request, [response])

    def do_remind_all(self, request):
        waiting = self.campaign.responses.filter(status__in=list(EDITABLE_STATUSES))
        if not confirmed(request):
            names = ", ".join(r.organisation.name for r in waiting.select_related("organisation"))
            return confirmation(
                request,
                title=_("Remind everyone who has not sent their answer in"),
                lines=[
                    _("An e-mail goes to the reporters and approvers of: %(names)s.")
                    % {"names": names or "–"},
                    _("A body is reminded at most once a day; each reminder is recorded."),
                ],
                button=_("Send the reminders"),
                cancel_url=self.back(),
            )
        return self._remind(request, list(waiting))

    def do_accept_all(self, request):
        approved = list(self.campaign.responses.filter(status=ResponseStatus.APPROVED))
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Accept every approved answer"),
                lines=[
                    ngettext(
                        "%(count)d approved answer is accepted as it is, without comments.",
                        "%(count)d approved answers are accepted as they are, without comments.",
                        len(approved),
                    )
                    % {"count": len(approved)},
                    _("Each is recorded in its answer's steps; an answer can be reopened later."),
                ],
                button=_("Accept them"),
                cancel_url=self.back(),
            )
        count = services.responses_accept(responses=approved, user=request.user)
        return ngettext("%(count)d answer accepted.", "%(count)d answers accepted.", count) % {
            "count": count
        }

    def do_clear_all(self, request):
        answers = list(services.clearable_answers(self.campaign.responses.all()))
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Clear every accepted answer's texts for publication"),
                lines=[
                    ngettext(
                        "The texts of %(count)d answer, which the bodies agreed to publish, "
                        "become public with the next publication of the report.",
                        "The texts of %(count)d answers, which the bodies agreed to publish, "
                        "become public with the next publication of the report.",
                        len(answers),
                    )
                    % {"count": len(answers)},
                    _(
                        "Confirm only if you have read them for secrecy and personal data; to "
                        "leave some out, clear body by body instead."
                    ),
                ],
                button=_("Clear them for publication"),
                cancel_url=self.back(),
            )
        count = services.answers_clear_for_publication(answers=answers, user=request.user)
        return ngettext(
            "%(count)d answer cleared for publication.",
            "%(count)d answers cleared for publication.",
            count,
        ) % {"count": count}


class CampaignBodyView(CoordinatorMixin, TemplateView):
    """A body in the follow-up, for the county board, whatever its state: how far it has come
    (never the texts of a draft), who answers for it, the reminders sent, and a reminder now."""

    template_name = "backoffice/campaign_body.html"

    def get_context_data(self, **kwargs):
        campaign = self.load_campaign()
        response = (
            campaign.responses.filter(pk=self.kwargs["body"]).select_related("organisation").first()
        )
        if response is None:
            raise Http404
        return super().get_context_data(
            campaign=campaign,
            response=response,
            progress=services.response_progress(response),
            readable=response.status in COORDINATOR_VISIBLE,
            people=Membership.objects.filter(
                organisation=response.organisation_id, role__in=[Role.REPORTER, Role.APPROVER]
            ).select_related("user"),
            reminders=response.reminders.select_related("sent_by").order_by("-sent_on"),
            late=campaign.deadline < timezone.localdate() and response.status in EDITABLE_STATUSES,
            **kwargs,
        )
