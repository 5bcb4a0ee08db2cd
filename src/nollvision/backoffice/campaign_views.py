"""The county board's follow-up: set-up, questions, opening and closing, the overview."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.accounts.selectors import (
    coordinated_region_ids,
    organisations_coordinated_by,
)
from nollvision.followup import selectors, services
from nollvision.followup.enums import CampaignStatus
from nollvision.followup.errors import FollowupError
from nollvision.plans.models import Plan

from .confirm import confirmation, confirmed
from .forms import CampaignForm, QuestionForm
from .mixins import CoordinatorMixin


class CampaignCreateView(CoordinatorMixin, FormView):
    template_name = "backoffice/campaign_form.html"
    form_class = CampaignForm

    def get_form_kwargs(self):
        plans = Plan.objects.filter(region_id__in=coordinated_region_ids(self.request.user))
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
        rows = selectors.campaign_overview(campaign)
        context = super().get_context_data(**kwargs)
        context.update(
            organisations=organisations_coordinated_by(self.request.user),
            # Only needed while the follow-up is prepared (to choose who takes part).
            signatory_ids=set(campaign.plan.signatures.values_list("organisation_id", flat=True))
            if campaign.status == CampaignStatus.DRAFT
            else set(),
            campaign=campaign,
            rows=rows,
            counts=selectors.status_counts(rows),
            questions=campaign.questions.all(),
            question_form=QuestionForm(),
            earlier=selectors.campaigns_coordinated_by(self.request.user).filter(
                plan__slug=campaign.plan.slug, year__lt=campaign.year
            ),
        )
        return context


class CampaignActionView(CoordinatorMixin, View):
    def post(self, request, pk):
        campaign = self.load_campaign()
        action = request.POST.get("action")
        try:
            if action == "open":
                chosen = organisations_coordinated_by(request.user).filter(
                    pk__in=[int(pk) for pk in request.POST.getlist("participants") if pk.isdigit()]
                )
                services.campaign_open(campaign=campaign, organisations=list(chosen))
            elif action == "close":
                if not confirmed(request):
                    return confirmation(
                        request,
                        title=_("Close the follow-up"),
                        lines=[
                            _(
                                "The bodies can no longer change their answers of %(year)d; "
                                "answers not sent in stay as they are."
                            )
                            % {"year": campaign.year},
                        ],
                        button=_("Close the follow-up"),
                        cancel_url=reverse("backoffice:campaign", args=[campaign.pk]),
                        danger=True,
                    )
                services.campaign_close(campaign=campaign)
            elif action == "question":
                form = QuestionForm(request.POST)
                if not form.is_valid():
                    problems = [m for errors in form.errors.values() for m in errors]
                    raise FollowupError(
                        " ".join([_("Write the question and choose its kind."), *problems])
                    )
                services.question_add(
                    campaign=campaign,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    choices=form.cleaned_data["choices"],
                )
            elif action == "copy":
                source = selectors.campaign_get(
                    user=request.user, pk=int(request.POST.get("source") or 0)
                )
                if source is None:
                    raise FollowupError(_("Choose an earlier follow-up."))
                services.questions_copy(source=source, target=campaign)
            else:
                raise FollowupError(_("Unknown action."))
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Done."))
        return redirect("backoffice:campaign", pk=campaign.pk)
