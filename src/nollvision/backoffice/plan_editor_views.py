"""Back office: the plan editor (the coordinator drafts the next version), its preview, adoption,
and the signatories' signings. The rules are in `plans/editor.py` and `plans/rules.py`."""

from abc import ABC, abstractmethod
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from nollvision.core.parsing import whole_number
from nollvision.plans import editor
from nollvision.plans.enums import PlanStatus, Vocabulary
from nollvision.plans.errors import PlanError
from nollvision.plans.gaps import kinds_without_description, plan_body_kinds
from nollvision.plans.models import Plan, Signing
from nollvision.plans.revision import revision_of, revision_version
from nollvision.plans.selectors import (
    draft_overview,
    last_change_of,
    plan_diff,
    prioritised_periods,
    signatories_with_signings,
)
from nollvision.plans.services import signing_record

from . import plan_forms
from .plan_views import PlanMixin


def _editor_url(plan, anchor: str = "") -> str:
    return reverse("backoffice:plan-editor", args=[plan.slug]) + (f"#{anchor}" if anchor else "")


def revision_links(revision) -> None:
    """Give each next step of the revision's task list its address (`step.url`, `step.label`)."""
    plan = revision.plan
    consultation = revision.consultation
    links = {
        "send": (
            reverse("backoffice:consultations", args=[plan.slug]) + "#send-heading",
            _("Send the draft for consultation"),
        ),
        "adopt": (
            reverse("backoffice:plan-adopt", args=[plan.slug]),
            _("Adopt version %(version)d") % {"version": plan.version},
        ),
        "sign": (reverse("backoffice:plan-signings", args=[plan.slug]), _("Record the signings")),
    }
    if consultation is not None:
        url = reverse("backoffice:consultation", args=[consultation.pk])
        links["follow"] = (url, _("Follow the answers"))
        links["handle"] = (url + "#measures-heading", _("Handle the answers"))
    for stage in revision.stages:
        if stage.next is not None:
            stage.next.url, stage.next.label = links[stage.next.action]


class PlanEditorView(PlanMixin, TemplateView):
    """The plan's versions and, when there is one, its draft: goals and measures with their
    changes, the retired measures, the history; a start button when there is no draft."""

    template_name = "backoffice/plan_editor.html"

    def get_context_data(self, **kwargs):
        plan = self.plan
        draft = plan if plan.status == PlanStatus.DRAFT else None
        context = super().get_context_data(
            plan=plan,
            draft=draft,
            # Built by a worker (a job); its page links the file.
            document_url=reverse(
                "backoffice:plan-document-build", args=[plan.slug, plan.version, "pdf"]
            ),
            word_url=reverse(
                "backoffice:plan-document-build", args=[plan.slug, plan.version, "docx"]
            ),
            consultation_url=reverse("backoffice:consultations", args=[plan.slug]),
            **kwargs,
        )
        if draft is not None:
            context.update(draft_overview(draft))
        revised = revision_version(plan)
        if revised is not None:
            context["revision"] = revision_of(revised)
            revision_links(context["revision"])
        return context

    def post(self, request, slug):
        plan = self.plan
        try:
            if "start" in request.POST:
                editor.draft_start(plan=plan, user=request.user)
                messages.success(request, _("The draft of the next version was started."))
                return redirect(_editor_url(plan))
            if plan.status != PlanStatus.DRAFT:
                raise PlanError(
                    _("Only a draft can be changed. Start a new version to revise the plan.")
                )
            if "move" in request.POST:
                key, _sep, direction = request.POST["move"].rpartition("|")
                editor.measure_move(
                    plan=plan, user=request.user, key=key, step=-1 if direction == "up" else 1
                )
                return redirect(_editor_url(plan, f"m-{key}"))
            if "restore" in request.POST:
                editor.measure_restore(plan=plan, user=request.user, code=request.POST["restore"])
                messages.success(request, _("The measure was brought back."))
                return redirect(_editor_url(plan, "retired"))
            if "merge" in request.POST:
                keys = request.POST.getlist("measure")
                if len(keys) < 2:
                    raise PlanError(_("Choose at least two measures to merge."))
                url = reverse("backoffice:plan-merge", args=[plan.slug])
                return redirect(f"{url}?{urlencode([('measure', key) for key in keys])}")
        except PlanError as error:
            messages.error(request, str(error))
            return redirect(_editor_url(plan))
        return redirect(_editor_url(plan))


class DraftMixin(PlanMixin):
    """The plan's draft version (the newest version, while it is a draft)."""

    def setup_plan(self) -> None:
        if self.plan.status != PlanStatus.DRAFT:
            raise Http404
        self.draft = self.plan


class DraftStepView(DraftMixin, TemplateView, ABC):
    """One step of the editor on its own page: a form, saved through a service of
    `plans/editor.py`; a refusal comes back as a message above the form, nothing changed."""

    template_name = "backoffice/plan_step.html"
    heading = ""
    anchor = ""
    intro = ""

    @abstractmethod
    def get_form(self, data=None):
        """The step's form, bound to `data` when given."""

    @abstractmethod
    def save(self, form) -> None:
        """Save the valid form through a service of `plans/editor.py` (PlanError refuses)."""

    def get_heading(self) -> str:
        return str(self.heading)

    def extra_context_data(self) -> dict:
        return {}

    def last_change(self) -> int:
        """The draft's newest step: a form carries it, so a save over someone else's newer step
        is noticed instead of silently undoing it."""
        return last_change_of(self.draft)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        return super().get_context_data(
            plan=self.draft,
            form=form,
            seen=self.last_change(),
            heading=self.get_heading(),
            intro=self.intro,
            back=_editor_url(self.draft, self.anchor),
            **self.extra_context_data(),
            **kwargs,
        )

    def valid(self, form) -> bool:
        return form.is_valid()

    def success_message(self) -> str:
        return _("The draft was saved.")

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        seen = whole_number(request.POST.get("seen", ""))
        if seen is not None and seen != self.last_change():
            # Another tab or person saved a step since this page was opened: nothing is saved;
            # the form keeps what was typed, and saving again (knowingly) goes through.
            form.is_valid()
            form.add_error(
                None,
                _(
                    "The draft was changed by someone else (or in another tab) after you opened "
                    "this page, so nothing was saved. Look at the draft as it is now; to save "
                    "your text over it, press Save again."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        if self.valid(form):
            try:
                self.save(form)
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, self.success_message())
                return redirect(_editor_url(self.draft, self.anchor))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanDetailsView(DraftStepView):
    heading = gettext_lazy("Title, period and introduction")

    def get_form(self, data=None):
        plan = self.draft
        initial = plan_forms.TextsForm.initial_texts(
            title=dict(plan.title), introduction=dict(plan.introduction)
        )
        initial.update(first_year=plan.period_start, last_year=plan.period_end)
        return plan_forms.PlanDetailsForm(data, initial=initial)

    def save(self, form):
        editor.plan_details_edit(
            plan=self.draft,
            user=self.request.user,
            title=form.text("title"),
            first_year=form.cleaned_data["first_year"],
            last_year=form.cleaned_data["last_year"],
            introduction=form.text("introduction"),
        )


class GoalView(DraftStepView):
    def setup_plan(self):
        super().setup_plan()
        number = self.kwargs.get("number")
        self.goal = self.draft.goals.filter(number=number).first() if number else None
        if number and self.goal is None:
            raise Http404
        self.anchor = f"goal-{number}" if number else ""

    def get_heading(self):
        if self.goal is None:
            return _("Add a goal")
        return _("Goal %(number)d") % {"number": self.goal.number}

    def get_form(self, data=None):
        initial = (
            plan_forms.TextsForm.initial_texts(
                title=dict(self.goal.title), text=dict(self.goal.text)
            )
            if self.goal
            else {}
        )
        return plan_forms.GoalForm(data, initial=initial)

    def save(self, form):
        editor.goal_edit(
            plan=self.draft,
            user=self.request.user,
            number=self.goal.number if self.goal else None,
            title=form.text("title"),
            text=form.text("text"),
        )


class MeasureStepMixin:
    """A step on one measure of the draft, by its stable key in the address."""

    def setup_plan(self):
        super().setup_plan()
        key = self.kwargs.get("key")
        self.measure = (
            self.draft.measures.select_related("goal")
            .prefetch_related("prevention_levels", "violence_areas", "organisation_kinds")
            .filter(key=key)
            .first()
            if key
            else None
        )
        if key and self.measure is None:
            raise Http404
        self.anchor = f"m-{key}" if key else ""

    def extra_context_data(self):
        return {"measure": self.measure}


class MeasureView(MeasureStepMixin, DraftStepView):
    def get_heading(self):
        if self.measure is None:
            return _("Add a measure")
        return _("Measure %(code)s") % {"code": self.measure.code}

    def get_form(self, data=None):
        measure = self.measure
        if measure is None:
            goal = self.request.GET.get("goal")
            initial = {"goal": goal} if goal else {}
        else:
            initial = plan_forms.TextsForm.initial_texts(
                text=dict(measure.text),
                section=dict(measure.section),
                change_reason=dict(measure.change_reason),
            )
            initial.update(
                code=measure.code,
                goal=measure.goal.number,
                prevention_levels=[t.code for t in measure.prevention_levels.all()],
                violence_areas=[t.code for t in measure.violence_areas.all()],
                organisation_kinds=[k.code for k in measure.organisation_kinds.all()],
            )
        return plan_forms.MeasureForm(data, initial=initial, plan=self.draft)

    def save(self, form):
        change = editor.measure_edit(
            plan=self.draft,
            user=self.request.user,
            key=self.measure.key if self.measure else None,
            fields=form.measure_fields(),
        )
        if self.measure is None:
            self.anchor = f"m-{change.after.get('key', '')}"


class SplitView(MeasureStepMixin, DraftStepView):
    intro = gettext_lazy(
        "The measure is replaced by two or three measures, each with its own code and text. "
        "They are recorded as split from the measure of the previous version, with the reason."
    )

    def get_heading(self):
        return _("Split measure %(code)s") % {"code": self.measure.code}

    def get_form(self, data=None):
        return plan_forms.SplitForm(data, code=self.measure.code)

    def save(self, form):
        editor.measure_split(
            plan=self.draft,
            user=self.request.user,
            key=self.measure.key,
            parts=form.parts(),
            reason=form.text("reason"),
        )
        self.anchor = f"goal-{self.measure.goal.number}"


class RetireView(MeasureStepMixin, DraftStepView):
    intro = gettext_lazy(
        "The measure is taken out of the draft. When it carried on a measure of the previous "
        "version, that measure is recorded as retired with the reason; it can be brought back."
    )

    def get_heading(self):
        return _("Retire measure %(code)s") % {"code": self.measure.code}

    def get_form(self, data=None):
        return plan_forms.ReasonForm(data)

    def save(self, form):
        editor.measure_retire(
            plan=self.draft,
            user=self.request.user,
            key=self.measure.key,
            reason=form.text("reason"),
        )
        self.anchor = "retired"


class MergeView(DraftStepView):
    intro = gettext_lazy(
        "The chosen measures become one measure, in the place of the first. It is recorded as "
        "merged from the measures of the previous version they carried on, with the reason."
    )
    heading = gettext_lazy("Merge measures")

    def get_form(self, data=None):
        keys = self.request.GET.getlist("measure")
        first = self.draft.measures.filter(key__in=keys).order_by("goal__number", "position")
        initial = {"measure": keys, "code": first[0].code if first else ""}
        return plan_forms.MergeForm(data, initial=initial, plan=self.draft)

    def save(self, form):
        keys = form.cleaned_data["measure"]
        editor.measure_merge(
            plan=self.draft,
            user=self.request.user,
            keys=keys,
            code=form.cleaned_data["code"],
            text=form.text("text"),
            reason=form.text("reason"),
        )
        first = self.draft.measures.filter(code=form.cleaned_data["code"]).first()
        self.anchor = f"m-{first.key}" if first else ""


class ResponsibilityView(DraftStepView):
    """One kind of body's responsibility description: its title and duties (empty rows at the
    end add duties; a ticked row is removed); added for a kind of the plan's bodies that has
    none (no kind in the address), or removed."""

    anchor = "responsibilities"

    def setup_plan(self):
        super().setup_plan()
        kind = self.kwargs.get("kind")
        self.description = (
            self.draft.responsibilities.select_related("organisation_kind")
            .filter(organisation_kind__code=kind)
            .first()
            if kind
            else None
        )
        if kind and self.description is None:
            raise Http404
        self.stages = [
            (term.code, str(term.label))
            for term in self.draft.terms.all()
            if term.vocabulary == Vocabulary.CHAIN_STAGE
        ]

    def get_heading(self):
        if self.description is None:
            return _("Add a responsibility description")
        return str(self.description.title)

    def get_form(self, data=None):
        if self.description is None:
            kinds = kinds_without_description(
                plan_body_kinds(self.draft), self.draft.responsibilities.all()
            )
            chosen = self.request.GET.get("kind")
            initial = {"kind": chosen} if chosen in {kind.code for kind in kinds} else {}
            form = plan_forms.ResponsibilityAddForm(data, initial=initial, kinds=kinds)
            duties = []
        else:
            initial = plan_forms.TextsForm.initial_texts(title=dict(self.description.title))
            form = plan_forms.ResponsibilityForm(data, initial=initial)
            duties = [
                {
                    **plan_forms.TextsForm.initial_texts(
                        text=dict(duty.text), group=dict(duty.group)
                    ),
                    "stage": duty.chain_stage.code if duty.chain_stage else "",
                }
                for duty in self.description.duties.select_related("chain_stage")
            ]
        form.duties = plan_forms.DutyFormSet(
            data, initial=duties, prefix="duty", form_kwargs={"stages": self.stages}
        )
        return form

    def extra_context_data(self):
        context = {"remove_label": _("Remove this description") if self.description else ""}
        if not self.stages:
            context["note"] = (
                _("The plan names no stages of the chain of interventions, so duties have none."),
                _("Add the stages"),
                reverse("backoffice:plan-vocabulary", args=[self.draft.slug, "chain_stages"]),
            )
        return context

    def valid(self, form):
        return form.is_valid() & form.duties.is_valid()

    def save(self, form):
        duties = [row.duty() for row in form.duties.forms]
        duties = [duty for duty in duties if duty is not None]
        if self.description is None:
            editor.responsibility_add(
                plan=self.draft,
                user=self.request.user,
                kind=form.cleaned_data["kind"],
                title=form.text("title"),
                duties=duties,
            )
            return
        editor.responsibility_edit(
            plan=self.draft,
            user=self.request.user,
            kind=self.description.organisation_kind.code,
            title=form.text("title"),
            duties=duties,
        )

    def post(self, request, *args, **kwargs):
        if self.description is None or "remove" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            editor.responsibility_remove(
                plan=self.draft, user=request.user, kind=self.description.organisation_kind.code
            )
        except PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The description was removed from the draft."))
        return redirect(_editor_url(self.draft, self.anchor))


class VocabularyView(DraftStepView):
    """One vocabulary of the draft: its terms as rows, in order, with empty rows for new terms;
    a ticked row is removed (refused while a measure or a duty names the term)."""

    anchor = "vocabularies"
    intro = gettext_lazy(
        "Change a label to rename a term; its code stays. Empty rows at the end add terms (a "
        "code of small letters, digits and hyphens, or none: it is made from the Swedish label), "
        "and the places set the order. A term that a measure or a duty uses cannot be removed."
    )

    def setup_plan(self):
        super().setup_plan()
        if self.kwargs["name"] not in Vocabulary.values:
            raise Http404
        self.vocabulary = Vocabulary(self.kwargs["name"])

    def get_heading(self):
        return capfirst(self.vocabulary.label)

    def get_form(self, data=None):
        terms = self.draft.terms.filter(vocabulary=self.vocabulary).order_by("position")
        form = plan_forms.TextsForm(data)
        form.terms = plan_forms.TermFormSet(
            data,
            initial=[
                {"code": term.code, **plan_forms.TextsForm.initial_texts(label=dict(term.label))}
                for term in terms
            ],
            prefix="term",
        )
        return form

    def valid(self, form):
        return form.is_valid() & form.terms.is_valid()

    def save(self, form):
        editor.vocabulary_edit(
            plan=self.draft,
            user=self.request.user,
            name=self.vocabulary.value,
            terms=form.terms.terms(),
        )


class BodyView(DraftStepView):
    def setup_plan(self):
        super().setup_plan()
        key = self.kwargs.get("key")
        self.body = self.draft.collaboration_bodies.filter(key=key).first() if key else None
        if key and self.body is None:
            raise Http404
        self.anchor = "bodies"

    def get_heading(self):
        return str(self.body.name) if self.body else _("Add a collaboration body")

    def get_form(self, data=None):
        initial = {}
        if self.body:
            initial = plan_forms.TextsForm.initial_texts(
                name=dict(self.body.name), mandate=dict(self.body.mandate)
            )
            initial["level"] = self.body.level
        return plan_forms.BodyForm(data, initial=initial)

    def save(self, form):
        editor.body_edit(
            plan=self.draft,
            user=self.request.user,
            key=self.body.key if self.body else None,
            name=form.text("name"),
            level=form.cleaned_data["level"],
            mandate=form.text("mandate"),
        )


class FigureView(DraftStepView):
    """One of the plan's figures: added, edited, or removed from the draft."""

    anchor = "figures"
    intro = gettext_lazy(
        "The figures page calculates each figure again from the latest population: a rate times "
        "a population group, or a national amount shared by the area's share of Sweden's "
        "population. A plan without figures has no figures page."
    )

    def setup_plan(self):
        super().setup_plan()
        key = self.kwargs.get("key")
        self.figure = self.draft.figures.filter(key=key).first() if key else None
        if key and self.figure is None:
            raise Http404

    def get_heading(self):
        return str(self.figure.title) if self.figure else _("Add a figure")

    def get_form(self, data=None):
        initial = plan_forms.FigureForm.initial_of(self.figure) if self.figure else {}
        return plan_forms.FigureForm(data, initial=initial)

    def extra_context_data(self):
        return {"remove_label": _("Remove this figure") if self.figure else ""}

    def save(self, form):
        editor.figure_edit(
            plan=self.draft,
            user=self.request.user,
            key=self.figure.key if self.figure else None,
            fields=form.figure_fields(),
        )

    def post(self, request, *args, **kwargs):
        if self.figure is None or "remove" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            editor.figure_remove(plan=self.draft, user=request.user, key=self.figure.key)
        except PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The figure was removed from the draft."))
        return redirect(_editor_url(self.draft, self.anchor))


class PreviewView(DraftMixin, TemplateView):
    """The draft as the public plan page will show it, and its comparison with the version it
    replaces, while it is written."""

    template_name = "backoffice/plan_preview.html"

    def get_context_data(self, **kwargs):
        draft = self.draft
        context = super().get_context_data(plan=draft, **kwargs)
        context.update(draft_overview(draft))
        context.update(
            prioritised=prioritised_periods(draft),
            rows=plan_diff(draft.previous_version, draft) if draft.previous_version_id else None,
        )
        return context


class AdoptView(DraftStepView):
    template_name = "backoffice/plan_adopt.html"
    anchor = ""

    def get_heading(self):
        return _("Adopt version %(version)d") % {"version": self.draft.version}

    def extra_context_data(self):
        return draft_overview(self.draft)

    def get_form(self, data=None):
        return plan_forms.AdoptForm(data)

    def save(self, form):
        self.draft = editor.plan_adopt(
            plan=self.draft, user=self.request.user, adopted_on=form.cleaned_data["adopted_on"]
        )

    def success_message(self) -> str:
        """What adoption did, and what comes next (the page below shows the task list)."""
        plan = self.draft
        said = {"version": plan.version, "date": formats.date_format(plan.adopted_on)}
        if plan.previous_version_id is None:
            done = _("Version %(version)d was adopted on %(date)s: the public site now shows it.")
        else:
            said["previous"] = plan.previous_version.version
            done = _(
                "Version %(version)d was adopted on %(date)s: the public site now shows it, and "
                "version %(previous)d is archived."
            )
        then = _("Next, the signatories record their signings.")
        return f"{done % said} {then}"


class SigningsView(LoginRequiredMixin, TemplateView):
    """The signatories of the plan's adopted version and their signings. The coordinator records
    any body's; a signatory's approver records its own body's."""

    template_name = "backoffice/plan_signings.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = (
            Plan.objects.filter(slug=kwargs["slug"], status=PlanStatus.ADOPTED)
            .select_related("region")
            .first()
        )
        if self.plan is None:
            raise Http404
        self.rows = signatories_with_signings(self.plan)
        self.bodies = [
            signatory.organisation
            for signatory, _signing in self.rows
            if request.user.has_perm(
                "plans.record_signing", Signing(plan=self.plan, organisation=signatory.organisation)
            )
        ]
        if not self.bodies:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None):
        chosen = whole_number(self.request.GET.get("body"))
        signings = {signing.organisation_id: signing for _s, signing in self.rows if signing}
        initial = {}
        if chosen in signings:
            existing = signings[chosen]
            initial = {
                "organisation": existing.organisation_id,
                "signed_by": existing.signed_by,
                "role": existing.role,
                "signed_on": existing.signed_on,
            }
        elif chosen:
            initial = {"organisation": chosen}
        return plan_forms.SigningForm(data, initial=initial, bodies=self.bodies)

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.get_form()
        return super().get_context_data(
            plan=self.plan,
            rows=self.rows,
            form=form,
            may_record={body.pk for body in self.bodies},
            **kwargs,
        )

    def post(self, request, slug):
        form = self.get_form(request.POST)
        if form.is_valid():
            organisation = next(b for b in self.bodies if b.pk == form.cleaned_data["organisation"])
            data = {name: form.cleaned_data[name] for name in ("signed_by", "role", "signed_on")}
            try:
                signing_record(
                    plan=self.plan, organisation=organisation, data=data, user=request.user
                )
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The signing of %(body)s was recorded.") % {"body": organisation}
                )
                return redirect("backoffice:plan-signings", slug=self.plan.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)
