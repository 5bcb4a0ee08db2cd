from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from nollvision.accounts import tenancy
from nollvision.accounts.fields import OrganisationChoiceField
from nollvision.accounts.models import Organisation
from nollvision.backoffice.forms import text_field
from nollvision.followup.models import Campaign
from nollvision.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MemberRole,
    Presence,
)
from nollvision.meetings.selectors import group_region_id, groups_visible_to, reachable_members
from nollvision.plans.models import Goal, Measure, Plan
from nollvision.plans.selectors import current_version
from nollvision.reports.models import Report

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The years a meeting of a plan's groups can be in: a typed year outside them is a slip.
MEETING_YEARS = (2000, 2100)


class MeetingForm(forms.Form):
    title = text_field(Meeting, "title", label=_("Title"), required=True)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = text_field(Meeting, "place", label=_("Place"))
    link = forms.URLField(
        label=_("Link to join"), max_length=500, required=False, assume_scheme="https"
    )
    cancelled = forms.BooleanField(label=_("Cancelled"), required=False)

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):  # year 1 or 9999 is a typing slip, and no time zone
            if data.get(name) and not MEETING_YEARS[0] <= data[name].year <= MEETING_YEARS[1]:
                self.add_error(
                    name,
                    _("Give a date between the years %(first)d and %(last)d.")
                    % {"first": MEETING_YEARS[0], "last": MEETING_YEARS[1]},
                )
                data.pop(name, None)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


def _newest_plan(group) -> Plan | None:
    """The version meetings work under: the adopted one, not a draft of the next."""
    return current_version(group.plan_slug)


def measure_choices(field, plan) -> None:
    """The plan's measures as checkboxes grouped by goal (a filter box above them with
    JavaScript), instead of a list box that needs ctrl-click."""
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("goal")
        .order_by("goal__number", "position")
    )
    field.queryset = Measure.objects.filter(plan=plan)
    field.widget = forms.CheckboxSelectMultiple()
    groups: dict = {}
    for measure in measures:
        label = _("Goal %(number)d: %(title)s") % {
            "number": measure.goal.number,
            "title": measure.goal.title,
        }
        groups.setdefault(label, []).append(
            (measure.pk, f"{measure.code} {str(measure.text)[:90]}")
        )
    field.choices = list(groups.items())


class ItemForm(forms.Form):
    title = text_field(AgendaItem, "title", label=_("Title"), required=True)
    description = text_field(AgendaItem, "description", label=_("Description"))
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"), queryset=Measure.objects.none(), required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("Follow-up"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("– none –"),
    )
    report = forms.ModelChoiceField(
        label=_("Annual report"),
        queryset=Report.objects.none(),
        required=False,
        empty_label=_("– none –"),
    )
    minutes = text_field(AgendaItem, "minutes", label=_("Minutes"), rows=6)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        plan = _newest_plan(group)
        self.fields["goals"].queryset = Goal.objects.filter(plan=plan)
        measure_choices(self.fields["measures"], plan)
        self.fields["campaign"].queryset = Campaign.objects.filter(plan__slug=group.plan_slug)
        self.fields["report"].queryset = Report.objects.filter(
            campaign__plan__slug=group.plan_slug
        ).select_related("campaign")


class DecisionForm(forms.Form):
    text = text_field(Decision, "text", label=_("Decision"), required=True)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["text", "organisation", "person", "due", "status", "measures"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due": DATE}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        plan = _newest_plan(group)
        # Only the plan's county's organisations can be responsible for the group's actions.
        self.fields["organisation"].queryset = tenancy.organisations_of(group_region_id(group))
        self.fields["person"].queryset = get_user_model().objects.filter(
            pk__in=[member.user_id for member in reachable_members(group)]
        )
        measure_choices(self.fields["measures"], plan)
        self.fields["status"].choices = ActionStatus.choices


class MemberForm(forms.Form):
    """A member is someone with a role at an organisation of the group's county."""

    username = forms.CharField(label=_("User name"), max_length=150)
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(
        label=_("Role in the group"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id = group_region_id(group)
        self.fields["organisation"].queryset = tenancy.organisations_of(self.region_id)

    def clean_username(self):
        user = (
            tenancy.users_of(self.region_id).filter(username=self.cleaned_data["username"]).first()
        )
        if user is None:
            raise forms.ValidationError(
                _(
                    "No one with that user name works at an organisation of this county. Invite "
                    "the person first (Users and invitations)."
                )
            )
        return user


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or office document)"))


class AttendanceForm(forms.Form):
    def __init__(self, *args, members, current, **kwargs):
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=str(member),
                choices=[("", "–"), *Presence.choices],
                required=False,
                initial=current.get(member.pk, ""),
            )

    def presence(self) -> dict[int, str]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}


class ActionFilterForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    measure = forms.CharField(label=_("Measure (code)"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *ActionStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        slugs = {g.plan_slug for g in groups_visible_to(user)}
        regions = Plan.objects.filter(slug__in=slugs).values("region_id")
        self.fields["organisation"].queryset = Organisation.objects.filter(region_id__in=regions)
