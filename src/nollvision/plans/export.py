"""Writing a plan back to the plan file format. export -> import -> export gives the same text."""

from typing import Any

import yaml
from django.db.models import Prefetch

from nollvision.accounts.models import OrganisationKind

from .enums import Vocabulary
from .figures import figure_to_data
from .models import Duty, Measure, Plan
from .plan_file import FORMAT_VERSION


def _text(value: dict[str, str] | None) -> str | dict[str, str]:
    value = dict(value or {})
    if set(value) <= {"sv"}:
        return value.get("sv", "")
    return {code: value[code] for code in ("sv", "en") if value.get(code)}


def _put(target: dict[str, Any], name: str, value: Any) -> None:
    """Set `name` unless the value is empty, so exported files stay as short as written ones."""
    if value not in (None, "", [], {}):
        target[name] = value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    plan = (
        Plan.objects.select_related("region", "previous_version")
        .prefetch_related(
            "steering_documents",
            "terms",
            "signatures__organisation__kind",
            Prefetch(
                "measures",
                queryset=Measure.objects.prefetch_related(
                    "prevention_levels", "violence_areas", "organisation_kinds", "derived_from"
                ).order_by("position"),
            ),
            "goals",
            "retired_measures__measure",
            Prefetch(
                "responsibilities__duties", queryset=Duty.objects.select_related("chain_stage")
            ),
            "responsibilities__organisation_kind",
            "collaboration_bodies",
            "figures",
        )
        .get(pk=plan.pk)
    )
    has_previous = plan.previous_version is not None
    header: dict[str, Any] = {"slug": plan.slug, "version": plan.version}
    if has_previous:
        header["previous_version"] = plan.previous_version.version
    header["title"] = _text(plan.title)
    header["region"] = {"code": plan.region.code, "name": plan.region.name}
    header["period"] = {"start": plan.period_start, "end": plan.period_end}
    header["status"] = plan.status
    _put(header, "adopted_on", plan.adopted_on.isoformat() if plan.adopted_on else None)
    _put(header, "introduction", _text(plan.introduction))
    source: dict[str, str] = {}
    _put(source, "title", plan.source_title)
    _put(source, "url", plan.source_url)
    _put(header, "source", source)
    if plan.resource_centre_name:
        centre: dict[str, Any] = {"name": _text(plan.resource_centre_name)}
        _put(centre, "url", plan.resource_centre_url)
        header["resource_centre"] = centre
    data: dict[str, Any] = {"format_version": FORMAT_VERSION, "plan": header}

    steering = []
    for row in plan.steering_documents.all():
        item = {"title": _text(row.title), "level": row.level}
        _put(item, "url", row.url)
        steering.append(item)
    _put(data, "steering_documents", steering)

    vocabularies: dict[str, list[dict[str, Any]]] = {}
    for vocabulary in Vocabulary.values:
        terms = sorted(
            (t for t in plan.terms.all() if t.vocabulary == vocabulary),
            key=lambda term: term.position,
        )
        items = []
        for term in terms:
            item = {"code": term.code, "label": _text(term.label)}
            _put(item, "description", _text(term.description))
            items.append(item)
        _put(vocabularies, vocabulary, items)
    _put(data, "vocabularies", vocabularies)

    measures = list(plan.measures.all())
    kind_codes = {sig.organisation.kind.code for sig in plan.signatures.all()}
    kind_codes |= {kind.code for measure in measures for kind in measure.organisation_kinds.all()}
    kind_codes |= {row.organisation_kind.code for row in plan.responsibilities.all()}
    _put(
        data,
        "organisation_kinds",
        [
            {"code": kind.code, "name": _text(kind.name)}
            for kind in OrganisationKind.objects.filter(code__in=kind_codes).order_by("code")
        ],
    )
    organisations = []
    stated = {s.organisation_id: s for s in plan.signings.all() if s.from_document}
    for signature in plan.signatures.all():
        organisation = signature.organisation
        item = {
            "slug": organisation.slug,
            "name": organisation.name,
            "kind": organisation.kind.code,
        }
        _put(item, "municipality_code", organisation.municipality_code)
        _put(item, "website", organisation.website)
        item["signatory"] = True
        if organisation.pk in stated:
            signed = {"according_to": stated[organisation.pk].source}
            on = stated[organisation.pk].signed_on
            _put(signed, "on", on.isoformat() if on else None)
            item["signed"] = signed
        organisations.append(item)
    _put(data, "organisations", organisations)

    goals = []
    for goal in plan.goals.all():
        goal_item: dict[str, Any] = {"number": goal.number, "title": _text(goal.title)}
        _put(goal_item, "text", _text(goal.text))
        goal_item["measures"] = [
            _measure_to_data(measure, has_previous)
            for measure in measures
            if measure.goal_id == goal.pk
        ]
        goals.append(goal_item)
    data["goals"] = goals
    retired = []
    for row in sorted(plan.retired_measures.all(), key=lambda row: row.measure.code):
        item = {"code": row.measure.code}
        _put(item, "reason", _text(row.reason))
        retired.append(item)
    _put(data, "retired_measures", retired)

    responsibilities = []
    for row in plan.responsibilities.all():
        duties = []
        for duty in row.duties.all():
            duty_item: dict[str, Any] = {}
            _put(duty_item, "group", _text(duty.group))
            duty_item["text"] = _text(duty.text)
            _put(duty_item, "stage", duty.chain_stage.code if duty.chain_stage else None)
            duties.append(duty_item)
        responsibilities.append(
            {
                "organisation_kind": row.organisation_kind.code,
                "title": _text(row.title),
                "duties": duties,
            }
        )
    _put(data, "responsibilities", responsibilities)
    _put(
        data,
        "collaboration_bodies",
        [
            {
                "key": body.key,
                "name": _text(body.name),
                "level": body.level,
                "mandate": _text(body.mandate),
            }
            for body in plan.collaboration_bodies.all()
        ],
    )
    _put(data, "figures", [figure_to_data(figure, _text) for figure in plan.figures.all()])
    return data


def _measure_to_data(measure: Measure, has_previous: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"code": measure.code}
    if measure.key != measure.code:
        item["key"] = measure.key
    _put(item, "section", _text(measure.section))
    item["text"] = _text(measure.text)
    for name in ("prevention_levels", "violence_areas"):
        terms = sorted(getattr(measure, name).all(), key=lambda term: term.position)
        _put(item, name, [term.code for term in terms])
    _put(item, "organisation_kinds", sorted(kind.code for kind in measure.organisation_kinds.all()))
    if has_previous:
        item["change"] = measure.change
        _put(item, "change_reason", _text(measure.change_reason))
        _put(item, "derived_from", sorted(source.code for source in measure.derived_from.all()))
    return item


def plan_to_yaml(plan: Plan) -> str:
    return yaml.safe_dump(
        plan_to_data(plan), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
