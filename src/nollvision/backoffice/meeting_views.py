"""Back office: collaboration groups, their meetings, minutes, decisions and actions. Selectors
limit what a user sees (404 for anything else); `meetings/rules.py` decides who edits."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.backoffice.meeting_forms import (
    ActionFilterForm,
    ActionForm,
    AttachmentForm,
    AttendanceForm,
    DecisionForm,
    ItemForm,
    MeetingForm,
    MemberForm,
)
from nollvision.meetings import selectors, services
from nollvision.meetings.attachments import AttachmentRefused
from nollvision.meetings.calendar import calendar_bytes, feed_path, member_for_token
from nollvision.meetings.documents import minutes_docx, minutes_pdf
from nollvision.meetings.errors import MeetingRefused
from nollvision.meetings.models import Action, AgendaItem, Attachment, GroupMember

from .confirm import confirmation, confirmed


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class GroupAccessMixin(LoginRequiredMixin):
    """Finds the group, meeting, item or action in the URL among those the user may see and
    checks `permission` on its group."""

    permission = "meetings.view_group"

    def check(self, group):
        if not self.request.user.has_perm(self.permission, group):
            raise PermissionDenied
        return group

    def load_group(self, pk):
        group = selectors.group_get(self.request.user, pk)
        if group is None:
            raise Http404
        return self.check(group)

    def load_meeting(self, pk):
        meeting = selectors.meeting_get(self.request.user, pk)
        if meeting is None:
            raise Http404
        self.check(meeting.group)
        return meeting

    def load_item(self, pk):
        item = get_object_or_404(AgendaItem, pk=pk)
        meeting = self.load_meeting(item.meeting_id)
        item.meeting = meeting
        return item


class GroupListView(GroupAccessMixin, TemplateView):
    template_name = "backoffice/groups.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            groups=selectors.groups_visible_to(self.request.user), **kwargs
        )


class GroupView(GroupAccessMixin, TemplateView):
    template_name = "backoffice/group.html"

    def get_context_data(self, **kwargs):
        group = self.load_group(self.kwargs["pk"])
        members = selectors.members_of(group)
        mine = next((m for m in members if m.user_id == self.request.user.pk), None)
        user = self.request.user
        return super().get_context_data(
            group=group,
            members=members,
            # A body represented only by someone who left the county is not represented.
            lacking=selectors.signatories_without_member(
                group, [member for member in members if not member.left]
            ),
            meetings=group.meetings.all(),
            feed_url=self.request.build_absolute_uri(feed_path(mine)) if mine else None,
            can_edit=user.has_perm("meetings.edit_group", group),
            can_manage=user.has_perm("meetings.manage_members", group),
            member_form=MemberForm(group=group),
            **kwargs,
        )


class MemberAddView(GroupAccessMixin, View):
    permission = "meetings.manage_members"

    def post(self, request, pk):
        group = self.load_group(pk)
        form = MemberForm(request.POST, group=group)
        if form.is_valid():
            data = form.cleaned_data
            services.member_add(
                group=group,
                user=data["username"],
                organisation=data["organisation"],
                role=data["role"],
            )
            messages.success(request, _("The member was added."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect("backoffice:group", pk=group.pk)


class MemberRemoveView(GroupAccessMixin, View):
    permission = "meetings.manage_members"

    def post(self, request, pk):
        member = get_object_or_404(GroupMember, pk=pk)
        group = self.load_group(member.group_id)
        if not confirmed(request):
            return confirmation(
                request,
                title=_("Remove a member"),
                lines=[
                    _("%(user)s will no longer be a member of %(group)s.")
                    % {"user": member.user.get_full_name() or member.user.username, "group": group},
                    _("Their calendar address stops working."),
                ],
                button=_("Remove the member"),
                cancel_url=reverse("backoffice:group", args=[group.pk]),
                danger=True,
            )
        services.member_remove(member=member)
        messages.success(request, _("The member was removed."))
        return redirect("backoffice:group", pk=member.group_id)


class CalendarRenewView(GroupAccessMixin, View):
    def post(self, request, pk):
        group = self.load_group(pk)
        member = get_object_or_404(GroupMember, group=group, user=request.user)
        services.calendar_renew(member=member)
        messages.success(
            request, _("Your calendar address was renewed; the old one no longer works.")
        )
        return redirect("backoffice:group", pk=group.pk)


class MeetingFormView(GroupAccessMixin, FormView):
    template_name = "backoffice/meeting_form.html"
    form_class = MeetingForm
    permission = "meetings.edit_group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "meeting" in kwargs:
            self.meeting = self.load_meeting(kwargs["meeting"])
            self.group = self.meeting.group
        else:
            self.meeting, self.group = None, self.load_group(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.meeting is None:
            return {}
        return {name: getattr(self.meeting, name) for name in MeetingForm.base_fields}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        if self.meeting is None:
            meeting = services.meeting_schedule(
                group=self.group, data=form.cleaned_data, base_url=_base_url(self.request)
            )
            messages.success(self.request, _("The meeting was scheduled and the members told."))
        else:
            meeting = services.meeting_update(
                meeting=self.meeting, data=form.cleaned_data, base_url=_base_url(self.request)
            )
            messages.success(self.request, _("The meeting was saved."))
        return redirect("backoffice:meeting", pk=meeting.pk)


class MeetingView(GroupAccessMixin, TemplateView):
    template_name = "backoffice/meeting.html"

    def get_context_data(self, **kwargs):
        meeting = self.load_meeting(self.kwargs["pk"])
        user = self.request.user
        members = selectors.members_of(meeting.group)
        current = {a.member_id: a.presence for a in meeting.attendance.all()}
        return super().get_context_data(
            meeting=meeting,
            can_edit=user.has_perm("meetings.edit_group", meeting.group),
            can_publish=user.has_perm("meetings.publish_minutes", meeting.group),
            attendance_form=AttendanceForm(members=members, current=current),
            attachment_form=AttachmentForm(),
            decision_form=DecisionForm(),
            decision_limit=DecisionForm.base_fields["text"].max_length,
            decision_hint=DecisionForm.base_fields["text"].help_text,
            **kwargs,
        )


class AttendanceView(GroupAccessMixin, View):
    permission = "meetings.edit_group"

    def post(self, request, pk):
        meeting = self.load_meeting(pk)
        members = selectors.members_of(meeting.group)
        form = AttendanceForm(request.POST, members=members, current={})
        if form.is_valid():
            services.attendance_save(meeting=meeting, presence=form.presence())
            messages.success(request, _("Attendance was saved."))
        return redirect("backoffice:meeting", pk=meeting.pk)


class AttachmentUploadView(GroupAccessMixin, View):
    permission = "meetings.edit_group"

    def post(self, request, pk):
        meeting = self.load_meeting(pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a file to attach."))
        else:
            try:
                services.attachment_add(
                    meeting=meeting, uploaded=form.cleaned_data["file"], user=request.user
                )
                messages.success(request, _("The file was attached."))
            except AttachmentRefused as error:
                messages.error(request, str(error))
        return redirect("backoffice:meeting", pk=meeting.pk)


class AttachmentDownloadView(GroupAccessMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        self.load_meeting(attachment.meeting_id)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )


class ItemFormView(GroupAccessMixin, FormView):
    template_name = "backoffice/item_form.html"
    form_class = ItemForm
    permission = "meetings.edit_group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "item" in kwargs:
            self.item = self.load_item(kwargs["item"])
            self.meeting = self.item.meeting
        else:
            self.item, self.meeting = None, self.load_meeting(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.meeting.group}

    def get_initial(self):
        if self.item is None:
            return {}
        return {
            "title": self.item.title,
            "description": self.item.description,
            "minutes": self.item.minutes,
            "campaign": self.item.campaign,
            "report": self.item.report,
            "goals": list(self.item.goals.all()),
            "measures": list(self.item.measures.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, item=self.item, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        goals, measures = data.pop("goals"), data.pop("measures")
        services.item_save(
            meeting=self.meeting, item=self.item, data=data, goals=goals, measures=measures
        )
        messages.success(self.request, _("The agenda item was saved."))
        return redirect("backoffice:meeting", pk=self.meeting.pk)


class DecisionAddView(GroupAccessMixin, View):
    permission = "meetings.edit_group"

    def post(self, request, pk):
        item = self.load_item(pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():  # the meeting page again, the text and its message in place
            view = MeetingView()
            view.setup(request, pk=item.meeting_id)
            refused = {
                "item": item.pk,
                "errors": form.errors.get("text", []),
                "text": request.POST.get("text", ""),
            }
            context = view.get_context_data(refused_decision=refused)
            return view.render_to_response(context, status=400)
        services.decision_add(item=item, text=form.cleaned_data["text"])
        messages.success(request, _("The decision was recorded."))
        return redirect("backoffice:meeting", pk=item.meeting_id)


class ActionFormView(GroupAccessMixin, FormView):
    template_name = "backoffice/action_form.html"
    form_class = ActionForm
    permission = "meetings.edit_group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "action" in kwargs:
            self.action = get_object_or_404(Action, pk=kwargs["action"])
            self.item = self.load_item(self.action.item_id)
        else:
            self.action, self.item = None, self.load_item(kwargs["item"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "group": self.item.meeting.group,
            "instance": self.action,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, action=self.action, **kwargs)

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "measures"}
        services.action_save(
            item=self.item, action=self.action, data=data, measures=form.cleaned_data["measures"]
        )
        messages.success(self.request, _("The action was saved."))
        return redirect("backoffice:meeting", pk=self.item.meeting_id)


class MinutesPublishView(GroupAccessMixin, View):
    permission = "meetings.publish_minutes"

    def post(self, request, pk):
        meeting = self.load_meeting(pk)
        publish = request.POST.get("publish") == "1"
        try:
            services.minutes_publish(meeting=meeting, published=publish, user=request.user)
        except MeetingRefused as refused:
            messages.error(request, str(refused))
            return redirect("backoffice:meeting", pk=meeting.pk)
        messages.success(
            request,
            _("The minutes are public.") if publish else _("The minutes are no longer public."),
        )
        return redirect("backoffice:meeting", pk=meeting.pk)


class MinutesDownloadView(GroupAccessMixin, View):
    FORMATS = {
        "pdf": ("application/pdf", minutes_pdf),
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            minutes_docx,
        ),
    }

    def get(self, request, pk, fmt):
        meeting = self.load_meeting(pk)
        if fmt not in self.FORMATS:
            raise Http404
        content_type, render = self.FORMATS[fmt]
        response = HttpResponse(render(meeting), content_type=content_type)
        name = f"protokoll-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ActionListView(GroupAccessMixin, TemplateView):
    template_name = "backoffice/actions.html"

    def get_context_data(self, **kwargs):
        form = ActionFilterForm(self.request.GET or None, user=self.request.user)
        data = form.cleaned_data if form.is_valid() else {}
        criteria = selectors.ActionFilter(
            organisation=data["organisation"].pk if data.get("organisation") else None,
            measure_code=data.get("measure") or None,
            status=data.get("status") or None,
            overdue=bool(data.get("overdue")),
        )
        actions = list(selectors.actions_visible_to(self.request.user, criteria))
        return super().get_context_data(
            form=form,
            actions=actions,
            editable=_editable_groups(self.request.user, actions),
            **kwargs,
        )


class MeasureWorkView(GroupAccessMixin, TemplateView):
    """A measure's decisions and actions from the meetings the user may see."""

    template_name = "backoffice/measure_work.html"

    def get_context_data(self, **kwargs):
        measure = selectors.measure_for_work(
            self.request.user, self.kwargs["slug"], self.kwargs["key"]
        )
        if measure is None:
            raise Http404
        decisions, actions = selectors.for_measure(measure, user=self.request.user)
        return super().get_context_data(
            measure=measure,
            decisions=decisions,
            actions=actions,
            editable=_editable_groups(self.request.user, actions),
            **kwargs,
        )


def _editable_groups(user, actions) -> set[int]:
    """The groups among the actions' whose actions the user may change: only those rows link to
    the action's form (a member who may read it sees its text)."""
    from nollvision.meetings.models import Group

    ids = {action.item.meeting.group_id for action in actions}
    return {
        g.pk for g in Group.objects.filter(pk__in=ids) if user.has_perm("meetings.edit_group", g)
    }


def calendar_feed(request, token):
    """The group's meetings for one member's calendar: the address is the secret."""
    member = member_for_token(token)
    if member is None:
        raise Http404
    group = selectors.attach_bodies([member.group])[0]
    data = calendar_bytes(str(group), group.meetings.all(), base_url=_base_url(request))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
