"""Reads of plans, limited to what the user may see: the public sees adopted and archived plans."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from nollvision.accounts.models import OrganisationKind
from nollvision.core.collation import swedish_sort_key

from . import gaps
from .enums import PUBLIC_PLAN_STATUSES, MeasureChange, Vocabulary
from .models import (
    Duty,
    Goal,
    Measure,
    Plan,
    PlanChange,
    PlanFigure,
    Priority,
    ResponsibilityDescription,
    Signatory,
    Term,
)


def plans_visible_to(user) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("region")
    if user.is_authenticated and user.is_staff:
        return plans
    return plans.filter(status__in=PUBLIC_PLAN_STATUSES)


def plan_get(*, user, slug: str, version: int | None = None, prefetch: bool = True) -> Plan | None:
    """A version of a plan the user may see: the given one, or the newest."""
    plans = plans_visible_to(user).filter(slug=slug).order_by("-version")
    if prefetch:
        plans = plans.prefetch_related("terms", "steering_documents")
    if version is not None:
        plans = plans.filter(version=version)
    return plans.first()


def public_plans_by_county() -> list[Plan]:
    """For each county with a public plan, the newest version of its current plan (the one whose
    period ends last), in Swedish order of the county's name: one query."""
    return public_plans_overview()[0]


def public_plans_overview() -> tuple[list[Plan], set[str]]:
    """`public_plans_by_county`, and the slugs of the plans whose newest public version gives
    figures (the others have no figures page): one query."""
    from django.db.models import Exists, OuterRef

    newest: dict[int, Plan] = {}
    versions: dict[str, tuple[int, bool]] = {}
    plans = (
        Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)
        .select_related("region")
        .annotate(has_figures=Exists(PlanFigure.objects.filter(plan=OuterRef("pk"))))
    )
    for plan in plans.order_by("period_end", "version"):
        newest[plan.region_id] = plan
        if plan.version > versions.get(plan.slug, (0, False))[0]:
            versions[plan.slug] = (plan.version, plan.has_figures)
    by_county = sorted(newest.values(), key=lambda plan: swedish_sort_key(plan.region.name))
    return by_county, {slug for slug, (_version, has) in versions.items() if has}


def county_plan(region_code: str | None) -> Plan | None:
    """The current public plan of a county (by its SCB code), if it has one here."""
    if not region_code:
        return None
    return (
        Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES, region__code=region_code)
        .select_related("region")
        .order_by("-period_end", "-version")
        .first()
    )


def current_version(slug: str) -> Plan | None:
    """The version work goes on under: the newest adopted (or archived) version of the plan, or
    the newest version while none is adopted yet. A draft of the next version never takes its
    place before it is adopted (groups keep their names, measures their texts, priorities and
    meetings their measures)."""
    plans = Plan.objects.filter(slug=slug).select_related("region").order_by("-version")
    return plans.filter(status__in=PUBLIC_PLAN_STATUSES).first() or plans.first()


def plan_figures(plan: Plan) -> list[PlanFigure]:
    """The figures the plan gives, in the plan's order (none: the plan has no figures page)."""
    return list(plan.figures.all())


def plan_versions(*, user, slug: str) -> QuerySet[Plan]:
    return plans_visible_to(user).filter(slug=slug).order_by("version")


def plan_terms(plan: Plan, vocabulary: str) -> list[Term]:
    return [term for term in plan.terms.all() if term.vocabulary == vocabulary]


def plan_organisation_kinds(plan: Plan) -> QuerySet[OrganisationKind]:
    """The kinds of body the plan names: its signatories', its measures' and its duties'. Three
    subqueries on the plan's own rows (joining through every county's organisations and
    measures made this grow with the number of counties)."""
    return OrganisationKind.objects.filter(
        Q(pk__in=Signatory.objects.filter(plan=plan).values("organisation__kind_id"))
        | Q(
            pk__in=Measure.organisation_kinds.through.objects.filter(measure__plan=plan).values(
                "organisationkind_id"
            )
        )
        | Q(
            pk__in=ResponsibilityDescription.objects.filter(plan=plan).values(
                "organisation_kind_id"
            )
        )
    ).order_by("code")


@dataclass(frozen=True)
class MeasureFilter:
    goal: int | None = None
    prevention_level: str | None = None
    violence_area: str | None = None
    organisation_kind: str | None = None
    prioritised: bool = False


def measures_filtered(plan: Plan, criteria: MeasureFilter) -> QuerySet[Measure]:
    measures = plan.measures.select_related("goal").prefetch_related(
        "prevention_levels", "violence_areas", "organisation_kinds"
    )
    if criteria.goal is not None:
        measures = measures.filter(goal__number=criteria.goal)
    if criteria.prevention_level:
        measures = measures.filter(prevention_levels__code=criteria.prevention_level)
    if criteria.violence_area:
        measures = measures.filter(violence_areas__code=criteria.violence_area)
    if criteria.organisation_kind:
        # A measure with no kinds named concerns every kind of organisation.
        concerned = plan.measures.filter(organisation_kinds__code=criteria.organisation_kind)
        unrestricted = plan.measures.filter(organisation_kinds__isnull=True)
        measures = measures.filter(Q(pk__in=concerned) | Q(pk__in=unrestricted))
    if criteria.prioritised:
        measures = measures.filter(key__in=prioritised_periods(plan))
    return measures.order_by("goal__number", "position")


def priorities_of(plan: Plan) -> list:
    """The prioritisations decided for any version of the plan, newest period first, each with
    its measures: two queries."""
    return list(
        Priority.objects.filter(plan__slug=plan.slug)
        .select_related("plan")
        .prefetch_related(
            Prefetch("measures", Measure.objects.order_by("goal__number", "position"))
        )
        .order_by("-first_year", "pk")
    )


def prioritised_periods(plan: Plan) -> dict[str, list[str]]:
    """For each prioritised measure's stable key, the periods it is prioritised for (2022 to 2024, written with an en dash),
    whichever version of the plan the decision named it in: one query."""
    periods: dict[str, list[str]] = {}
    rows = (
        Priority.measures.through.objects.filter(priority__plan__slug=plan.slug)
        .order_by("priority__first_year")
        .values_list("measure__key", "priority__first_year", "priority__last_year")
    )
    for key, first, last in rows:
        label = f"{first}–{last}"
        if label not in periods.setdefault(key, []):
            periods[key].append(label)
    return periods


def goals_with_measures(
    plan: Plan, measures: QuerySet[Measure]
) -> list[tuple[Goal, list[Measure]]]:
    """The plan's goals in order, each with its measures among `measures`."""
    by_goal: dict[int, list[Measure]] = {}
    for measure in measures:
        by_goal.setdefault(measure.goal_id, []).append(measure)
    return [(goal, by_goal.get(goal.pk, [])) for goal in plan.goals.all()]


def measure_get(*, plan: Plan, code: str) -> Measure | None:
    return (
        plan.measures.select_related("goal")
        .prefetch_related(
            "prevention_levels",
            "violence_areas",
            "organisation_kinds",
            "derived_from",
            "successors__plan",
        )
        .filter(code=code)
        .first()
    )


def plan_responsibilities(plan: Plan):
    return plan.responsibilities.select_related("organisation_kind").prefetch_related(
        Prefetch("duties", queryset=Duty.objects.select_related("chain_stage"))
    )


def plan_signatories(plan: Plan):
    return plan.signatures.select_related("organisation__kind")


@dataclass
class DiffRow:
    change: str
    new: Measure | None = None
    old: list[Measure] = field(default_factory=list)
    reason: str = ""


def plan_diff(old: Plan, new: Plan) -> list[DiffRow]:
    """What happened to each measure between two versions of a plan, in the newer one's order.

    Between consecutive versions the recorded change is used; across several versions a measure
    is followed by its key, and changes are worked out from the texts.
    """
    old_measures = list(old.measures.select_related("goal").order_by("goal__number", "position"))
    new_measures = list(
        new.measures.select_related("goal")
        .prefetch_related("derived_from")
        .order_by("goal__number", "position")
    )
    old_by_key = {measure.key: measure for measure in old_measures}
    consecutive = new.previous_version_id == old.pk
    rows: list[DiffRow] = []
    carried: set[int] = set()
    for measure in new_measures:
        kept = old_by_key.get(measure.key)
        if consecutive:
            sources = list(measure.derived_from.all())
            change = measure.change or MeasureChange.NEW
        else:
            sources = [kept] if kept else []
            change = (
                MeasureChange.NEW
                if kept is None
                else MeasureChange.UNCHANGED
                if dict(kept.text) == dict(measure.text)
                else MeasureChange.REWORDED
            )
        carried.update(source.pk for source in sources)
        rows.append(DiffRow(change=change, new=measure, old=sources))
    reasons = (
        {row.measure_id: str(row.reason) for row in new.retired_measures.all()}
        if consecutive
        else {}
    )
    rows.extend(
        DiffRow(change="retired", old=[measure], reason=reasons.get(measure.pk, ""))
        for measure in old_measures
        if measure.pk not in carried
    )
    return rows


def vocabulary_terms(plan: Plan) -> dict[str, list[Term]]:
    return {vocabulary: plan_terms(plan, vocabulary) for vocabulary in Vocabulary.values}


def plans_coordinated_by(user) -> list[Plan]:
    """The newest version of each plan of the counties the user coordinates: one query."""
    from nollvision.accounts.tenancy import coordinated_region_ids

    regions = coordinated_region_ids(user)
    if not regions:
        return []
    newest: dict[str, Plan] = {}
    for plan in Plan.objects.filter(region_id__in=regions).order_by("slug", "version"):
        newest[plan.slug] = plan
    return list(newest.values())


def draft_overview(plan: Plan) -> dict:
    """What the editor shows of a version: its goals with their measures (tags, sources), the
    retired measures, the responsibility descriptions, the collaboration bodies, the counts of
    each change and the history of the editor's steps. A fixed number of queries."""
    measures = list(
        plan.measures.select_related("goal")
        .prefetch_related(
            "prevention_levels", "violence_areas", "organisation_kinds", "derived_from"
        )
        .order_by("goal__number", "position")
    )
    counts: dict[str, int] = {}
    for measure in measures:
        counts[measure.change or MeasureChange.NEW] = counts.get(measure.change or "new", 0) + 1
    retired = list(plan.retired_measures.select_related("measure"))
    counts["retired"] = len(retired)
    responsibilities = list(
        plan.responsibilities.select_related("organisation_kind").prefetch_related("duties")
    )
    signatories = list(plan_signatories(plan))
    kinds = gaps.body_kinds(signatories)
    return {
        "goals": goals_with_measures(plan, measures),
        "measure_count": len(measures),
        "retired": sorted(retired, key=lambda row: row.measure.code),
        "responsibilities": responsibilities,
        "kinds_without_description": gaps.kinds_without_description(kinds, responsibilities),
        "kinds_without_bodies": gaps.measures_naming_kinds_without_bodies(measures, kinds),
        "vocabularies": gaps.vocabulary_rows(plan.terms.all()),
        "bodies": list(plan.collaboration_bodies.all()),
        "figures": plan_figures(plan),
        "change_counts": counts,
        "changes": list(PlanChange.objects.filter(plan=plan).select_related("user")[:200]),
        "signatories": signatories,
    }


def signatories_with_signings(plan: Plan) -> list:
    """Each signatory of the version with its recorded signing (an unsaved `Signing` holding
    who, role and date), or None: one query."""
    from django.db.models import OuterRef, Subquery

    from .models import Signing

    signing = Signing.objects.filter(plan=plan, organisation=OuterRef("organisation"))
    rows = plan_signatories(plan).annotate(
        **{
            f"signing_{name}": Subquery(signing.values(name)[:1])
            for name in ("signed_by", "role", "signed_on", "source", "pk")
        }
    )
    return [
        (
            row,
            Signing(
                plan=plan,
                organisation=row.organisation,
                signed_by=row.signing_signed_by,
                role=row.signing_role,
                signed_on=row.signing_signed_on,
                source=row.signing_source,
            )
            if row.signing_pk
            else None,
        )
        for row in rows
    ]


def signings_to_record(user) -> list:
    """(plan, body) for each plan version adopted in the last year that a body the user approves
    for signs, whose signing is not recorded yet: the approver's prompt on the work home page
    (older versions were signed on paper before the platform; their signings may still be
    recorded on the signings page)."""
    from datetime import timedelta

    from django.utils import timezone

    from nollvision.accounts.models import Role
    from nollvision.accounts.selectors import memberships_of

    from .enums import PlanStatus
    from .models import Signing

    bodies = {
        m.organisation_id: m.organisation for m in memberships_of(user) if m.role == Role.APPROVER
    }
    if not bodies:
        return []
    signatures = Signatory.objects.filter(
        plan__status=PlanStatus.ADOPTED,
        plan__adopted_on__gte=timezone.localdate() - timedelta(days=365),
        organisation_id__in=bodies,
    ).select_related("plan")
    done = set(
        Signing.objects.filter(organisation_id__in=bodies).values_list("plan_id", "organisation_id")
    )
    return [
        (row.plan, bodies[row.organisation_id])
        for row in signatures
        if (row.plan_id, row.organisation_id) not in done
    ]


def last_change_of(plan: Plan) -> int:
    """The id of a draft's newest editor step (0 before the first)."""
    from .models import PlanChange

    return (
        PlanChange.objects.filter(plan=plan).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )
