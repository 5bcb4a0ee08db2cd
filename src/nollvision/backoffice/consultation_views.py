"""Back office: the consultation (remiss) of a draft plan version with its signatories.

- The coordinator sends the newest draft version out and sees the consultations of the plan
  (`ConsultationsView`), follows the answers per measure and per body, records how each was
  handled, reminds bodies and closes the consultation (`ConsultationView`), and downloads the
  summary (`SummaryDownloadView`).
- A signatory's approver answers overall and per measure, saves drafts and sends the answer in
  (`AnswerView`); its reporters, and the coordinator once it is sent in, read it.

Permissions come from `plans/rules.py`, asked through `has_perm` only.
"""

import re
from abc import ABC, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from nollvision.accounts.selectors import role_in
from nollvision.plans import consultation as consultations
from nollvision.plans.consultation_documents import summary_docx, summary_pdf
from nollvision.plans.enums import PlanStatus
from nollvision.plans.errors import PlanError
from nollvision.plans.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationMeasureAnswer,
    Plan,
)
from nollvision.plans.revision import measure_changes

from .confirm import confirmation, confirmed
from .consultation_forms import (
    ConsultationSendForm,
    HandlingForm,
    MeasureAnswerForm,
    OverallAnswerForm,
    error_items,
)
from .notices import invite_address, reminders_sent

ANCHOR = re.compile(r"goal-[0-9]+")


class _Gate(LoginRequiredMixin, ABC):
    """Logged in first (anonymous people meet the login page), then the object and the rule."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    @abstractmethod
    def load(self, **kwargs) -> None:
        """Find the view's object and check the rule on it (Http404 or PermissionDenied)."""


# --- The coordinator: sending, overview, handling, reminders, summary ---------------------------


class ConsultationsView(_Gate, TemplateView):
    """The consultations of a plan, and the form that sends its newest draft version out."""

    template_name = "backoffice/consultations.html"

    def load(self, slug, **kwargs):
        self.plan = (
            Plan.objects.filter(slug=slug).select_related("region").order_by("-version").first()
        )
        if self.plan is None:
            raise Http404
        if not self.request.user.has_perm("plans.manage_plan", self.plan):
            raise PermissionDenied

    def sendable(self) -> bool:
        return self.plan.status == PlanStatus.DRAFT and not consultations.open_consultation(
            self.plan
        )

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None)
        if form is None and self.sendable():
            form = ConsultationSendForm()
        return super().get_context_data(
            plan=self.plan,
            consultations=consultations.consultations_of(self.plan),
            form=form,
            signatories=self.plan.signatures.select_related("organisation"),
            **kwargs,
        )

    def post(self, request, slug):
        if not self.sendable():
            messages.error(request, _("There is no draft version to send out."))
            return redirect("backoffice:consultations", slug=self.plan.slug)
        form = ConsultationSendForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not confirmed(request):
                return self.confirm(request, data)
            try:
                sent = consultations.consultation_send(
                    plan=self.plan,
                    deadline=data["deadline"],
                    message=data["message"],
                    user=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The draft was sent to the signatories."))
                unheard = consultations.without_approvers(
                    a.organisation for a in sent.answers.select_related("organisation")
                )
                if unheard:
                    messages.warning(request, _no_one_hears(unheard))
                return redirect("backoffice:consultation", pk=sent.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def confirm(self, request, data):
        bodies = [s.organisation for s in self.plan.signatures.select_related("organisation")]
        names = ", ".join(body.name for body in bodies)
        unheard = consultations.without_approvers(bodies)
        return confirmation(
            request,
            title=_("Send the draft to the signatories"),
            lines=[
                _("Version %(version)s of %(title)s goes out for consultation to: %(names)s.")
                % {"version": self.plan.version, "title": self.plan.title, "names": names},
                _("Each body's approvers get an e-mail; the last day to answer is %(deadline)s.")
                % {"deadline": data["deadline"].strftime("%Y-%m-%d")},
                *([_no_one_hears(unheard)] if unheard else []),
            ],
            button=_("Send the draft"),
            cancel_url=reverse("backoffice:consultations", args=[self.plan.slug]),
        )


class _CoordinatorGate(_Gate):
    def load(self, pk, **kwargs):
        self.consultation = get_object_or_404(
            Consultation.objects.select_related("plan__region", "sent_by"), pk=pk
        )
        if not self.request.user.has_perm("plans.manage_plan", self.consultation):
            raise PermissionDenied


class ConsultationView(_CoordinatorGate, TemplateView):
    """One consultation for the coordinator: the counts, every body's answer and the answers per
    measure with a handling form beside each, reminders, closing and the summary."""

    template_name = "backoffice/consultation.html"

    def back(self, anchor: str = "") -> str:
        url = reverse("backoffice:consultation", args=[self.consultation.pk])
        return f"{url}#{anchor}" if anchor else url

    def get_context_data(self, **kwargs):
        failed = kwargs.pop("failed", None)  # a handling form with errors, shown in its place
        answers = consultations.answers_by_body(self.consultation)
        goals = consultations.answers_by_measure(self.consultation, answers)
        for answer in answers:
            if answer.submitted_at is not None:
                answer.form = self._form(answer, f"a{answer.pk}", failed)
        sections = []
        for goal, rows in goals:
            failing = False
            for row in rows:
                for item in row.answers:
                    if consultations.needs_handling(item):
                        item.form = self._form(item, f"m{item.pk}", failed)
                        failing = failing or bool(item.form.errors)
            sections.append(
                {
                    "goal": goal,
                    "rows": rows,
                    "open": failing,
                    "answers": sum(len(row.answers) for row in rows),
                    "to_handle": sum(row.needs_handling for row in rows),
                }
            )
        return super().get_context_data(
            consultation=self.consultation,
            plan=self.consultation.plan,
            answers=answers,
            sections=sections,
            counts=consultations.verdict_counts(answers),
            answered=sum(1 for a in answers if a.submitted_at is not None),
            waiting=sum(1 for a in answers if a.submitted_at is None),
            failed=failed,
            errors=error_items(failed) if failed is not None else [],
            **kwargs,
        )

    @staticmethod
    def _form(item, key, failed, data=None):
        if failed is not None and failed.key == key:
            return failed
        if isinstance(item, ConsultationMeasureAnswer):
            code = item.measure.code if item.measure else item.measure_code
            what = f"{item.answer.organisation.name}, {code}"
        else:
            what = item.organisation.name
        return HandlingForm(data, item=item, key=key, context=what)

    def post(self, request, pk):
        handler = getattr(self, f"do_{request.POST.get('action', '')}", None)
        try:
            if handler is None:
                raise PlanError(_("Unknown action."))
            result = handler(request)
        except PlanError as error:
            messages.error(request, str(error))
            return redirect(self.back())
        if isinstance(result, str):
            messages.success(request, result)
            return redirect(self.back())
        return result

    def _item(self, key: str):
        item = consultations.consultation_item(self.consultation, key)
        if item is None:
            raise Http404
        return item

    def do_handle(self, request):
        key = request.POST.get("item", "")
        item = self._item(key)
        form = self._form(item, key, None, request.POST)
        if form.is_valid():
            try:
                consultations.handle(
                    item=item,
                    handling=form.cleaned_data["handling"],
                    reason=form.cleaned_data["reason"],
                )
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The handling was saved."))
                return redirect(self.back(f"item-{key}"))
        # Shown again in its place, with the error beside the field and in the summary above.
        return self.render_to_response(self.get_context_data(failed=form), status=400)

    def _remind(self, request, answers):
        logs = consultations.consultation_remind(
            consultation=self.consultation,
            answers=answers,
            by=request.user,
            today=timezone.localdate(),
            base_url=request.build_absolute_uri("/"),
        )
        reminders_sent(request, logs, who=_("an approver"))
        return redirect(self.back())

    def do_remind(self, request):
        answer = consultations.consultation_item(
            self.consultation, f"a{request.POST.get('answer', '')}"
        )
        if answer is None:
            raise PlanError(_("Choose a body to remind."))
        return self._remind(request, [answer])

    def do_remind_all(self, request):
        waiting = list(consultations.bodies_not_answered(self.consultation))
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Remind everyone who has not answered"),
                lines=[
                    _("An e-mail goes to the approvers of: %(names)s.")
                    % {"names": ", ".join(a.organisation.name for a in waiting) or "–"},
                    _("A body is reminded at most once a day; each reminder is recorded."),
                ],
                button=_("Send the reminders"),
                cancel_url=self.back(),
            )
        return self._remind(request, waiting)

    def do_close(self, request):
        if not confirmed(request):
            waiting = consultations.bodies_not_answered(self.consultation).count()
            return confirmation(
                request,
                title=_("Close the consultation"),
                lines=[
                    ngettext(
                        "No more answers can be given; %(count)d body has not answered and "
                        "will be listed as not answering.",
                        "No more answers can be given; %(count)d bodies have not answered and "
                        "will be listed as not answering.",
                        waiting,
                    )
                    % {"count": waiting},
                    _("You can go on recording how the answers were handled."),
                ],
                button=_("Close the consultation"),
                cancel_url=self.back(),
                danger=True,
            )
        consultations.consultation_close(consultation=self.consultation)
        return _("The consultation is closed.")


class SummaryDownloadView(_CoordinatorGate, View):
    FORMATS = {
        "pdf": ("application/pdf", summary_pdf),
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            summary_docx,
        ),
    }

    def get(self, request, pk, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        content_type, render = self.FORMATS[fmt]
        response = HttpResponse(render(self.consultation), content_type=content_type)
        plan = self.consultation.plan
        name = f"remissammanstallning-{plan.slug}-v{plan.version}-{self.consultation.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- The body: answering ------------------------------------------------------------------------


class AnswerView(_Gate, TemplateView):
    """A body's answer: a form for its approver while the consultation is open and the answer
    not sent in; otherwise the answer as text (and, for the coordinator, nothing of a draft)."""

    template_name = "backoffice/consultation_answer.html"

    def load(self, pk, **kwargs):
        self.answer = get_object_or_404(
            ConsultationAnswer.objects.select_related(
                "consultation__plan__region", "organisation", "submitted_by"
            ),
            pk=pk,
        )
        user = self.request.user
        if not user.has_perm("plans.view_consultation_answer", self.answer):
            raise PermissionDenied
        self.editable = user.has_perm("plans.answer_consultation", self.answer)

    def forms(self, data=None):
        measures, items = consultations.answer_measures(self.answer)
        overall = OverallAnswerForm(data, answer=self.answer)
        per_measure = [
            MeasureAnswerForm(data, measure=measure, item=items.get(measure.pk))
            for measure in measures
        ]
        return overall, per_measure

    def get_context_data(self, **kwargs):
        answer = self.answer
        own = role_in(self.request.user, answer.organisation_id) is not None
        plan = answer.consultation.plan
        # What changed since the previous version, per measure: the coordinator's comparison.
        changes = measure_changes(plan)
        context = {
            "answer": answer,
            "consultation": answer.consultation,
            "plan": plan,
            "editable": self.editable,
            # The county board reads an answer once it is sent in, never a draft.
            "hidden": answer.submitted_at is None and not own,
            "changes": changes,
        }
        if self.editable:
            overall, per_measure = kwargs.pop("forms", None) or self.forms()
            sections: dict = {}
            for form in per_measure:
                form.change = changes.by_measure.get(form.measure.pk)
                goal = form.measure.goal
                section = sections.setdefault(goal.pk, {"goal": goal, "forms": [], "open": False})
                section["forms"].append(form)
                section["open"] = section["open"] or bool(form.errors)
            for section in sections.values():
                section["answered"] = sum(1 for f in section["forms"] if f.initial.get("verdict"))
                section["changed"] = sum(1 for f in section["forms"] if f.change)
            errors = error_items(overall)
            for form in per_measure:
                errors += error_items(form)
            context.update(overall=overall, sections=list(sections.values()), errors=errors)
        else:
            items = consultations.answer_items(answer)
            for item in items:
                item.change = changes.by_measure.get(item.measure_id)
            context.update(
                items=items,
                measure_count=answer.consultation.plan.measures.count(),
            )
        return super().get_context_data(**context, **kwargs)

    def post(self, request, pk):
        if not self.editable:
            messages.error(
                request, _("The answer can no longer be changed: it was sent in or is closed.")
            )
            return redirect("backoffice:consultation-answer", pk=self.answer.pk)
        overall, per_measure = self.forms(request.POST)
        valid = overall.is_valid() & all([form.is_valid() for form in per_measure])
        if valid:
            try:
                consultations.answer_save(
                    answer=self.answer,
                    verdict=overall.cleaned_data["verdict"],
                    comment=overall.cleaned_data["comment"],
                    measure_answers={form.measure: form.value() for form in per_measure},
                    user=request.user,
                )
            except PlanError as error:
                overall.add_error(None, str(error))
                valid = False
        if valid and request.POST.get("action") == "submit":
            return self.submit(request, overall, per_measure)
        if not valid:
            return self.render_to_response(
                self.get_context_data(forms=(overall, per_measure)), status=400
            )
        messages.success(request, _("The answer was saved as a draft."))
        url = reverse("backoffice:consultation-answer", args=[self.answer.pk])
        anchor = request.POST.get("return_to", "")
        return redirect(f"{url}#{anchor}" if ANCHOR.fullmatch(anchor) else url)

    def submit(self, request, overall, per_measure):
        if not self.answer.verdict:
            overall.add_error("verdict", _("Give an overall answer before you send it in."))
            return self.render_to_response(
                self.get_context_data(forms=(overall, per_measure)), status=400
            )
        if not confirmed(request):
            answered = [form for form in per_measure if form.value()[0]]
            return confirmation(
                request,
                title=_("Send the answer in"),
                lines=[
                    _("Overall answer: %(verdict)s.")
                    % {"verdict": self.answer.get_verdict_display()},
                    ngettext(
                        "%(count)d measure of %(total)d has an answer; the others count as "
                        "no comment.",
                        "%(count)d measures of %(total)d have an answer; the others count as "
                        "no comment.",
                        len(answered),
                    )
                    % {"count": len(answered), "total": len(per_measure)},
                    _(
                        "Once sent in, the answer can no longer be changed; the county "
                        "administrative board receives it. Your draft is saved."
                    ),
                ],
                button=_("Send the answer in"),
                cancel_url=reverse("backoffice:consultation-answer", args=[self.answer.pk]),
            )
        try:
            consultations.answer_submit(answer=self.answer, user=request.user)
        except PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The answer was sent in. Thank you."))
        return redirect("backoffice:consultation-answer", pk=self.answer.pk)


def _no_one_hears(organisations) -> str:
    return format_html(
        '{} <a href="{}">{}</a>',
        _(
            "Nobody at %(names)s gets the e-mail: no approver there has an e-mail address. Their "
            "answer waits all the same."
        )
        % {"names": ", ".join(str(o) for o in organisations)},
        invite_address(organisations),
        _("Invite an approver"),
    )
