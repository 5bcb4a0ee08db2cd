"""Back office: the coordinator writes and revises the professionals' guide ("What do I do if
..."): its situations and their steps, shown on the public pages at once.

The guide belongs to a plan by its slug and carries over to the plan's later versions; the stages
a step may name are those of the plan's current version (`plans.selectors.current_version`)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.plans.selectors import current_version, plan_organisation_kinds
from nollvision.support import services
from nollvision.support.selectors import (
    chain_stages,
    guide_rows,
    situation_managed_by,
    step_managed_by,
)

from .confirm import confirmation, confirmed
from .support_forms import SituationForm, StepForm


class GuideMixin(LoginRequiredMixin):
    """The plan in the address, for the coordinators of its county only: others get 403, people
    of another county 404 (backoffice/foreign.py), the anonymous the login page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = current_version(kwargs["slug"])
        if self.plan is None:
            raise Http404
        if not request.user.has_perm("support.change_guide", self.plan):
            raise PermissionDenied
        self.setup_guide()
        return super().dispatch(request, *args, **kwargs)

    def setup_guide(self) -> None:
        """What a view loads besides the plan (after the permission is checked)."""

    def load_situation(self, pk: int):
        situation = situation_managed_by(self.request.user, self.plan.slug, pk)
        if situation is None:
            raise Http404
        return situation

    def load_step(self, pk: int):
        step = step_managed_by(self.request.user, self.plan.slug, pk)
        if step is None:
            raise Http404
        return step

    def guide_url(self, anchor: str = "") -> str:
        return reverse("backoffice:guide", args=[self.plan.slug]) + anchor

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, guide_url=self.guide_url(), **kwargs)


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal, at the field it names (or above the form)."""
    for name, texts in getattr(error, "message_dict", {None: error.messages}).items():
        form.add_error(name if name in form.fields else None, texts)


class GuideView(GuideMixin, TemplateView):
    """The plan's situations in order with their steps, and the tools to change them."""

    template_name = "backoffice/guide.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=guide_rows(self.plan), has_stages=bool(chain_stages(self.plan)), **kwargs
        )


class SituationFormView(GuideMixin, FormView):
    """Add a situation (no `pk`) or change one."""

    template_name = "backoffice/guide_situation_form.html"
    form_class = SituationForm

    def setup_guide(self):
        self.situation = self.load_situation(self.kwargs["pk"]) if "pk" in self.kwargs else None
        self.heading = str(self.situation.title) if self.situation else _("Add a situation")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.situation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, situation=self.situation, **kwargs)

    def form_valid(self, form):
        try:
            situation = services.situation_save(
                plan=self.plan, situation=self.situation, data=form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The situation was saved."))
        return redirect(self.guide_url(f"#situation-{situation.pk}"))


class StepFormView(GuideMixin, FormView):
    """Add a step to a situation (`situation` in the address) or change one (`pk`). A plan without
    chain stages gets no form: the page says so and points to the plan editor."""

    template_name = "backoffice/guide_step_form.html"
    form_class = StepForm

    def setup_guide(self):
        if "situation" in self.kwargs:
            self.step, self.situation = None, self.load_situation(self.kwargs["situation"])
        else:
            self.step = self.load_step(self.kwargs["pk"])
            self.situation = self.step.situation
        self.stages = [(t.code, str(t.label)) for t in chain_stages(self.plan)]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.step,
            "stages": self.stages,
            "kinds": plan_organisation_kinds(self.plan),
        }

    def get_context_data(self, **kwargs):
        if not self.stages:
            kwargs["form"] = None
        heading = _("Change a step") if self.step else _("Add a step")
        return super().get_context_data(
            heading=heading, situation=self.situation, step=self.step, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not self.stages:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            step = services.step_save(
                plan=self.plan, situation=self.situation, step=self.step, data=form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The step was saved."))
        return redirect(self.guide_url(f"#step-{step.pk}"))


def _direction(request) -> bool | None:
    """True for up, False for down, None for anything else."""
    return {"up": True, "down": False}.get(request.POST.get("direction", ""))


class SituationMoveView(GuideMixin, View):
    def post(self, request, *args, **kwargs):
        situation = self.load_situation(kwargs["pk"])
        up = _direction(request)
        if up is not None and services.situation_move(situation=situation, up=up):
            messages.success(
                request,
                (_("“%(title)s” moved up.") if up else _("“%(title)s” moved down."))
                % {"title": situation.title},
            )
        return redirect(self.guide_url(f"#situation-{situation.pk}"))


class StepMoveView(GuideMixin, View):
    def post(self, request, *args, **kwargs):
        step = self.load_step(kwargs["pk"])
        up = _direction(request)
        if up is not None and services.step_move(step=step, up=up):
            messages.success(request, _("The step moved up.") if up else _("The step moved down."))
        return redirect(self.guide_url(f"#step-{step.pk}"))


class SituationDeleteView(GuideMixin, View):
    """Delete a situation with its steps, after a confirmation page."""

    def post(self, request, *args, **kwargs):
        situation = self.load_situation(kwargs["pk"])
        if not confirmed(request):
            count = situation.steps.count()
            return confirmation(
                request,
                title=_("Delete a situation"),
                lines=[
                    ngettext(
                        "“%(title)s” and its %(count)d step will be deleted.",
                        "“%(title)s” and its %(count)d steps will be deleted.",
                        count,
                    )
                    % {"title": situation.title, "count": count},
                    _("The public guide no longer shows it, at once."),
                ],
                button=_("Delete the situation"),
                cancel_url=self.guide_url(f"#situation-{situation.pk}"),
                danger=True,
            )
        services.situation_delete(situation=situation)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": situation.title})
        return redirect(self.guide_url())


class StepDeleteView(GuideMixin, View):
    """Delete a step, after a confirmation page."""

    def post(self, request, *args, **kwargs):
        step = self.load_step(kwargs["pk"])
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Delete a step"),
                lines=[
                    _("This step of “%(title)s” will be deleted: %(text)s")
                    % {
                        "title": step.situation.title,
                        "text": Truncator(str(step.text)).chars(120),
                    }
                ],
                button=_("Delete the step"),
                cancel_url=self.guide_url(f"#step-{step.pk}"),
                danger=True,
            )
        services.step_delete(step=step)
        messages.success(request, _("The step was deleted."))
        return redirect(self.guide_url(f"#situation-{step.situation_id}"))
