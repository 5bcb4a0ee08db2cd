"""Reading groups, meetings and actions, limited to what a user may see."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from nollvision.accounts import tenancy
from nollvision.accounts.selectors import coordinated_region_ids, has_active_role
from nollvision.plans.models import CollaborationBody, Measure, Plan
from nollvision.plans.selectors import current_version

from .models import Action, ActionStatus, AgendaItem, Group, GroupMember, Meeting


def attach_bodies(groups: list[Group]) -> list[Group]:
    """Give each group the collaboration body of its plan's current version (name, mandate): a
    body renamed in a draft keeps its name until the draft is adopted."""
    versions = [current_version(slug) for slug in {g.plan_slug for g in groups}]
    bodies = {
        (body.plan.slug, body.key): body
        for body in CollaborationBody.objects.filter(
            plan__in=[plan for plan in versions if plan is not None]
        ).select_related("plan")
    }
    for group in groups:
        group.body = bodies.get((group.plan_slug, group.key))
    return groups


def measure_for_work(user, slug: str, key: str):
    """The measure in the plan's current version (or, new in a draft, its newest), for people
    who work in the plan's county or are in one of its groups; None otherwise."""
    measures = Measure.objects.filter(plan__slug=slug, key=key).select_related("plan")
    current = current_version(slug)
    measure = measures.filter(plan=current).first() or measures.order_by("-plan__version").first()
    if measure is None:
        return None
    in_group = any(g.plan_slug == slug for g in groups_visible_to(user))
    if not in_group and measure.plan.region_id not in tenancy.member_regions(user):
        return None
    return measure


def groups_visible_to(user) -> list[Group]:
    if not user.is_authenticated:
        return []
    slugs = Plan.objects.filter(region_id__in=coordinated_region_ids(user)).values("slug")
    # A membership counts in the counties where the person holds a role (`counts_in_group`).
    in_county = Plan.objects.filter(region_id__in=tenancy.member_regions(user)).values("slug")
    groups = Group.objects.filter(
        Q(members__user=user, plan_slug__in=in_county) | Q(plan_slug__in=slugs)
    ).distinct()
    return attach_bodies(list(groups))


def group_get(user, pk: int) -> Group | None:
    return next((g for g in groups_visible_to(user) if g.pk == pk), None)


def meetings_visible_to(user):
    return Meeting.objects.filter(group__in=[g.pk for g in groups_visible_to(user)])


def meeting_get(user, pk: int) -> Meeting | None:
    meeting = (
        meetings_visible_to(user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.prefetch_related(
                    "measures", "goals", "decisions", "actions__organisation", "attachments"
                ),
            ),
            "attachments",
        )
        .first()
    )
    if meeting is not None:
        attach_bodies([meeting.group])
    return meeting


def counts_in_group(user, group: Group) -> bool:
    """Whether a member of `group` still counts as one: an active person who holds a role at an
    organisation of the group's county. The one rule for reading the group's material, the
    calendar feed and who hears of its meetings: a person whose roles there were removed keeps
    no group, even while they hold roles in another county."""
    return has_active_role(user) and group_region_id(group) in tenancy.member_regions(user)


def reachable_members(group: Group) -> list[GroupMember]:
    """The members who count (`counts_in_group`): those told of the group's meetings and minutes.
    A group whose plan is gone has none."""
    if group_region_id(group) is None:
        return []
    return list(
        group.members.filter(
            user__is_active=True,
            user__memberships__organisation__region_id=group_region_id(group),
        )
        .distinct()
        .select_related("user")
    )


def members_of(group: Group) -> list[GroupMember]:
    """Every member, each marked `left` when they no longer count (their roles in the county were
    removed): shown so, for the coordinator to remove, and told of nothing."""
    members = list(group.members.select_related("user", "organisation"))
    counting = {member.pk for member in reachable_members(group)}
    for member in members:
        member.left = member.pk not in counting
    return members


def signatories_without_member(group: Group, members: list[GroupMember]):
    """(organisation, required) for each signatory of the group's plan, and each organisation
    that must be represented, that has no member in the group."""
    plan = current_version(group.plan_slug)
    represented = {m.organisation_id for m in members}
    required = {o.pk: o for o in group.required_organisations.all()}
    signatories = {
        s.organisation.pk: s.organisation
        for s in (plan.signatures.select_related("organisation") if plan else [])
    }
    everyone = {**signatories, **required}
    return [
        (organisation, pk in required)
        for pk, organisation in sorted(everyone.items(), key=lambda item: item[1].name)
        if pk not in represented
    ]


@dataclass
class ActionFilter:
    organisation: int | None = None
    measure_code: str | None = None
    status: str | None = None
    overdue: bool = False


def actions_visible_to(user, criteria: ActionFilter | None = None):
    criteria = criteria or ActionFilter()
    actions = (
        Action.objects.filter(item__meeting__in=meetings_visible_to(user))
        .select_related("organisation", "person", "item__meeting__group")
        .prefetch_related("measures")
    )
    if criteria.organisation:
        actions = actions.filter(organisation_id=criteria.organisation)
    if criteria.measure_code:
        actions = actions.filter(measures__code=criteria.measure_code).distinct()
    if criteria.status:
        actions = actions.filter(status=criteria.status)
    if criteria.overdue:
        actions = actions.filter(
            status__in=[ActionStatus.OPEN, ActionStatus.ONGOING], due__lt=timezone.localdate()
        )
    return actions


def group_region_id(group: Group) -> int | None:
    """The county of a group: that of its plan (every version of a plan is the same county's)."""
    if not hasattr(group, "_region_id"):
        group._region_id = (
            Plan.objects.filter(slug=group.plan_slug).values_list("region_id", flat=True).first()
        )
    return group._region_id


def for_measure(measure, *, user=None, published_only: bool = False):
    """The decisions and actions tied to a measure by its plan and stable key (across the plan's
    versions, never another plan's measure with the same key): those of meetings the user may
    see, or with `published_only` those of published minutes."""
    same = {"plan__slug": measure.plan.slug, "key": measure.key}
    on_measure = {f"measures__{name}": value for name, value in same.items()}
    on_action = {f"actions__measures__{name}": value for name, value in same.items()}
    items = AgendaItem.objects.filter(Q(**on_measure) | Q(**on_action)).distinct()
    actions = Action.objects.filter(**on_measure)
    if published_only:
        items = items.filter(meeting__minutes_published_at__isnull=False)
        actions = actions.filter(item__meeting__minutes_published_at__isnull=False)
    else:
        visible = meetings_visible_to(user)
        items = items.filter(meeting__in=visible)
        actions = actions.filter(item__meeting__in=visible)
    decisions = [
        decision
        for item in items.select_related("meeting").prefetch_related("decisions")
        for decision in item.decisions.all()
    ]
    return decisions, list(actions.select_related("organisation", "item__meeting").distinct())


@dataclass
class YearSummary:
    """The annual report's section: meetings per group, decisions and actions per goal."""

    groups: list[tuple[Group, list[Meeting]]] = field(default_factory=list)
    by_goal: dict[int, dict[str, list]] = field(default_factory=dict)
    actions_due: int = 0
    done_on_time: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.done_on_time / self.actions_due if self.actions_due else None


def year_summary(plan_slug: str, year: int, *, published_only: bool = False) -> YearSummary:
    """The year's meetings, decisions and actions; `published_only` keeps those of meetings
    whose minutes are published (the public edition of the report)."""
    summary = YearSummary()
    groups = attach_bodies(list(Group.objects.filter(plan_slug=plan_slug)))
    meetings = Meeting.objects.filter(
        group__plan_slug=plan_slug, starts_at__year=year, cancelled=False
    ).order_by("starts_at")
    if published_only:
        meetings = meetings.filter(minutes_published_at__isnull=False)
    meetings = list(meetings)
    summary.groups = [(g, [m for m in meetings if m.group_id == g.pk]) for g in groups]
    items = AgendaItem.objects.filter(meeting__in=meetings).prefetch_related(
        "goals", "measures__goal", "decisions", "actions__measures__goal", "actions__organisation"
    )
    for item in items:
        item_goals = {g.number for g in item.goals.all()} | {
            m.goal.number for m in item.measures.all()
        }
        for decision in item.decisions.all():
            for goal in item_goals:
                summary.by_goal.setdefault(goal, {"decisions": [], "actions": []})[
                    "decisions"
                ].append(decision)
        for action in item.actions.all():
            goals = {m.goal.number for m in action.measures.all()} or item_goals
            for goal in goals:
                summary.by_goal.setdefault(goal, {"decisions": [], "actions": []})[
                    "actions"
                ].append(action)
    due = Action.objects.filter(item__meeting__group__plan_slug=plan_slug, due__year=year).exclude(
        status=ActionStatus.CANCELLED
    )
    if published_only:
        due = due.filter(item__meeting__minutes_published_at__isnull=False)
    summary.actions_due = due.count()
    summary.done_on_time = sum(1 for a in due if a.done_on_time)
    return summary


def published_minutes(plan_slug: str) -> list[Meeting]:
    meetings = list(
        Meeting.objects.filter(group__plan_slug=plan_slug, minutes_published_at__isnull=False)
        .select_related("group")
        .order_by("-starts_at")
    )
    # Every meeting's own group object (select_related gives each its own): each names its body.
    attach_bodies([m.group for m in meetings])
    return meetings


def published_meeting_plan_slug(pk: int) -> str | None:
    """The plan slug of the group of a meeting whose minutes are published."""
    return (
        Meeting.objects.filter(pk=pk, minutes_published_at__isnull=False)
        .values_list("group__plan_slug", flat=True)
        .first()
    )


def published_meeting(pk: int) -> Meeting | None:
    meeting = (
        Meeting.objects.filter(pk=pk, minutes_published_at__isnull=False)
        .select_related("group")
        .prefetch_related("items__measures", "items__decisions", "items__actions__organisation")
        .first()
    )
    if meeting is not None:
        attach_bodies([meeting.group])
    return meeting
