"""Back office: the yearly follow-up for bodies and the county board. Views stay thin: a selector
finds the object (limited to what the user may see), rules check the permission, one service
writes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.accounts.models import Membership
from nollvision.accounts.selectors import (
    coordinated_region_ids,
    memberships_of,
    organisations_coordinated_by,
)
from nollvision.accounts.services import AccountError, invitation_create, membership_remove
from nollvision.followup import selectors, services
from nollvision.followup.enums import CampaignStatus
from nollvision.followup.errors import FollowupError, SaveConflict
from nollvision.followup.excel import ExcelError, read_workbook, workbook_bytes
from nollvision.followup.models import MeasureAnswer
from nollvision.followup.rules import allowed_actions
from nollvision.plans.models import Plan
from nollvision.support.selectors import services_due_for_verification

from .answer_page import AnswerPage, fill_missing
from .forms import AssignForm, CampaignForm, InviteForm, QuestionForm, TransitionForm, UploadForm

STASH_KEY = "nollvision:unsaved:{}"


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "backoffice/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            responses=selectors.my_responses(user),
            campaigns=selectors.campaigns_coordinated_by(user),
            memberships=memberships_of(user),
            dashboards=selectors.campaigns_with_results(user),
            services_due=services_due_for_verification() if coordinated_region_ids(user) else 0,
            readable=selectors.responses_visible_to(user)
            .exclude(organisation_id__in=[m.organisation_id for m in memberships_of(user)])
            .order_by("-campaign__year")[:50],
        )
        return context


class ResponseMixin:
    """Loads the response named in the URL, among those the user may see."""

    def load_response(self):
        response = selectors.response_get(user=self.request.user, pk=self.kwargs["pk"])
        if response is None:
            raise Http404
        return response

    def require(self, permission, response):
        if not self.request.user.has_perm(permission, response):
            raise PermissionDenied


class ResponseView(ResponseMixin, TemplateView):
    """One body's answer: the form while it is editable, a read-only view otherwise."""

    template_name = "backoffice/response.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method == "POST":
                # The session ran out while someone typed: keep the text for after logging in.
                request.session[STASH_KEY.format(request.path)] = request.POST.urlencode()
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = self.load_response()
        stash = request.session.pop(STASH_KEY.format(request.path), None)
        post = (
            QueryDict(stash, mutable=True)
            if stash and request.user.has_perm("followup.change_response", response)
            else None
        )
        if post is not None:
            messages.warning(
                request,
                _(
                    "You were logged out before your text was saved. It is "
                    "shown again below: check it and save."
                ),
            )
        return self.render_page(response, post=post)

    def post(self, request, *args, **kwargs):
        response = self.load_response()
        self.require("followup.change_response", response)
        data = selectors.response_form_data(response)
        page = AnswerPage.build(response, data, post=request.POST)
        autosave = request.headers.get("X-Autosave") == "1"
        if not page.is_valid():
            if autosave:
                return JsonResponse(
                    {"saved": False, "message": _("Not saved: check the marked answers.")},
                    status=400,
                )
            messages.error(request, _("Nothing was saved: check the answers marked below."))
            return self.render_page(response, page=page, status=400)
        measure_changes, body_change = page.changes()
        try:
            saved = services.response_save(
                response=response, user=request.user, measures=measure_changes, body=body_change
            )
        except SaveConflict as conflict:
            if autosave:
                return JsonResponse(
                    {
                        "saved": False,
                        "conflict": True,
                        "message": _(
                            "Someone else saved changes meanwhile. Save with the button to see both "
                            "versions."
                        ),
                    },
                    status=409,
                )
            messages.error(
                request,
                _(
                    "Someone else saved some of these answers after you "
                    "opened the page. Nothing was saved. Both versions are "
                    "shown below; copy what you need and save again."
                ),
            )
            return self.render_page(response, page=page, conflicts=conflict.conflicts, status=409)
        except FollowupError as error:
            if autosave:
                return JsonResponse({"saved": False, "message": str(error)}, status=400)
            messages.error(request, str(error))
            return self.render_page(response, page=page, status=400)
        if autosave:
            return JsonResponse(
                {"saved": True, "count": saved, "versions": selectors.response_versions(response)}
            )
        messages.success(request, _("Saved.") if saved else _("There was nothing new to save."))
        return redirect("backoffice:response", pk=response.pk)

    def render_page(self, response, *, page=None, post=None, conflicts=None, status=200):
        editable = self.request.user.has_perm("followup.change_response", response)
        data = page.data if page else selectors.response_form_data(response)
        if page is None:
            if post is not None:
                fill_missing(post, response, data)
            page = AnswerPage.build(response, data, post=post, disabled=not editable)
            if post is not None:
                page.is_valid()
        context = self.get_context_data(
            response=response,
            page=page,
            editable=editable,
            conflicts=conflicts or [],
            actions=allowed_actions(self.request.user, response),
            transition_form=TransitionForm(),
            can_assign=self.request.user.has_perm("followup.assign_response", response),
            can_clear=self.request.user.has_perm("followup.clear_response", response),
            previous=services.previous_accepted(response) if editable else None,
            comments_by_item=_group_comments(data.comments),
            competence=selectors.competence_shares(response.body_answer),
        )
        return self.render_to_response(context, status=status)


def _group_comments(comments) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for comment in comments:
        grouped.setdefault(comment.item, []).append(comment)
    return grouped


class TransitionView(LoginRequiredMixin, ResponseMixin, View):
    """Submit, approve, return, accept or reopen: one service, the rules in one table."""

    def post(self, request, pk):
        response = self.load_response()
        form = TransitionForm(request.POST)
        form.is_valid()
        comments = {
            key.removeprefix("comment-"): value
            for key, value in request.POST.items()
            if key.startswith("comment-")
        }
        try:
            services.response_transition(
                response=response,
                user=request.user,
                action=form.cleaned_data.get("action", ""),
                reason=form.cleaned_data.get("reason", ""),
                comments=comments,
            )
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Done."))
        return redirect("backoffice:response", pk=response.pk)


class StartFromPreviousView(LoginRequiredMixin, ResponseMixin, View):
    def post(self, request, pk):
        response = self.load_response()
        self.require("followup.change_response", response)
        try:
            count = services.response_start_from_previous(response=response, user=request.user)
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(count)d answers were filled in from last year's accepted answer.")
                % {"count": count},
            )
        return redirect("backoffice:response", pk=response.pk)


class AssignView(LoginRequiredMixin, ResponseMixin, View):
    def post(self, request, pk):
        response = self.load_response()
        self.require("followup.assign_response", response)
        data = selectors.response_form_data(response)
        form = AssignForm(request.POST, members=data.members, answers=data.answers)
        if not form.is_valid():
            messages.error(request, _("Choose a colleague and what to hand over."))
        else:
            try:
                services.response_assign(
                    response=response,
                    user=request.user,
                    assignee=form.cleaned_data["assignee"],
                    answer_ids=[int(pk) for pk in form.cleaned_data["answers"]],
                    body=form.cleaned_data["body"],
                )
            except FollowupError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Handed over."))
        return redirect("backoffice:response", pk=response.pk)


class ClearForPublicationView(LoginRequiredMixin, ResponseMixin, View):
    def post(self, request, pk, answer_pk):
        response = self.load_response()
        self.require("followup.clear_response", response)
        answer = MeasureAnswer.objects.filter(response=response, pk=answer_pk).first()
        if answer is None:
            raise Http404
        answer.response = response
        try:
            services.answer_clear_for_publication(
                answer=answer, user=request.user, cleared=request.POST.get("cleared") == "1"
            )
        except FollowupError as error:
            messages.error(request, str(error))
        return redirect(reverse("backoffice:response", args=[response.pk]) + f"#m{answer.pk}")


class HistoryView(LoginRequiredMixin, ResponseMixin, TemplateView):
    template_name = "backoffice/history.html"

    def get_context_data(self, **kwargs):
        response = self.load_response()
        context = super().get_context_data(**kwargs)
        context.update(
            response=response,
            entries=selectors.answer_history(response),
            status_changes=response.status_changes.select_related("by"),
        )
        return context


class ExcelDownloadView(LoginRequiredMixin, ResponseMixin, View):
    def get(self, request, pk):
        response = self.load_response()
        content = workbook_bytes(response, selectors.response_form_data(response))
        reply = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"uppfoljning-{response.campaign.year}-{response.organisation.slug}.xlsx"
        reply["Content-Disposition"] = f'attachment; filename="{name}"'
        return reply


class ExcelUploadView(LoginRequiredMixin, ResponseMixin, FormView):
    template_name = "backoffice/upload.html"
    form_class = UploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.response = self.load_response()
            self.require("followup.change_response", self.response)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(response=self.response, **kwargs)

    def form_valid(self, form):
        data = selectors.response_form_data(self.response)
        try:
            post, cells = read_workbook(form.cleaned_data["file"].read(), self.response, data)
        except ExcelError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        fill_missing(post, self.response, data)
        page = AnswerPage.build(self.response, data, post=post)
        if not page.is_valid():
            problems = [
                f"{cells.get(form_.add_prefix(name), '')}: {message}"
                for form_ in [*page.measure_forms, page.body_form]
                for name, messages_ in form_.errors.items()
                for message in messages_
            ]
            return self.render_to_response(self.get_context_data(form=form, problems=problems))
        measure_changes, body_change = page.changes()
        try:
            saved = services.response_save(
                response=self.response,
                user=self.request.user,
                measures=measure_changes,
                body=body_change,
            )
        except SaveConflict as conflict:
            problems = [
                _(
                    "%(item)s was changed by someone else after you downloaded the file; "
                    "download it again."
                )
                % {"item": c.label}
                for c in conflict.conflicts
            ]
            return self.render_to_response(self.get_context_data(form=form, problems=problems))
        except FollowupError as error:
            return self.render_to_response(self.get_context_data(form=form, problems=[str(error)]))
        messages.success(
            self.request, _("The file was read: %(count)d answers saved.") % {"count": saved}
        )
        return redirect("backoffice:response", pk=self.response.pk)


# --- The county board ------------------------------------------------------------------------


class CoordinatorMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not coordinated_region_ids(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def load_campaign(self):
        campaign = selectors.campaign_get(user=self.request.user, pk=self.kwargs["pk"])
        if campaign is None:
            raise Http404
        return campaign


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
                services.campaign_close(campaign=campaign)
            elif action == "question":
                form = QuestionForm(request.POST)
                if not form.is_valid():
                    raise FollowupError(_("Write the question and choose its kind."))
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


class MembersView(CoordinatorMixin, FormView):
    template_name = "backoffice/members.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": organisations_coordinated_by(self.request.user),
        }

    def get_context_data(self, **kwargs):
        organisations = organisations_coordinated_by(self.request.user)
        return super().get_context_data(
            memberships=Membership.objects.filter(organisation__in=organisations)
            .select_related("user", "organisation")
            .order_by("organisation__name", "role"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        invitation_create(
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            invited_by=self.request.user,
            base_url=self.request.build_absolute_uri("/"),
        )
        messages.success(
            self.request, _("An invitation was sent to %(email)s.") % {"email": data["email"]}
        )
        return redirect(reverse("backoffice:members") + "?" + urlencode({"sent": 1}))


class MembershipRemoveView(CoordinatorMixin, View):
    def post(self, request, pk):
        membership = Membership.objects.filter(
            pk=pk, organisation__in=organisations_coordinated_by(request.user)
        ).first()
        if membership is None:
            raise Http404
        try:
            membership_remove(membership=membership, by=request.user)
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(user)s no longer has a role in %(organisation)s.")
                % {"user": membership.user, "organisation": membership.organisation},
            )
        return redirect("backoffice:members")
