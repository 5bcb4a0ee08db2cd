"""One body's answer and its workflow: the form, submit/approve/return/accept, history, Excel,
hand-over and clearing texts for publication. Views stay thin: a selector finds the object
(limited to what the user may see), rules check the permission, one service writes."""

import re
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.accounts.models import Membership, Role
from nollvision.core.parsing import whole_numbers
from nollvision.followup import selectors, services
from nollvision.followup.enums import ResponseStatus
from nollvision.followup.errors import FollowupError, SaveConflict
from nollvision.followup.excel import ExcelError, read_workbook, workbook_bytes
from nollvision.followup.models import MeasureAnswer, Response
from nollvision.followup.rules import allowed_actions, role_for

from .answer_page import AnswerPage, fill_missing
from .confirm import confirmed
from .forms import AssignForm, TransitionForm, UploadForm

STASH_KEY = "nollvision:unsaved:{}"
# The most a logged-out visitor's text may take in the session: a whole answer form with long
# texts fits; anything larger is not kept (an anonymous request cannot grow the database).
STASH_MAX_BYTES = 256 * 1024


# At most this many texts kept for after a login in an hour, site-wide: with the size cap, the
# most that logged-out requests can add to the session table (about 128 MB an hour at worst).
STASH_PER_HOUR = 500


def _stash_allowed() -> bool:
    from django.core.cache import cache

    key = "nollvision:stash:hour"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= STASH_PER_HOUR
    except ValueError:
        cache.set(key, 1, 3600)
        return True


def stash_for_login(request, pk: int) -> None:
    """The session ran out while someone typed: keep the text for after logging in. Only for an
    answer that exists, only one at a time, and only up to STASH_MAX_BYTES; otherwise the login
    page says the text could not be kept."""
    had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    stashed = [k for k in request.session.keys() if k.startswith(STASH_KEY.format(""))]  # noqa: SIM118 - a session has no __iter__
    for key in stashed:
        del request.session[key]
    encoded = request.POST.urlencode()
    if (
        # A person whose session ran out still sends its cookie; a request without one (a
        # script) never creates a session row to hold text.
        not had_session
        or len(encoded.encode()) > STASH_MAX_BYTES
        or not Response.objects.filter(pk=pk).exists()
        or not _stash_allowed()
    ):
        messages.warning(
            request,
            _(
                "You were logged out, and your text could not be kept while you log in. "
                "Go back in your browser to copy it before logging in again."
            ),
        )
        return
    request.session[STASH_KEY.format(request.path)] = encoded


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
            if request.method == "POST" and request.headers.get("X-Autosave") != "1":
                stash_for_login(request, kwargs["pk"])
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
        """Save every valid part of what was sent; a part with a problem waits with its message
        in place (and is named at the top). A press of "copy" or "confirm" on a part is done
        after the save, so nothing typed on the page is lost by it."""
        response = self.load_response()
        self.require("followup.change_response", response)
        data = selectors.response_form_data(response)
        page = AnswerPage.build(response, data, post=request.POST)
        autosave = request.headers.get("X-Autosave") == "1"
        page.is_valid()
        changes = page.changes()
        try:
            saved = services.response_save(
                response=response, user=request.user, measures=changes[0], body=changes[1]
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
        waiting = page.waiting()
        if autosave:
            return self.autosave_reply(response, page, changes, saved, waiting)
        done_after = self.copy_or_confirm(request, response)
        if waiting:
            return self.render_waiting(response, page, saved)
        if done_after is None:
            messages.success(request, _("Saved.") if saved else _("There was nothing new to save."))
        return_to = request.POST.get("copy") or request.POST.get("confirm") or ""
        return redirect(_where_saved(response, return_to or request.POST.get("return_to", "")))

    def autosave_reply(self, response, page, changes, saved: int, waiting) -> JsonResponse:
        reply = {"saved": bool(saved) or not waiting, "count": saved}
        # The new versions of the parts saved: a part not saved keeps the version it was
        # loaded with, so a colleague's change to it meanwhile is still found on the next save.
        versions: dict[str, str] = {}
        page.saved_versions(versions, selectors.response_versions(response), changes)
        reply["versions"] = {name: int(version) for name, version in versions.items()}
        if waiting:
            reply["errors"] = page.field_errors()
            reply["waiting"] = waiting
            reply["message"] = (
                ngettext(
                    "Saved, except %(count)d part that waits: see the marked answer.",
                    "Saved, except %(count)d parts that wait: see the marked answers.",
                    len(waiting),
                )
                if saved
                else ngettext(
                    "Not saved: %(count)d part waits, see the marked answer.",
                    "Not saved: %(count)d parts wait, see the marked answers.",
                    len(waiting),
                )
            ) % {"count": len(waiting)}
        return JsonResponse(reply, status=200 if reply["saved"] else 400)

    def copy_or_confirm(self, request, response) -> int | None:
        """Last year's answer copied into one measure or into every part not yet answered, or
        a copied part confirmed as checked; None when the press asked for neither."""
        copy, confirm = request.POST.get("copy", ""), request.POST.get("confirm", "")
        answer_ids = whole_numbers([copy[1:]]) if re.fullmatch(r"m\d+", copy) else None
        try:
            if copy == "all" or answer_ids:
                count = services.response_start_from_previous(
                    response=response,
                    user=request.user,
                    answer_ids=None if copy == "all" else list(answer_ids),
                    body=copy == "all",
                )
                # Said at the top: a long message would grow the sticky bar on a phone.
                messages.success(request, copied_message(count), extra_tags="top")
                return count
            if re.fullmatch(r"m\d+|body", confirm):
                count = services.answers_confirm_copied(
                    response=response,
                    user=request.user,
                    answer_ids=list(whole_numbers([confirm[1:]])) if confirm != "body" else [],
                    body=confirm == "body",
                )
                messages.success(request, _("Confirmed as checked."))
                return count
        except FollowupError as error:
            messages.error(request, str(error))
            return 0
        return None

    def render_waiting(self, response, page, saved: int):
        """The page again after a save that kept the valid parts: every other part as stored
        now (saved, copied or confirmed by this press), the parts that wait as sent (with the
        version they were loaded with), with their messages and a summary at the top."""
        waiting = [
            f"{form.prefix}-"
            for form in [*page.measure_forms, page.body_form]
            if not form.is_valid()
        ]
        data = selectors.response_form_data(response)
        post = QueryDict(mutable=True)
        fill_missing(post, response, data)
        for key in [key for key in post if key.startswith(tuple(waiting))]:
            del post[key]
        for key, values in self.request.POST.lists():
            if key.startswith(tuple(waiting)):
                post.setlist(key, values)
        fresh = AnswerPage.build(response, data, post=post)
        fresh.is_valid()
        fresh.saved = saved
        return self.render_page(response, page=fresh, status=200 if saved else 400)

    def render_page(self, response, *, page=None, post=None, conflicts=None, status=200):
        editable = self.request.user.has_perm("followup.change_response", response)
        data = page.data if page else selectors.response_form_data(response)
        if page is None:
            if post is not None:
                fill_missing(post, response, data)
            page = AnswerPage.build(response, data, post=post, disabled=not editable)
            if post is not None:
                page.is_valid()
        returned = response.status == ResponseStatus.RETURNED
        previous = services.previous_accepted(response)
        # Last year's accepted answer beside this year's: to copy from while answering, and
        # for those who read the answer whole.
        shown_beside = selectors.answers_by_key(previous) if previous is not None else {}
        open_item = self.request.GET.get("open", "")
        context = self.get_context_data(
            response=response,
            page=page,
            sections=page.sections(open_item=open_item, returned=returned, previous=shown_beside),
            progress=page.progress,
            editable=editable,
            open_item=open_item,
            returned=selectors.latest_return(data) if returned else None,
            returned_items=page.comment_links(selectors.latest_return(data)) if returned else [],
            conflicts=conflicts or [],
            actions=allowed_actions(self.request.user, response),
            role=role_for(self.request.user, response),
            transition_form=TransitionForm(),
            can_assign=self.request.user.has_perm("followup.assign_response", response),
            can_clear=self.request.user.has_perm("followup.clear_response", response),
            previous=previous if editable else None,
            previous_beside=previous if shown_beside and not editable else None,
            copied_count=len(page.copied) + bool(page.body_form.body.copied_from_year),
            to_copy=sum(1 for item in page.data.answers if not item.status)
            if previous is not None
            else 0,
            top_actions=[
                (action, action_label(action, role_for(self.request.user, response)))
                for action in allowed_actions(self.request.user, response)
            ]
            if not editable
            else [],
            overdue=response.campaign.deadline < timezone.localdate()
            and response.status
            in (ResponseStatus.NOT_STARTED, ResponseStatus.DRAFT, ResponseStatus.RETURNED),
            competence=selectors.competence_shares(response.body_answer),
        )
        return self.render_to_response(context, status=status)


def _where_saved(response, return_to: str) -> str:
    """Back to where the person saved from: that measure open, or the organisation section."""
    url = reverse("backoffice:response", args=[response.pk])
    if re.fullmatch(r"m\d+", return_to):
        return f"{url}?{urlencode({'open': return_to})}#{return_to}"
    if return_to == "body":
        return f"{url}#body"
    return url


class TransitionView(LoginRequiredMixin, ResponseMixin, View):
    """Submit, approve, return, accept or reopen: one service, the rules in one table. The first
    POST shows a confirmation with a summary of the answer and who receives it; the same POST
    with `confirmed=1` moves the answer and says what happens next."""

    def post(self, request, pk):
        response = self.load_response()
        form = TransitionForm(request.POST)
        form.is_valid()
        action = form.cleaned_data.get("action", "")
        comments = {
            key.removeprefix("comment-"): value
            for key, value in request.POST.items()
            if key.startswith("comment-") and value.strip()
        }
        if not confirmed(request):
            return self.confirm(response, action, form, comments)
        try:
            services.response_transition(
                response=response,
                user=request.user,
                action=action,
                reason=form.cleaned_data.get("reason", ""),
                comments=comments,
            )
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, outcome(response, action, request.user))
        return redirect("backoffice:response", pk=response.pk)

    def confirm(self, response, action, form, comments):
        if action not in allowed_actions(self.request.user, response):
            messages.error(self.request, _("This step is not possible for the answer now."))
            return redirect("backoffice:response", pk=response.pk)
        data = selectors.response_form_data(response)
        progress = services.response_progress(response)
        counts = Counter(a.get_status_display() for a in data.answers if a.status)
        return TemplateResponse(
            self.request,
            "backoffice/transition_confirm.html",
            {
                "response": response,
                "action": action,
                "role": role_for(self.request.user, response),
                "progress": progress,
                "counts": sorted(counts.items(), key=lambda item: -item[1]),
                "receivers": receivers(response, action, self.request.user),
                "reason": form.cleaned_data.get("reason", ""),
                "comments": comments,
                "carried": [
                    (k, v)
                    for k, values in self.request.POST.lists()
                    if k not in ("csrfmiddlewaretoken", "confirmed")
                    for v in values
                ],
                "blocked": action == "submit" and not progress.complete,
                "waiting": form.cleaned_data.get("waiting") or 0,
            },
        )


def action_label(action: str, role) -> str:
    """The button of a step, as the workflow section at the bottom names it."""
    if action == "return":
        if role == Role.APPROVER:
            return _("Return to the reporter…")
        return _("Return to the body with comments…")
    return {
        "submit": _("Send to the approver…"),
        "approve": _("Approve and send to the county board…"),
        "accept": _("Accept…"),
        "reopen": _("Reopen…"),
    }.get(action, action)


def receivers(response, action: str, user) -> str:
    """Who the answer goes to next, named, for the confirmation."""
    names = lambda role: ", ".join(  # noqa: E731
        str(m.user)
        for m in Membership.objects.filter(organisation=response.organisation_id, role=role)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    if action == "submit":
        approvers = names(Role.APPROVER)
        return _("The approvers of %(body)s: %(names)s.") % {
            "body": response.organisation.name,
            "names": approvers or _("nobody has that role yet"),
        }
    if action == "approve":
        return _("The county board (%(region)s), which accepts it or returns it with comments.") % {
            "region": response.campaign.plan.region.name
        }
    if action == "return" and role_for(user, response) == Role.APPROVER:
        return _("The reporters of %(body)s: %(names)s.") % {
            "body": response.organisation.name,
            "names": names(Role.REPORTER) or _("nobody has that role yet"),
        }
    if action in ("return", "reopen"):
        return _("%(body)s, who see your message and comments at the top of their answer.") % {
            "body": response.organisation.name
        }
    return _("Nobody: the answer is accepted and counts in the follow-up's figures.")


def outcome(response, action: str, user) -> str:
    """What happened and what happens next, after a step."""
    texts = {
        "submit": _(
            "Sent to the approvers of %(body)s. Until they approve or return it, the answer cannot "
            "be changed."
        ),
        "approve": _(
            "Approved and sent to the county board. They accept it or return it with comments."
        ),
        "return": _("Returned to %(body)s with your message and comments."),
        "accept": _(
            "Accepted. The answer counts in the report; its texts are public only once the "
            "county board clears them for publication."
        ),
        "reopen": _("Reopened: %(body)s can change the answer and send it in again."),
    }
    if action == "return" and role_for(user, response) == Role.APPROVER:
        return _("Returned to the reporters of %(body)s with your message.") % {
            "body": response.organisation.name
        }
    return texts.get(action, _("Done.")) % {"body": response.organisation.name}


def copied_message(count: int) -> str:
    return ngettext(
        "%(count)d answer was filled in from last year's accepted answer. It is marked "
        "“copied, check” until you change it or confirm it.",
        "%(count)d answers were filled in from last year's accepted answer. Each is marked "
        "“copied, check” until you change it or confirm it.",
        count,
    ) % {"count": count}


class StartFromPreviousView(LoginRequiredMixin, ResponseMixin, View):
    def post(self, request, pk):
        response = self.load_response()
        self.require("followup.change_response", response)
        try:
            count = services.response_start_from_previous(response=response, user=request.user)
        except FollowupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, copied_message(count), extra_tags="top")
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


class ClearBodyView(LoginRequiredMixin, ResponseMixin, TemplateView):
    """Clear a whole body's texts for publication, with per-measure exceptions: the page lists
    every text the body agreed to publish, each checked; unchecking one leaves it out. Posting
    the list is the confirmation; each clearing is recorded (who, when, history)."""

    template_name = "backoffice/clear_body.html"

    def setup_answers(self):
        response = self.load_response()
        self.require("followup.clear_response", response)
        return response, list(services.clearable_answers([response]))

    def get(self, request, *args, **kwargs):
        response, answers = self.setup_answers()
        return self.render_to_response(self.get_context_data(response=response, answers=answers))

    def post(self, request, pk):
        response, answers = self.setup_answers()
        chosen = whole_numbers(request.POST.getlist("answers"))
        count = services.answers_clear_for_publication(
            answers=[a for a in answers if a.pk in chosen], user=request.user
        )
        messages.success(
            request,
            ngettext(
                "%(count)d text cleared for publication; %(left)d left out.",
                "%(count)d texts cleared for publication; %(left)d left out.",
                count,
            )
            % {"count": count, "left": len(answers) - count},
        )
        return redirect("backoffice:response", pk=response.pk)


class HistoryView(LoginRequiredMixin, ResponseMixin, TemplateView):
    template_name = "backoffice/history.html"

    def get_context_data(self, **kwargs):
        response = self.load_response()
        context = super().get_context_data(**kwargs)
        context.update(
            response=response,
            # Outside the body, only the versions the viewer was allowed to see.
            entries=selectors.answer_history(
                response, selectors.history_moments(self.request.user, response)
            ),
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
