"""Back office: a plan's own data kept by its county's coordinators. For now, which measures are
prioritised for a period, and who decided it when."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from nollvision.core.parsing import whole_number
from nollvision.plans.errors import PlanError
from nollvision.plans.models import Measure, Plan, Priority
from nollvision.plans.selectors import current_version, priorities_of
from nollvision.plans.services import priority_save

from .meeting_forms import measure_choices


class PriorityForm(forms.ModelForm):
    measures = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Prioritised measures"), queryset=Measure.objects.none()
    )

    class Meta:
        model = Priority
        fields = ["title", "first_year", "last_year", "decided_by", "decided_on", "measures"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        measure_choices(self.fields["measures"], plan)
        if not self.instance.pk:
            self.initial.setdefault("first_year", plan.period_start)
            self.initial.setdefault("last_year", plan.period_end)


class PlanMixin(LoginRequiredMixin):
    """The newest version of the plan in the address (a draft, if there is one), for its
    county's coordinators only; `current` says whether the current version (the adopted one)
    is meant instead."""

    current = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.current:
            self.plan = current_version(kwargs["slug"])
        else:
            self.plan = Plan.objects.filter(slug=kwargs["slug"]).order_by("-version").first()
        if self.plan is None:
            raise Http404
        if not request.user.has_perm("plans.manage_plan", self.plan):
            raise PermissionDenied
        self.setup_plan()
        return super().dispatch(request, *args, **kwargs)

    def setup_plan(self) -> None:
        """What a view needs of the plan besides it (checked after the permission)."""


class PrioritiesView(PlanMixin, TemplateView):
    """The prioritisations of the plan, and a form to record one (or correct one)."""

    template_name = "backoffice/priorities.html"
    current = True  # prioritised measures are the adopted version's, never a draft's

    def priority(self):
        raw = self.request.GET.get("andra") or self.request.POST.get("priority")
        if not raw:
            return None
        pk = whole_number(raw)
        if pk is None:
            raise Http404
        found = Priority.objects.filter(plan__slug=self.plan.slug, pk=pk).first()
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        priority = self.priority()
        form = kwargs.pop("form", None) or PriorityForm(
            instance=priority, plan=priority.plan if priority else self.plan
        )
        return super().get_context_data(
            plan=self.plan,
            priorities=priorities_of(self.plan),
            form=form,
            editing=priority,
            **kwargs,
        )

    def post(self, request, slug):
        priority = self.priority()
        plan = priority.plan if priority else self.plan
        form = PriorityForm(request.POST, instance=priority, plan=plan)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "measures"}
            try:
                priority_save(
                    plan=plan, priority=priority, data=data, measures=form.cleaned_data["measures"]
                )
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The prioritised measures were saved."))
                return redirect("backoffice:priorities", slug=self.plan.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)
