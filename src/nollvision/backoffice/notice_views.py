"""Notices: each person's list and their choice of how to hear of each kind; the county's outbox
(the e-mail sent, waiting and failing) for its coordinators."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from nollvision.notifications.enums import Delivery, Kind, OutboxState
from nollvision.notifications.selectors import (
    notices_of,
    outbox_counts,
    outbox_visible_to,
    preferences_of,
)
from nollvision.notifications.services import notices_mark_read, preferences_save


class PreferencesForm(forms.Form):
    """One choice per kind of notice."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=initial_choices[kind.value],
                widget=forms.RadioSelect,
            )


class NoticesView(LoginRequiredMixin, TemplateView):
    template_name = "backoffice/notices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "form", PreferencesForm(initial_choices=preferences_of(self.request.user))
        )
        context["notices"] = notices_of(self.request.user)
        return context

    def post(self, request):
        if request.POST.get("action") == "read":
            notices_mark_read(user=request.user)
            messages.success(request, _("The notices are marked as read."))
            return redirect(
                "backoffice:home" if request.POST.get("next") == "home" else "backoffice:notices"
            )
        form = PreferencesForm(request.POST, initial_choices=preferences_of(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        preferences_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("backoffice:notices")


class OutboxView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The e-mail to the people of the coordinator's county, newest first, with its state."""

    template_name = "backoffice/outbox.html"
    permission_required = "notifications.view_outbox"
    states = (
        ("", gettext_lazy("All")),
        (OutboxState.FAILING, OutboxState.FAILING.label),
        (OutboxState.WAITING, OutboxState.WAITING.label),
        (OutboxState.SENT, OutboxState.SENT.label),
    )

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "")
        rows = outbox_visible_to(self.request.user, state=state)
        context.update(
            rows=rows[:200],
            state=state,
            states=self.states,
            counts=outbox_counts(self.request.user),
        )
        return context
