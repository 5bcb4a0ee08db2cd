"""The plan editor: the coordinator's changes to a draft version, each one a change of the plan
file's data checked and imported as a whole.

Every step reads the draft as plan-file data (`plan_to_data`), changes it, and imports it again
through `plan_import`: so a draft is always a valid plan file, the change types and reasons are
recorded exactly as the file format records them (`change`, `change_reason`, `derived_from`,
`retired_measures`), and export → import → export of the result round-trips. Each step is kept
in `PlanChange` with the item before and after.
"""

from collections.abc import Callable, Iterable
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .enums import MeasureChange, PlanEdit, PlanStatus, Vocabulary
from .errors import PlanError
from .export import plan_to_data
from .figures import figure_to_data
from .models import Measure, Plan, PlanChange
from .plan_file import PlanDocument, PlanFileError
from .services import plan_import, plan_new_version

KEPT = {MeasureChange.UNCHANGED, MeasureChange.REWORDED}


@dataclass(frozen=True)
class Text:
    """A translated text as the editor's forms give it: Swedish required, English optional."""

    sv: str
    en: str = ""

    @classmethod
    def of(cls, value) -> "Text":
        if isinstance(value, dict):
            return cls(value.get("sv", ""), value.get("en", ""))
        return cls(str(value or ""))

    def data(self) -> str | dict[str, str]:
        sv, en = self.sv.strip(), self.en.strip()
        return {"sv": sv, "en": en} if en else sv

    def __bool__(self) -> bool:
        return bool(self.sv.strip() or self.en.strip())


def _key(item: dict[str, Any]) -> str:
    return item.get("key", item["code"])


def _measures(data) -> Iterable[tuple[dict, int, dict]]:
    for goal in data["goals"]:
        for index, item in enumerate(goal["measures"]):
            yield goal, index, item


def _find(data, key: str) -> tuple[dict, int, dict]:
    for goal, index, item in _measures(data):
        if _key(item) == key:
            return goal, index, item
    raise PlanError(_("The measure is not in this draft."))


def _goal(data, number: int) -> dict:
    for goal in data["goals"]:
        if goal["number"] == number:
            return goal
    raise PlanError(_("The goal is not in this draft."))


class _Previous:
    """The previous version's measures, by code and by key."""

    def __init__(self, plan: Plan):
        self.measures = (
            list(
                plan.previous_version.measures.select_related("goal").prefetch_related(
                    "prevention_levels", "violence_areas", "organisation_kinds"
                )
            )
            if plan.previous_version_id
            else []
        )
        self.by_key = {measure.key: measure for measure in self.measures}
        self.by_code = {measure.code: measure for measure in self.measures}

    def sources_of(self, item: dict) -> list[str]:
        """The codes of the previous version's measures that `item` carries on."""
        change = item.get("change")
        if change in (MeasureChange.SPLIT, MeasureChange.MERGED, MeasureChange.NEW):
            return list(item.get("derived_from", []))
        kept = self.by_key.get(_key(item))
        if kept is not None:
            return [kept.code]
        return list(item.get("derived_from", []))


def _settle(data, previous: _Previous, reason: Text | None = None) -> None:
    """Retire each measure of the previous version no measure carries on any more (with
    `reason`), and take back retirements of measures that are carried on again."""
    if not previous.measures:
        data.pop("retired_measures", None)
        return
    carried = {
        code for _goal, _index, item in _measures(data) for code in previous.sources_of(item)
    }
    retired = [row for row in data.get("retired_measures", []) if row["code"] not in carried]
    listed = {row["code"] for row in retired}
    for measure in previous.measures:
        if measure.code not in carried and measure.code not in listed:
            row: dict[str, Any] = {"code": measure.code}
            if reason:
                row["reason"] = reason.data()
            retired.append(row)
    if retired:
        data["retired_measures"] = sorted(retired, key=lambda row: row["code"])
    else:
        data.pop("retired_measures", None)


def _new_key(plan: Plan, data, code: str) -> str:
    """A key no version of the plan has used: a new measure's own identity."""
    taken = set(Measure.objects.filter(plan__slug=plan.slug).values_list("key", flat=True))
    taken |= {_key(item) for _goal, _index, item in _measures(data)}
    base = f"{code}-v{plan.version}"[:45]
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _problems(error: PlanFileError) -> str:
    return " ".join(f"{problem.path}: {problem.message}" for problem in error.problems)


def _summary_text(value) -> str:
    text = str(Text.of(value).sv)
    return text if len(text) <= 80 else text[:79] + "…"


@transaction.atomic
def _apply(
    plan: Plan,
    user,
    action: str,
    change: Callable[[dict, _Previous], tuple[str, Any, Any]],
) -> PlanChange:
    """Change the draft's data with `change` (which returns the summary and the item before and
    after), check and import the result, and keep the step in the history. All or nothing."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be changed. Start a new version to revise the plan."))
    data = plan_to_data(plan)
    previous = _Previous(plan)
    summary, before, after = change(data, previous)
    document = PlanDocument(data=data, filename=f"{plan.slug}-v{plan.version}", lines={})
    try:
        plan_import(document=document)
    except PlanFileError as error:
        raise PlanError(_problems(error)) from None
    return PlanChange.objects.create(
        plan=plan,
        user=user,
        action=action,
        summary=summary[:500],
        before=before or {},
        after=after or {},
    )


@transaction.atomic
def draft_start(*, plan: Plan, user) -> Plan:
    """Start the next version as a draft from the newest version (only one draft at a time; a
    second click waits for the first and is refused)."""
    list(Plan.objects.select_for_update().filter(slug=plan.slug))
    if Plan.objects.filter(slug=plan.slug, status=PlanStatus.DRAFT).exists():
        raise PlanError(_("A draft of this plan exists already; go on with it."))
    draft = plan_new_version(plan=plan)
    PlanChange.objects.create(
        plan=draft,
        user=user,
        action=PlanEdit.STARTED,
        summary=_("Version %(version)d started from version %(previous)d.")
        % {"version": draft.version, "previous": plan.version},
    )
    return draft


def plan_details_edit(
    *, plan: Plan, user, title: Text, first_year: int, last_year: int, introduction: Text
) -> PlanChange:
    def change(data, previous):
        header = data["plan"]
        before = {
            "title": header["title"],
            "period": dict(header["period"]),
            "introduction": header.get("introduction", ""),
        }
        header["title"] = title.data()
        header["period"] = {"start": first_year, "end": last_year}
        if introduction:
            header["introduction"] = introduction.data()
        else:
            header.pop("introduction", None)
        after = {
            "title": header["title"],
            "period": header["period"],
            "introduction": header.get("introduction", ""),
        }
        return _("Title, period and introduction"), before, after

    return _apply(plan, user, PlanEdit.PLAN, change)


def goal_edit(*, plan: Plan, user, number: int | None, title: Text, text: Text) -> PlanChange:
    """Edit a goal's title and text, or add a goal (number None) after the last one."""

    def change(data, previous):
        if number is None:
            goal = {"number": max((g["number"] for g in data["goals"]), default=0) + 1}
            goal["title"] = title.data()
            if text:
                goal["text"] = text.data()
            goal["measures"] = []
            data["goals"].append(goal)
            return _("Goal %(number)d added") % {"number": goal["number"]}, {}, _goal_view(goal)
        goal = _goal(data, number)
        before = _goal_view(goal)
        goal["title"] = title.data()
        if text:
            goal["text"] = text.data()
        else:
            goal.pop("text", None)
        return _("Goal %(number)d edited") % {"number": number}, before, _goal_view(goal)

    return _apply(plan, user, PlanEdit.GOAL if number else PlanEdit.GOAL_ADDED, change)


def _goal_view(goal: dict) -> dict:
    return {key: value for key, value in goal.items() if key != "measures"}


@dataclass(frozen=True)
class MeasureFields:
    code: str
    goal: int
    text: Text
    section: Text = Text("")
    prevention_levels: tuple[str, ...] = ()
    violence_areas: tuple[str, ...] = ()
    organisation_kinds: tuple[str, ...] = ()
    change_reason: Text = Text("")


def _fill(item: dict, fields: MeasureFields, with_previous: bool) -> None:
    item["code"] = fields.code
    item["text"] = fields.text.data()
    for name in ("section", "prevention_levels", "violence_areas", "organisation_kinds"):
        value = getattr(fields, name)
        value = value.data() if isinstance(value, Text) else sorted(value)
        if value:
            item[name] = value
        else:
            item.pop(name, None)
    if with_previous and fields.change_reason:
        item["change_reason"] = fields.change_reason.data()
    else:
        item.pop("change_reason", None)


def _place(data, item: dict, goal_number: int, after_index: int | None = None) -> None:
    goal = _goal(data, goal_number)
    if after_index is None:
        goal["measures"].append(item)
    else:
        goal["measures"].insert(after_index, item)


def measure_edit(*, plan: Plan, user, key: str | None, fields: MeasureFields) -> PlanChange:
    """Edit a measure (its change becomes 'reworded' when its text differs from the previous
    version's, 'unchanged' when it is the same again), or add a new one (key None)."""

    def change(data, previous):
        with_previous = bool(previous.measures)
        if key is None:
            item: dict[str, Any] = {"code": fields.code, "key": _new_key(plan, data, fields.code)}
            _fill(item, fields, with_previous)
            if with_previous:
                item["change"] = MeasureChange.NEW
            _place(data, item, fields.goal)
            return _("Measure %(code)s added") % {"code": fields.code}, {}, item
        goal, index, item = _find(data, key)
        before = deepcopy(item)
        _fill(item, fields, with_previous)
        if with_previous and item.get("change") in KEPT:
            item.pop("change")  # worked out again from the text: unchanged or reworded
        if goal["number"] != fields.goal:
            del goal["measures"][index]
            _place(data, item, fields.goal)
        return (
            _("Measure %(code)s edited: %(text)s")
            % {"code": fields.code, "text": _summary_text(item["text"])},
            before,
            item,
        )

    return _apply(plan, user, PlanEdit.MEASURE if key else PlanEdit.MEASURE_ADDED, change)


def measure_move(*, plan: Plan, user, key: str, step: int) -> PlanChange:
    """Move a measure one place up (-1) or down (+1) within its goal."""

    def change(data, previous):
        goal, index, item = _find(data, key)
        target = index + step
        if not 0 <= target < len(goal["measures"]):
            raise PlanError(_("The measure is already first or last of its goal."))
        goal["measures"][index], goal["measures"][target] = (
            goal["measures"][target],
            goal["measures"][index],
        )
        return (
            _("Measure %(code)s moved to place %(place)d of goal %(goal)d")
            % {"code": item["code"], "place": target + 1, "goal": goal["number"]},
            {"position": index + 1},
            {"position": target + 1},
        )

    return _apply(plan, user, PlanEdit.MOVED, change)


def _require(reason: Text) -> None:
    if not reason:
        raise PlanError(_("Give the reason for the change: it is recorded in the plan."))


def measure_split(
    *, plan: Plan, user, key: str, parts: list[tuple[str, Text]], reason: Text
) -> PlanChange:
    """Split a measure into two or more, each with its own code and text, recorded as 'split'
    from the previous version's measure it carried on (or as new, for a new measure)."""
    _require(reason)
    if len(parts) < 2:
        raise PlanError(_("A split gives at least two measures."))

    def change(data, previous):
        goal, index, item = _find(data, key)
        sources = previous.sources_of(item)
        if len(sources) > 1:
            raise PlanError(
                _("A merged measure cannot be split; edit it, or add the measures you need.")
            )
        del goal["measures"][index]
        made = []
        for offset, (code, text) in enumerate(parts):
            part = deepcopy(item)
            part.pop("derived_from", None)
            part["code"] = code
            part["key"] = _new_key(plan, data, code)
            part["text"] = text.data()
            if previous.measures:
                part["change"] = MeasureChange.SPLIT if sources else MeasureChange.NEW
                if sources:
                    part["derived_from"] = sources
                part["change_reason"] = reason.data()
            goal["measures"].insert(index + offset, part)
            made.append(part)
        return (
            _("Measure %(code)s split into %(codes)s")
            % {"code": item["code"], "codes": ", ".join(code for code, _text in parts)},
            item,
            {"measures": made},
        )

    return _apply(plan, user, PlanEdit.SPLIT, change)


def measure_merge(
    *, plan: Plan, user, keys: list[str], code: str, text: Text, reason: Text
) -> PlanChange:
    """Merge two or more measures into one, in the place of the first. Carrying on two or more
    measures of the previous version, it is 'merged'; one, it continues that measure."""
    _require(reason)
    keys = list(dict.fromkeys(keys))  # each measure once, however often it was sent
    if len(keys) < 2:
        raise PlanError(_("Choose at least two measures to merge."))

    def change(data, previous):
        found = [_find(data, key) for key in keys]
        found.sort(key=lambda row: (row[0]["number"], row[1]))
        goal, index, first = found[0]
        sources = sorted({code for _g, _i, item in found for code in previous.sources_of(item)})
        merged: dict[str, Any] = {"code": code}
        for name in ("section",):
            if name in first:
                merged[name] = first[name]
        merged["text"] = text.data()
        for name in ("prevention_levels", "violence_areas", "organisation_kinds"):
            union = sorted({value for _g, _i, item in found for value in item.get(name, [])})
            # a measure naming no kinds concerns every kind: so does a merge with one like it
            if name == "organisation_kinds" and any(not item.get(name) for _g, _i, item in found):
                union = []
            if union:
                merged[name] = union
        for goal_item, _index, item in found:
            goal_item["measures"].remove(item)
        if len(sources) == 1:
            merged["key"] = previous.by_code[sources[0]].key  # it carries that measure on
        else:
            merged["key"] = _new_key(plan, data, code)
        if previous.measures:
            if len(sources) > 1:
                merged["change"] = MeasureChange.MERGED
                merged["derived_from"] = sources
            elif not sources:
                merged["change"] = MeasureChange.NEW
            merged["change_reason"] = reason.data()
        goal["measures"].insert(min(index, len(goal["measures"])), merged)
        _settle(data, previous, reason)
        return (
            _("Measures %(codes)s merged into %(code)s")
            % {"codes": ", ".join(item["code"] for _g, _i, item in found), "code": code},
            {"measures": [item for _g, _i, item in found]},
            merged,
        )

    return _apply(plan, user, PlanEdit.MERGED, change)


def measure_retire(*, plan: Plan, user, key: str, reason: Text) -> PlanChange:
    """Take a measure out of the draft. The previous version's measures it carried on, and no
    other measure carries on, are recorded as retired with the reason."""
    _require(reason)

    def change(data, previous):
        goal, index, item = _find(data, key)
        del goal["measures"][index]
        _settle(data, previous, reason)
        return _("Measure %(code)s retired") % {"code": item["code"]}, item, {}

    return _apply(plan, user, PlanEdit.RETIRED, change)


def measure_restore(*, plan: Plan, user, code: str) -> PlanChange:
    """Bring a retired measure of the previous version back, unchanged, at the end of its goal
    (or the first goal, if its goal is gone)."""

    def change(data, previous):
        old = previous.by_code.get(code)
        retired = {row["code"] for row in data.get("retired_measures", [])}
        if old is None or code not in retired:
            raise PlanError(_("The measure is not retired in this draft."))
        taken = {item["code"] for _g, _i, item in _measures(data)}
        numbers = [goal["number"] for goal in data["goals"]]
        item: dict[str, Any] = {
            "code": code if code not in taken else f"{code}-{plan.version}",
            "key": old.key,
            "text": Text.of(dict(old.text)).data(),
            "change": MeasureChange.UNCHANGED,
        }
        if old.section:
            item["section"] = Text.of(dict(old.section)).data()
        vocabularies = data.get("vocabularies", {})
        for name in ("prevention_levels", "violence_areas"):
            known = {term["code"] for term in vocabularies.get(name, [])}
            codes = sorted(t.code for t in getattr(old, name).all() if t.code in known)
            if codes:
                item[name] = codes
        kinds = sorted(kind.code for kind in old.organisation_kinds.all())
        if kinds:
            item["organisation_kinds"] = kinds
        _place(data, item, old.goal.number if old.goal.number in numbers else numbers[0])
        _settle(data, previous)
        return _("Retired measure %(code)s brought back") % {"code": code}, {}, item

    return _apply(plan, user, PlanEdit.RESTORED, change)


@dataclass(frozen=True)
class DutyFields:
    text: Text
    group: Text = Text("")
    stage: str = ""


def _duties_data(duties: list[DutyFields]) -> list[dict[str, Any]]:
    if not duties:
        raise PlanError(_("A responsibility description lists at least one duty."))
    rows = []
    for duty in duties:
        item: dict[str, Any] = {}
        if duty.group:
            item["group"] = duty.group.data()
        item["text"] = duty.text.data()
        if duty.stage:
            item["stage"] = duty.stage
        rows.append(item)
    return rows


def body_kinds(data) -> set[str]:
    """The kinds of the plan's bodies (its signatories) in the plan file's data."""
    return {item["kind"] for item in data.get("organisations", []) if item.get("signatory")}


def responsibility_edit(
    *, plan: Plan, user, kind: str, title: Text, duties: list[DutyFields]
) -> PlanChange:
    """Edit one kind of body's responsibility description: its title and duties in order."""
    rows_of_duties = _duties_data(duties)

    def change(data, previous):
        rows = data.get("responsibilities", [])
        row = next((row for row in rows if row["organisation_kind"] == kind), None)
        if row is None:
            raise PlanError(_("The responsibility description is not in this draft."))
        before = deepcopy(row)
        row["title"] = title.data()
        row["duties"] = rows_of_duties
        return _("Responsibility of %(title)s edited") % {"title": title.sv}, before, row

    return _apply(plan, user, PlanEdit.RESPONSIBILITY, change)


def responsibility_add(
    *, plan: Plan, user, kind: str, title: Text, duties: list[DutyFields]
) -> PlanChange:
    """Add the responsibility description of a kind of body the plan has (a signatory of that
    kind) and has no description for yet, after the last description."""
    rows_of_duties = _duties_data(duties)

    def change(data, previous):
        rows = data.setdefault("responsibilities", [])
        if any(row["organisation_kind"] == kind for row in rows):
            raise PlanError(_("This kind of body has a responsibility description already."))
        if kind not in body_kinds(data):
            raise PlanError(_("No body of the plan is of this kind."))
        row = {"organisation_kind": kind, "title": title.data(), "duties": rows_of_duties}
        rows.append(row)
        return _("Responsibility of %(title)s added") % {"title": title.sv}, {}, row

    return _apply(plan, user, PlanEdit.DESCRIPTION_ADDED, change)


def responsibility_remove(*, plan: Plan, user, kind: str) -> PlanChange:
    """Take one kind of body's responsibility description out of the draft (the history keeps
    it)."""

    def change(data, previous):
        rows = data.get("responsibilities", [])
        row = next((row for row in rows if row["organisation_kind"] == kind), None)
        if row is None:
            raise PlanError(_("The responsibility description is not in this draft."))
        rows.remove(row)
        if not rows:
            data.pop("responsibilities")
        summary = _("Responsibility of %(title)s removed") % {"title": _summary_text(row["title"])}
        return summary, row, {}

    return _apply(plan, user, PlanEdit.DESCRIPTION_REMOVED, change)


@dataclass(frozen=True)
class TermFields:
    """A term of a vocabulary as the editor's form gives it; a new term without a code gets one
    made from its Swedish label."""

    label: Text
    code: str = ""


def _term_users(data, name: str, code: str) -> list[str]:
    """What in the draft names the term: measures (by code) and responsibility descriptions."""
    if name == Vocabulary.CHAIN_STAGE:
        return [
            _("the duties of %(title)s") % {"title": _summary_text(row["title"])}
            for row in data.get("responsibilities", [])
            if any(duty.get("stage") == code for duty in row["duties"])
        ]
    return [
        _("measure %(code)s") % {"code": item["code"]}
        for _goal, _index, item in _measures(data)
        if code in item.get(name, [])
    ]


def _term_code(label: Text, taken: set[str]) -> str:
    base = slugify(label.sv)[:45].strip("-_") or "term"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def vocabulary_edit(*, plan: Plan, user, name: str, terms: list[TermFields]) -> PlanChange:
    """Set one vocabulary's terms, in order: a new code adds a term, a term keeps its code (and
    description) when its labels change, and a code left out removes the term, refused while a
    measure or a duty still names it. No terms: the plan has none of that vocabulary."""
    if name not in Vocabulary.values:
        raise PlanError(_("The plan has no such vocabulary."))
    codes = [term.code for term in terms if term.code]
    if len(set(codes)) != len(codes):
        raise PlanError(_("Two terms have the same code: give each its own."))

    def change(data, previous):
        vocabularies = data.setdefault("vocabularies", {})
        before = vocabularies.get(name, [])
        old = {term["code"]: term for term in before}
        taken = set(codes)
        items = []
        for term in terms:
            code = term.code or _term_code(term.label, taken | set(old))
            taken.add(code)
            item = {"code": code, "label": term.label.data()}
            if "description" in old.get(code, {}):
                item["description"] = old[code]["description"]
            items.append(item)
        kept = {item["code"] for item in items}
        for code, term in old.items():
            users = _term_users(data, name, code) if code not in kept else []
            if users:
                raise PlanError(
                    _("“%(term)s” is still used by %(users)s: take it off there first.")
                    % {"term": _summary_text(term["label"]), "users": ", ".join(users)}
                )
        if items:
            vocabularies[name] = items
        else:
            vocabularies.pop(name, None)
        if not vocabularies:
            data.pop("vocabularies")
        summary = ngettext(
            "%(vocabulary)s: %(count)d term", "%(vocabulary)s: %(count)d terms", len(items)
        ) % {
            "vocabulary": Vocabulary(name).label,
            "count": len(items),
        }
        return summary, {"terms": before}, {"terms": items}

    return _apply(plan, user, PlanEdit.VOCABULARY, change)


def body_edit(
    *, plan: Plan, user, key: str | None, name: Text, level: str, mandate: Text
) -> PlanChange:
    """Edit a collaboration body, or add one (key None) at the end of the structure."""

    def change(data, previous):
        bodies = data.setdefault("collaboration_bodies", [])
        if key is None:
            taken = {body["key"] for body in bodies}
            base = slugify(name.sv)[:40] or "grupp"
            new_key, number = base, 1
            while new_key in taken:
                number += 1
                new_key = f"{base}-{number}"
            body = {"key": new_key}
            bodies.append(body)
            before: dict = {}
        else:
            body = next((body for body in bodies if body["key"] == key), None)
            if body is None:
                raise PlanError(_("The collaboration body is not in this draft."))
            before = dict(body)
        body["name"] = name.data()
        body["level"] = level
        body["mandate"] = mandate.data()
        return _("Collaboration body %(name)s") % {"name": name.sv}, before, dict(body)

    return _apply(plan, user, PlanEdit.BODY if key else PlanEdit.BODY_ADDED, change)


@dataclass(frozen=True)
class FigureFields:
    """One of the plan's figures as the editor's form gives it (see the file's `figures`)."""

    title: Text
    rate_source: str
    sex: str
    age_from: int
    age_to: int | None = None
    rate: Decimal | None = None
    national_amount: Decimal | None = None
    unit: str = ""
    certainty: Text = Text("")
    inferred: bool = False
    printed: int | None = None

    def data(self, key: str) -> dict[str, Any]:
        """The figure as an entry of the file's `figures`, as the export writes it."""
        return figure_to_data(self, Text.data, key=key)


def _figure(data, key: str) -> tuple[list, int]:
    figures = data.get("figures", [])
    for index, item in enumerate(figures):
        if item["key"] == key:
            return figures, index
    raise PlanError(_("The figure is not in this draft."))


def figure_edit(*, plan: Plan, user, key: str | None, fields: FigureFields) -> PlanChange:
    """Edit one of the plan's figures, or add one (key None) after the last. The figure the plan
    prints is its own county's."""

    def change(data, previous):
        if key is None:
            figures = data.setdefault("figures", [])
            taken = {item["key"] for item in figures}
            base = slugify(fields.title.sv)[:40] or "siffra"
            new_key, number = base, 1
            while new_key in taken:
                number += 1
                new_key = f"{base}-{number}"
            figures.append(fields.data(new_key))
            return _("Figure %(title)s added") % {"title": fields.title.sv}, {}, figures[-1]
        figures, index = _figure(data, key)
        before = figures[index]
        figures[index] = fields.data(key)
        summary = _("Figure %(title)s edited") % {"title": fields.title.sv}
        return summary, before, figures[index]

    return _apply(plan, user, PlanEdit.FIGURE if key else PlanEdit.FIGURE_ADDED, change)


def figure_remove(*, plan: Plan, user, key: str) -> PlanChange:
    """Take one of the plan's figures out of the draft (the history keeps it)."""

    def change(data, previous):
        figures, index = _figure(data, key)
        item = figures.pop(index)
        if not figures:
            data.pop("figures")
        return _("Figure %(title)s removed") % {"title": _summary_text(item["title"])}, item, {}

    return _apply(plan, user, PlanEdit.FIGURE_REMOVED, change)


@transaction.atomic
def plan_adopt(*, plan: Plan, user, adopted_on: date) -> Plan:
    """Adopt a draft: it becomes the plan the public site shows and the next follow-up uses. The
    version it replaces is archived (still public, as the record); follow-ups already running
    keep the version they were opened on; a consultation still open on it is closed."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(_("Only a draft can be adopted."))
    if adopted_on > timezone.localdate():
        raise PlanError(_("The date of adoption cannot be in the future."))
    if not plan.measures.exists():
        raise PlanError(_("A plan without measures cannot be adopted."))
    Plan.objects.filter(slug=plan.slug, status=PlanStatus.ADOPTED).update(
        status=PlanStatus.ARCHIVED
    )
    plan.status = PlanStatus.ADOPTED
    plan.adopted_on = adopted_on
    plan.save(update_fields=["status", "adopted_on", "updated_at"])
    # A consultation on the draft ends with it: no more answers or reminders on an adopted text.
    plan.consultations.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    PlanChange.objects.create(
        plan=plan,
        user=user,
        action=PlanEdit.ADOPTED,
        summary=_("Version %(version)d adopted on %(date)s")
        % {"version": plan.version, "date": adopted_on.isoformat()},
    )
    _tell_signing_awaited(plan)
    return plan


def _tell_signing_awaited(plan: Plan) -> None:
    """The approvers of each signatory hear that the adopted version waits for their signing."""
    from nollvision.accounts.models import Role
    from nollvision.notifications import services as notices
    from nollvision.notifications.enums import Kind
    from nollvision.notifications.links import absolute_reverse
    from nollvision.notifications.selectors import people_of

    url = absolute_reverse("backoffice:plan-signings", plan.slug)
    for signatory in plan.signatures.select_related("organisation"):
        notices.notify(
            kind=Kind.SIGNING_AWAITED,
            users=people_of([signatory.organisation_id], [Role.APPROVER]),
            about=notices.about_plan(plan, body=signatory.organisation.name),
            url=url,
        )
