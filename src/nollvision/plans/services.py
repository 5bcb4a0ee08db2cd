"""Writes to plans: importing a plan file, starting a new version of a plan."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, ProtectedError, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from nollvision.accounts.models import Organisation, OrganisationKind, Region, Role
from nollvision.core.public_cache import invalidate
from nollvision.notifications import services as notices
from nollvision.notifications.links import site_path
from nollvision.notifications.selectors import people_of

from .enums import MeasureChange, PlanEdit, PlanStatus, Vocabulary
from .errors import PlanError
from .figures import figure_from_data, figure_row
from .models import (
    CollaborationBody,
    Duty,
    Goal,
    Measure,
    Plan,
    PlanChange,
    PlanFigure,
    Priority,
    ResponsibilityDescription,
    RetiredMeasure,
    Signatory,
    Signing,
    SteeringDocument,
    Term,
)
from .plan_file import (
    CheckContext,
    PlanDocument,
    PlanFileError,
    PreviousMeasure,
    check_plan_document,
    inferred_change,
    plan_warnings,
)
from .signals import plan_imported


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    created: bool
    measures: int
    warnings: list = field(default_factory=list)  # located `Problem`s: what the plan leaves out


def _context_for(document: PlanDocument) -> tuple[CheckContext, Plan | None]:
    plan_data = document.data.get("plan") or {}
    previous = None
    if isinstance(plan_data, dict) and isinstance(plan_data.get("previous_version"), int):
        previous = Plan.objects.filter(
            slug=plan_data.get("slug"), version=plan_data["previous_version"]
        ).first()
    measures = {}
    if previous is not None:
        measures = {
            measure.code: PreviousMeasure(measure.code, measure.key, dict(measure.text))
            for measure in previous.measures.all()
        }
    # The file is not checked yet: read what the ownership checks need defensively.
    organisations = document.data.get("organisations")
    slugs = [
        o["slug"]
        for o in (organisations if isinstance(organisations, list) else [])
        if isinstance(o, dict) and isinstance(o.get("slug"), str)
    ]
    slug = plan_data.get("slug") if isinstance(plan_data, dict) else None
    context = CheckContext(
        existing_kinds=frozenset(OrganisationKind.objects.values_list("code", flat=True)),
        previous_exists=previous is not None,
        previous_measures=measures,
        plan_region_code=Plan.objects.filter(slug=slug)
        .values_list("region__code", flat=True)
        .first()
        if isinstance(slug, str)
        else None,
        organisation_regions=dict(
            Organisation.objects.filter(slug__in=slugs, region__isnull=False).values_list(
                "slug", "region__code"
            )
        ),
    )
    return context, previous


def _clean(document: PlanDocument, instance, path) -> None:
    # Relations are set from objects the import holds, so their existence is not asked again
    # (a query per foreign key and row); the database's constraints stand behind them.
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = [
            document.problem((*path, name) if name != "__all__" else path, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise PlanFileError(problems) from None


def plan_check(*, document: PlanDocument) -> None:
    """Check a plan file against the database as an import would, writing nothing."""
    context, _previous = _context_for(document)
    check_plan_document(document, context)


@transaction.atomic
def plan_import(*, document: PlanDocument) -> ImportResult:
    """Import a checked plan file in one transaction: all or nothing.

    Re-importing the same plan and version updates it in place. Removing something that other
    data still needs (answers to a measure, a later version built on it) is refused.
    """
    context, previous = _context_for(document)
    check_plan_document(document, context)
    data = document.data
    plan_data = data["plan"]

    region, _created = Region.objects.update_or_create(
        code=plan_data["region"]["code"], defaults={"name": plan_data["region"]["name"]}
    )
    for index, item in enumerate(data.get("organisation_kinds", [])):
        kind = OrganisationKind.objects.filter(code=item["code"]).first() or OrganisationKind(
            code=item["code"]
        )
        kind.name = item["name"]
        _clean(document, kind, ("organisation_kinds", index))
        kind.save()
    kinds = {kind.code: kind for kind in OrganisationKind.objects.all()}

    plan = Plan.objects.filter(slug=plan_data["slug"], version=plan_data["version"]).first()
    created = plan is None
    plan = plan or Plan(slug=plan_data["slug"], version=plan_data["version"])
    source = plan_data.get("source", {})
    plan.previous_version = previous
    plan.title = plan_data["title"]
    plan.region = region
    plan.period_start = plan_data["period"]["start"]
    plan.period_end = plan_data["period"]["end"]
    plan.status = plan_data.get("status", PlanStatus.DRAFT)
    plan.adopted_on = plan_data.get("adopted_on")
    plan.introduction = plan_data.get("introduction", "")
    plan.source_title = source.get("title", "")
    plan.source_url = source.get("url", "")
    centre = plan_data.get("resource_centre") or {}
    plan.resource_centre_name = centre.get("name", "")
    plan.resource_centre_url = centre.get("url", "")
    _clean(document, plan, ("plan",))
    plan.save()

    _import_organisations(document, plan, region, kinds)
    plan.steering_documents.all().delete()
    for index, item in enumerate(data.get("steering_documents", [])):
        document_row = SteeringDocument(
            plan=plan,
            position=index,
            title=item["title"],
            level=item["level"],
            url=item.get("url", ""),
        )
        _clean(document, document_row, ("steering_documents", index))
        document_row.save()
    terms = _import_terms(document, plan)
    _import_goals_and_measures(document, plan, previous, context, terms, kinds)
    _import_responsibilities(document, plan, terms, kinds)
    _import_collaboration_bodies(document, plan)
    _import_figures(document, plan)
    # Apps above the plan (the meetings' groups) react to the import in the same transaction.
    plan_imported.send(sender=Plan, plan=plan)
    return ImportResult(
        plan=plan,
        created=created,
        measures=plan.measures.count(),
        warnings=plan_warnings(document),
    )


def _import_organisations(document, plan, region, kinds) -> None:
    plan.signatures.all().delete()
    position = 0
    for index, item in enumerate(document.data.get("organisations", [])):
        organisation = Organisation.objects.filter(slug=item["slug"]).first() or Organisation(
            slug=item["slug"]
        )
        organisation.name = item["name"]
        organisation.kind = kinds[item["kind"]]
        organisation.region = region
        organisation.municipality_code = item.get("municipality_code", "")
        organisation.website = item.get("website", "")
        _clean(document, organisation, ("organisations", index))
        organisation.save()
        if item.get("signatory", False):
            Signatory.objects.create(plan=plan, organisation=organisation, position=position)
            position += 1
            if item.get("signed") and plan.status != PlanStatus.DRAFT:
                _import_signing(document, plan, organisation, item["signed"], index)


def _import_signing(document, plan, organisation, signed: dict, index: int) -> None:
    """A signing the plan file states (a plan signed before it came to the platform): kept with
    what it is according to, never over a signing recorded here."""
    signing = Signing.objects.filter(plan=plan, organisation=organisation).first()
    if signing is not None and signing.signed_by:
        return
    signing = signing or Signing(plan=plan, organisation=organisation)
    signing.source = signed["according_to"]
    on = signed.get("on")
    signing.signed_on = datetime.date.fromisoformat(str(on)) if on else None
    _clean(document, signing, ("organisations", index, "signed"))
    signing.save()


def _import_terms(document, plan) -> dict[tuple[str, str], Term]:
    existing = {(term.vocabulary, term.code): term for term in plan.terms.all()}
    wanted: dict[tuple[str, str], Term] = {}
    for vocabulary, items in document.data.get("vocabularies", {}).items():
        for index, item in enumerate(items):
            term = existing.get((vocabulary, item["code"])) or Term(
                plan=plan, vocabulary=vocabulary, code=item["code"]
            )
            term.position = index
            term.label = item["label"]
            term.description = item.get("description", "")
            _clean(document, term, ("vocabularies", vocabulary, index))
            term.save()
            wanted[(vocabulary, item["code"])] = term
    stale = [term.pk for key, term in existing.items() if key not in wanted]
    Duty.objects.filter(description__plan=plan, chain_stage__in=stale).update(chain_stage=None)
    plan.terms.filter(pk__in=stale).delete()
    return wanted


def _codes(items) -> str:
    return ", ".join(str(getattr(item, "code", item)) for item in items)


def _delete_or_refuse(document, queryset, path, what: str) -> None:
    """Delete `queryset`, or refuse with an explanation when saved records depend on it."""
    items = list(queryset)
    if not items:
        return
    try:
        with transaction.atomic():
            queryset.delete()
    except ProtectedError as error:
        raise PlanFileError(
            [
                document.problem(
                    path,
                    _(
                        "this import would remove %(what)s %(items)s, but %(count)d saved records (such as "
                        "follow-up answers) refer to them; nothing was imported. Keep them in the file, or "
                        "retire them in a new version of the plan"
                    )
                    % {"what": what, "items": _codes(items), "count": len(error.protected_objects)},
                )
            ]
        ) from None


def _remove_measures(document, plan, queryset, path) -> None:
    """Measures a later version builds on are never deleted; others go if nothing needs them."""
    items = list(queryset)
    later = Measure.objects.filter(derived_from__in=items).exclude(plan=plan)
    if items and (later.exists() or RetiredMeasure.objects.filter(measure__in=items).exists()):
        raise PlanFileError(
            [
                document.problem(
                    path,
                    _(
                        "this import would remove %(what)s %(items)s, which a later version of the plan "
                        "builds on; retire them in a new version instead"
                    )
                    % {"what": _("measures"), "items": _codes(items)},
                )
            ]
        )
    _delete_or_refuse(document, queryset, path, _("measures"))


MEASURE_RELATIONS = ("prevention_levels", "violence_areas", "organisation_kinds", "derived_from")


def _set(measure: Measure, name: str, objects: list, new_rows: dict) -> None:
    """Set a measure's many-to-many relation, unless it holds these objects already (a measure
    read with its relations prefetched answers that without a query). A new measure's rows are
    gathered in `new_rows` and written in bulk by `_write_new_rows`."""
    cache = getattr(measure, "_prefetched_objects_cache", None)
    if cache is None:  # a new measure: it has no rows yet
        through = getattr(Measure, name).through
        source, target = _through_columns(name)
        new_rows.setdefault(through, []).extend(
            through(**{source: measure.pk, target: obj.pk}) for obj in objects
        )
        return
    if name in cache and {o.pk for o in cache[name]} == {o.pk for o in objects}:
        return
    getattr(measure, name).set(objects)


def _through_columns(name: str) -> tuple[str, str]:
    field = Measure._meta.get_field(name)
    return field.m2m_column_name(), field.m2m_reverse_name()


def _write_new_rows(new_rows: dict) -> None:
    for through, rows in new_rows.items():
        through.objects.bulk_create(rows)
    if any(new_rows.values()):
        invalidate()  # bulk writes send no signals: the public pages are told here


def _import_goals_and_measures(document, plan, previous, context, terms, kinds) -> None:
    data = document.data
    wanted_keys = {
        measure.get("key", measure["code"])
        for goal in data["goals"]
        for measure in goal["measures"]
    }
    _remove_measures(document, plan, plan.measures.exclude(key__in=wanted_keys), ("goals",))
    # Free the codes first, so that two measures may swap codes within one import.
    plan.measures.update(code=Concat(Value("~"), Cast("pk", output_field=CharField())))
    existing = {
        measure.key: measure for measure in plan.measures.prefetch_related(*MEASURE_RELATIONS)
    }
    previous_by_code = (
        {measure.code: measure for measure in previous.measures.all()} if previous else {}
    )
    goals = {goal.number: goal for goal in plan.goals.all()}
    new_rows: dict = {}
    for goal_index, goal_data in enumerate(data["goals"]):
        goal = goals.get(goal_data["number"]) or Goal(plan=plan, number=goal_data["number"])
        goal.title = goal_data["title"]
        goal.text = goal_data.get("text", "")
        _clean(document, goal, ("goals", goal_index))
        goal.save()
        for index, item in enumerate(goal_data["measures"]):
            path = ("goals", goal_index, "measures", index)
            key = item.get("key", item["code"])
            measure = existing.get(key) or Measure(plan=plan, key=key)
            measure.goal = goal
            measure.code = item["code"]
            measure.position = index
            measure.section = item.get("section", "")
            measure.text = item["text"]
            measure.change = inferred_change(item, context.previous_measures) if previous else ""
            measure.change_reason = item.get("change_reason", "") if previous else ""
            _clean(document, measure, path)
            measure.save()
            _set(
                measure,
                "prevention_levels",
                [
                    terms[(Vocabulary.PREVENTION_LEVEL, code)]
                    for code in item.get("prevention_levels", [])
                ],
                new_rows,
            )
            _set(
                measure,
                "violence_areas",
                [
                    terms[(Vocabulary.VIOLENCE_AREA, code)]
                    for code in item.get("violence_areas", [])
                ],
                new_rows,
            )
            _set(
                measure,
                "organisation_kinds",
                [kinds[code] for code in item.get("organisation_kinds", [])],
                new_rows,
            )
            sources = item.get("derived_from", [])
            if previous and not sources and measure.change in {"unchanged", "reworded"}:
                sources = [
                    code for code, old in context.previous_measures.items() if old.key == key
                ]
            _set(measure, "derived_from", [previous_by_code[code] for code in sources], new_rows)
    _write_new_rows(new_rows)
    wanted_numbers = {goal["number"] for goal in data["goals"]}
    _delete_or_refuse(
        document, plan.goals.exclude(number__in=wanted_numbers), ("goals",), _("goals")
    )
    plan.retired_measures.all().delete()
    for index, item in enumerate(data.get("retired_measures", [])):
        retired = RetiredMeasure(
            plan=plan, measure=previous_by_code[item["code"]], reason=item.get("reason", "")
        )
        _clean(document, retired, ("retired_measures", index))
        retired.save()


def _import_responsibilities(document, plan, terms, kinds) -> None:
    items = document.data.get("responsibilities", [])
    wanted = {item["organisation_kind"] for item in items}
    plan.responsibilities.exclude(organisation_kind__code__in=wanted).delete()
    existing = {
        row.organisation_kind.code: row
        for row in plan.responsibilities.select_related("organisation_kind")
    }
    for index, item in enumerate(items):
        description = existing.get(item["organisation_kind"]) or ResponsibilityDescription(
            plan=plan, organisation_kind=kinds[item["organisation_kind"]]
        )
        description.position = index
        description.title = item["title"]
        _clean(document, description, ("responsibilities", index))
        description.save()
        duties = []
        for duty_index, duty_data in enumerate(item["duties"]):
            stage = duty_data.get("stage")
            duty = Duty(
                description=description,
                position=duty_index,
                text=duty_data["text"],
                group=duty_data.get("group", ""),
                chain_stage=terms[(Vocabulary.CHAIN_STAGE, stage)] if stage else None,
            )
            _clean(document, duty, ("responsibilities", index, "duties", duty_index))
            duties.append(duty)
        # The duties are written again only when they changed (the editor changes one kind's).
        if [_duty_row(duty) for duty in duties] != [
            _duty_row(duty) for duty in description.duties.order_by("position")
        ]:
            description.duties.all().delete()
            Duty.objects.bulk_create(duties)
            invalidate()  # bulk writes send no signals: the public pages are told here


def _duty_row(duty: Duty) -> tuple:
    return (duty.position, dict(duty.text), dict(duty.group or {}), duty.chain_stage_id)


def _import_collaboration_bodies(document, plan) -> None:
    items = document.data.get("collaboration_bodies", [])
    _delete_or_refuse(
        document,
        plan.collaboration_bodies.exclude(key__in=[item["key"] for item in items]),
        ("collaboration_bodies",),
        _("collaboration bodies"),
    )
    existing = {body.key: body for body in plan.collaboration_bodies.all()}
    for index, item in enumerate(items):
        body = existing.get(item["key"]) or CollaborationBody(plan=plan, key=item["key"])
        body.position = index
        body.name = item["name"]
        body.level = item["level"]
        body.mandate = item["mandate"]
        _clean(document, body, ("collaboration_bodies", index))
        body.save()


def _import_figures(document, plan) -> None:
    """The plan's figures, written again only when they changed."""
    figures = []
    for index, item in enumerate(document.data.get("figures", [])):
        figure = figure_from_data(item, plan=plan, position=index)
        _clean(document, figure, ("figures", index))
        figures.append(figure)
    if [figure_row(f) for f in figures] != [figure_row(f) for f in plan.figures.all()]:
        plan.figures.all().delete()
        PlanFigure.objects.bulk_create(figures)
        invalidate()  # bulk writes send no signals: the public pages are told here


@transaction.atomic
def plan_new_version(*, plan: Plan) -> Plan:
    """Start the next version of a plan as a draft copy of `plan`; every measure is 'unchanged'."""
    if Plan.objects.filter(slug=plan.slug, version__gt=plan.version).exists():
        raise PlanError(_("A newer version of this plan exists already; start from the newest."))
    from .export import plan_to_data

    data: dict[str, Any] = plan_to_data(plan)
    data["plan"]["version"] = plan.version + 1
    data["plan"]["previous_version"] = plan.version
    data["plan"]["status"] = PlanStatus.DRAFT
    data["plan"].pop("adopted_on", None)
    data.pop("retired_measures", None)
    for organisation in data.get("organisations", []):
        organisation.pop("signed", None)  # a new version is signed anew
    for goal in data["goals"]:
        for measure in goal["measures"]:
            measure["change"] = MeasureChange.UNCHANGED
            measure.pop("change_reason", None)
            measure["key"] = measure.get("key", measure["code"])
            measure.pop("derived_from", None)
    document = PlanDocument(data=data, filename=f"{plan.slug}-v{plan.version + 1}", lines={})
    try:
        return plan_import(document=document).plan
    except PlanFileError as error:  # pragma: no cover - the copy of a valid plan is valid
        raise PlanError(str(error)) from error


def plan_import_for_county(*, county_code: str, document: PlanDocument) -> ImportResult:
    """Import a plan file uploaded for one county (the staff's set-up page): the same checks as
    `plan_import`, and the file must be that county's. All or nothing."""
    region = (
        (document.data.get("plan") or {}).get("region")
        if isinstance(document.data.get("plan"), dict)
        else None
    )
    found = region.get("code") if isinstance(region, dict) else None
    if found != county_code:
        raise PlanFileError(
            [
                document.problem(
                    ("plan", "region", "code"),
                    _("the file is for county %(found)s, not for county %(wanted)s")
                    % {"found": found, "wanted": county_code},
                )
            ]
        )
    return plan_import(document=document)


@transaction.atomic
def priority_save(
    *, plan: Plan, priority: Priority | None = None, data: dict, measures
) -> Priority:
    """Record (or correct) which of the plan's measures are prioritised for a period, and who
    decided it when. Measures must be this plan version's."""
    measures = list(measures)
    if not measures:
        raise PlanError(_("Choose at least one measure."))
    if any(measure.plan_id != plan.pk for measure in measures):
        raise PlanError(_("A measure of another plan cannot be prioritised here."))
    priority = priority or Priority(plan=plan)
    for name, value in data.items():
        setattr(priority, name, value)
    try:
        priority.full_clean()
    except ValidationError as error:
        raise PlanError(" ".join(error.messages)) from error
    priority.save()
    priority.measures.set(measures)
    return priority


# How many years before its period a plan may be signed (a plan is signed before it runs).
SIGNED_BEFORE_YEARS = 2


@transaction.atomic
def _signing_told(plan: Plan, organisation) -> None:
    """The body's approvers were asked to sign (plans.editor): with the signing recorded, their
    notice is done (the other signatories' stay new)."""
    notices.notices_settle(
        paths=[site_path("backoffice:plan-signings", plan.slug)],
        recipients=people_of([organisation.pk], [Role.APPROVER]),
    )


def signing_record(*, plan: Plan, organisation, data: dict, user) -> Signing:
    """Record (or correct) a signatory's signing of an adopted version: who signed, in which
    role, when. Only the plan's signatories sign, and only an adopted version."""
    from django.utils import timezone

    if plan.status != PlanStatus.ADOPTED:
        raise PlanError(_("Only an adopted version is signed."))
    if not plan.signatures.filter(organisation=organisation).exists():
        raise PlanError(_("%(body)s is not a signatory of this plan.") % {"body": organisation})
    signing = Signing.objects.filter(plan=plan, organisation=organisation).first() or Signing(
        plan=plan, organisation=organisation
    )
    for name, value in data.items():
        setattr(signing, name, value)
    if signing.signed_on and signing.signed_on > timezone.localdate():
        raise PlanError(_("The date of signing cannot be in the future."))
    if signing.signed_on and signing.signed_on.year < plan.period_start - SIGNED_BEFORE_YEARS:
        raise PlanError(
            _("A plan for %(start)d–%(end)d is not signed in %(year)d: check the date.")
            % {"start": plan.period_start, "end": plan.period_end, "year": signing.signed_on.year}
        )
    signing.recorded_by = user
    try:
        signing.full_clean()
    except ValidationError as error:
        raise PlanError(" ".join(error.messages)) from error
    signing.save()
    _signing_told(plan, organisation)
    PlanChange.objects.create(
        plan=plan,
        user=user,
        action=PlanEdit.SIGNED,
        summary=_("%(body)s signed on %(date)s")
        % {"body": organisation, "date": signing.signed_on},
    )
    return signing
