"""Forms of the back office. Answer forms are plain forms (no per-row queries), one per item."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from nollvision.accounts.fields import OrganisationChoiceField
from nollvision.accounts.models import Organisation, Role
from nollvision.core.fields import LINE_MAX, TEXT_MAX, FreeTextField, length_hint
from nollvision.core.validators import guard_line, guard_text, validate_https_url
from nollvision.followup.enums import Course, MeasureStatus, QuestionKind, RoutineState
from nollvision.followup.models import BodyAnswer, MeasureAnswer, StatusChange
from nollvision.followup.services import BODY_FIELDS, MEASURE_FIELDS, BodyChange, MeasureChange
from nollvision.plans.models import Plan
from nollvision.plans.selectors import prioritised_periods


def text_field(model, name: str, *, label=None, rows: int = 3, required: bool = False):
    """A form field for a text people write, taken from the model field so that it carries the
    same guards and length limit (core/fields.py), with the limit stated next to it."""
    field = model._meta.get_field(name)
    multiline = isinstance(field, FreeTextField)
    widget = (
        forms.Textarea(attrs={"rows": rows, "maxlength": field.max_length})
        if multiline
        else forms.TextInput(attrs={"maxlength": field.max_length})
    )
    return field.formfield(
        label=label or field.verbose_name.capitalize(),
        required=required,
        widget=widget,
        # A model field's validators run only in a model form: give the form field the guards.
        validators=list(field.default_validators),
        help_text=length_hint(field.max_length) if multiline else "",
    )


def _text(label, rows=3, name=None):
    return text_field(MeasureAnswer, name, label=label, rows=rows)


def _quick_copy(thing):
    copied = thing.__class__.__new__(thing.__class__)
    copied.__dict__.update(thing.__dict__)
    return copied


class QuickFields(dict):
    """A form's declared fields, copied for each form by attribute (each field and its widget
    its own object, their attribute dictionaries their own; choices, validators and labels
    shared, as a field's choices are replaced, never changed, when set). The answer page makes a
    form per measure, and Django's deep copy of every field, widget and lazily translated label
    was a tenth of the page's time."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            copied = _quick_copy(field)
            copied.widget = _quick_copy(field.widget)
            copied.widget.attrs = field.widget.attrs.copy()
            copied.error_messages = field.error_messages.copy()
            fields[name] = copied
        return fields


class MeasureAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("– not answered –")), *MeasureStatus.choices],
    )
    not_relevant_reason = _text(
        _("Only if not relevant: why not?"), rows=2, name="not_relevant_reason"
    )
    done = _text(_("What was done"), name="done")
    prevention_levels = forms.MultipleChoiceField(
        label=_("Prevention levels addressed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = _text(_("Target groups"), rows=2, name="target_groups")
    child_rights = _text(
        _("How the rights of the child were taken into account"), rows=2, name="child_rights"
    )
    next_steps = _text(_("Planned next steps"), rows=2, name="next_steps")
    may_publish = forms.BooleanField(label=_("These texts may be published"), required=False)

    def __init__(self, *args, answer, levels, **kwargs):
        """`levels`: the plan's prevention levels, or their (code, label) choices made once
        for every form of a page."""
        self.answer = answer
        initial = {name: getattr(answer, name) for name in (*MEASURE_FIELDS, "version")}
        super().__init__(*args, initial=initial, prefix=f"m{answer.pk}", **kwargs)
        self.fields["prevention_levels"].choices = [
            level if isinstance(level, tuple) else (level.code, str(level.label))
            for level in levels
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == MeasureStatus.NOT_RELEVANT and not data.get("not_relevant_reason"):
            self.add_error(
                "not_relevant_reason",
                _("Say why the measure is not relevant for your organisation."),
            )
        return data

    def change(self) -> MeasureChange | None:
        changed = [name for name in self.changed_data if name != "version"]
        if not changed:
            return None
        return MeasureChange(
            answer_id=self.answer.pk,
            version=self.cleaned_data["version"],
            values={name: self.cleaned_data[name] for name in changed},
        )


MeasureAnswerForm.base_fields = QuickFields(MeasureAnswerForm.base_fields)


YES_NO = [("", _("– not answered –")), ("yes", _("yes")), ("no", _("no"))]


def _yes_no(value):
    return {"yes": True, "no": False}.get(value)


class BodyForm(forms.Form):
    """The questions asked once per body: routines, link, competence, participation, extras."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    resource_centre_url = forms.URLField(
        label=_("Address of the page on your website that links to the resource centre"),
        required=False,
        validators=[validate_https_url],
        assume_scheme="https",
        max_length=500,
    )
    staff_concerned = forms.IntegerField(label=_("Staff concerned"), required=False, min_value=0)
    specialist_staff = forms.IntegerField(
        label=_("Staff with specialist knowledge"), required=False, min_value=0
    )
    comment = text_field(BodyAnswer, "comment", label=_("Comment"))

    def __init__(self, *args, body, routines, participations, extras, resource_centre="", **kwargs):
        self.body = body
        initial = {name: getattr(body, name) for name in BODY_FIELDS}
        initial["version"] = body.version
        super().__init__(*args, initial=initial, prefix="body", **kwargs)
        # The question names the plan's own resource centre; a plan without one does not ask it.
        self.resource_centre = str(resource_centre)
        if self.resource_centre:
            self.fields["resource_centre_url"].label = _(
                "Address of the page on your website that links to %(centre)s"
            ) % {"centre": self.resource_centre}
        else:
            del self.fields["resource_centre_url"]
        for course in Course:
            name = f"completed_{course.value}"
            self.fields[name] = forms.IntegerField(label=course.label, required=False, min_value=0)
        self.routine_fields = []
        for routine in routines:
            state, revised = f"routine_{routine.routine}", f"revised_{routine.routine}"
            self.fields[state] = forms.ChoiceField(
                label=routine.get_routine_display(),
                required=False,
                choices=[("", _("– not answered –")), *RoutineState.choices],
            )
            self.fields[revised] = forms.DateField(
                label=_("Last revised"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.initial[state], self.initial[revised] = routine.state, routine.last_revised
            self.routine_fields.append((routine, state, revised))
        self.participation_fields = []
        for participation in participations:
            name = f"takes_part_{participation.body_id}"
            self.fields[name] = forms.ChoiceField(
                label=str(participation.body.name), choices=YES_NO, required=False
            )
            self.initial[name] = {True: "yes", False: "no"}.get(participation.participates, "")
            self.participation_fields.append((participation, name))
        self.extra_fields = []
        for extra in extras:
            name = f"extra_{extra.question_id}"
            self.fields[name] = _extra_field(extra.question)
            self.initial[name] = _extra_initial(extra)
            self.extra_fields.append((extra, name))

    def routine_rows(self):
        return [
            (routine, self[state], self[revised]) for routine, state, revised in self.routine_fields
        ]

    def participation_rows(self):
        return [self[name] for _participation, name in self.participation_fields]

    def extra_rows(self):
        return [self[name] for _extra, name in self.extra_fields]

    def course_rows(self):
        return [self[f"completed_{course.value}"] for course in Course]

    def change(self) -> BodyChange | None:
        changed = [name for name in self.changed_data if name != "version"]
        if not changed:
            return None
        data = self.cleaned_data
        values = {name: data[name] for name in BODY_FIELDS if name in changed}
        return BodyChange(
            version=data["version"],
            values=values,
            routines={
                r.routine: {"state": data[s], "last_revised": data[v]}
                for r, s, v in self.routine_fields
                if s in changed or v in changed
            },
            participations={
                p.body_id: _yes_no(data[n]) for p, n in self.participation_fields if n in changed
            },
            extras={
                e.question_id: _extra_value(e.question, data[n])
                for e, n in self.extra_fields
                if n in changed
            },
        )


def _extra_field(question) -> forms.Field:
    label = str(question.text)
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(label=label, required=False)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(label=label, choices=YES_NO, required=False)
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            label=label,
            required=False,
            widget=forms.RadioSelect,
            choices=[(c, c) for c in question.choices],
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(c, c) for c in question.choices],
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
        validators=[guard_text],
        help_text=length_hint(TEXT_MAX),
    )


def _extra_initial(extra):
    if extra.question.kind == QuestionKind.YES_NO:
        return {True: "yes", False: "no"}.get(extra.value, "")
    if extra.question.kind == QuestionKind.MULTIPLE:
        return extra.value or []
    return "" if extra.value is None else extra.value


def _extra_value(question, value):
    if question.kind == QuestionKind.YES_NO:
        return _yes_no(value)
    if question.kind == QuestionKind.NUMBER:
        return None if value is None else float(value)
    return value or None


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = text_field(StatusChange, "reason", label=_("Reason or message"), rows=2)
    # How many parts of the answer form wait for a correction, unsaved, as the page's script
    # counted them when the step was asked for (the confirmation says they are not sent).
    waiting = forms.IntegerField(
        required=False, min_value=0, max_value=1000, widget=forms.HiddenInput
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Hand to"), queryset=None, required=False, empty_label=_("– nobody –")
    )
    answers = forms.MultipleChoiceField(
        label=_("Measures"), required=False, widget=forms.CheckboxSelectMultiple
    )
    body = forms.BooleanField(label=_("The questions about the organisation"), required=False)

    def __init__(self, *args, members, answers, **kwargs):
        super().__init__(*args, **kwargs)
        from nollvision.accounts.models import User

        self.fields["assignee"].queryset = User.objects.filter(pk__in=[m.user_id for m in members])
        self.fields["answers"].choices = [(a.pk, a.measure.code) for a in answers]


class CampaignForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())
    year = forms.IntegerField(label=_("Year followed up"), min_value=2000, max_value=2200)
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    introduction = forms.CharField(
        label=_("Introduction to the bodies"),
        required=False,
        max_length=TEXT_MAX,
        validators=[guard_text],
        help_text=length_hint(TEXT_MAX),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        newest = plans.order_by("-period_end", "-version").first()
        if newest is not None:  # the county's current plan, chosen unless another is
            self.fields["plan"].initial = newest.pk


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=1000, validators=[guard_line])
    choices = forms.CharField(
        label=_("Choices, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]
        for line in lines:  # each option is a line people read: the same guards
            guard_line(line)
            MaxLengthValidator(LINE_MAX)(line)
        return lines


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    # The least powerful role unless another is chosen: a coordinator is a deliberate choice.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REPORTER)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx file you downloaded."))
        return upload


class CountyChoiceForm(forms.Form):
    """Staff choose a county from the official list to set it up."""

    county = forms.ChoiceField(label=_("County"))

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in counties]


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file (YAML)"),
        help_text=_("In Nollvision's plan format; see the plan format guide."),
    )

    def clean_file(self):
        from nollvision.plans.plan_file import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class FirstCoordinatorForm(forms.Form):
    """The county's first coordinator, invited to an organisation of that county."""

    email = forms.EmailField(label=_("E-mail address"))
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Usually the county administrative board, which coordinates the plan."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        board = organisations.filter(kind__code="county-board").first()
        if board is not None:
            self.fields["organisation"].initial = board.pk


class PrioritisedFilterForm(forms.Form):
    """The filter "only prioritised measures" of the follow-up's pages (overview, dashboard,
    matrix, report): sent with GET under the public plan page's parameter name, so a filtered
    page has its own address. Offered only when the plan has prioritised measures. The pages'
    own filter forms extend it; `periods` (each prioritised measure's key with its periods)
    marks those measures where a page lists measures."""

    prioritised = forms.BooleanField(label=_("Only prioritised measures"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = prioritised_periods(plan)
        if self.periods:
            self.fields["prioritised"] = self.fields.pop("prioritised")  # after a page's own
        else:  # nothing prioritised in this plan: no such filter
            del self.fields["prioritised"]

    @property
    def only_prioritised(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("prioritised"))

    def measure_keys(self) -> frozenset[str] | None:
        """The stable keys of the measures a page shows and counts: the prioritised ones with the
        filter on, None (every measure) without it."""
        return frozenset(self.periods) if self.only_prioritised else None
