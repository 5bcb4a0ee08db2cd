"""Reading and checking plan files (YAML, format version 1; see docs/plan-format.md).

Every problem is reported as one line naming the file, the line and the YAML path, for example
`plan.yaml:57 goals[1].measures[3].code: duplicate code '2.4'`. Nothing here touches the database:
the checks that need it get what they need as arguments.
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _

from nollvision.core import yamldata
from nollvision.core.validators import SCAN_MAX, find_personal_numbers

FORMAT_VERSION = 1
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
# A plan file is at most a handful of levels deep (goals → measures → texts); anything much
# deeper is not a plan, and would exhaust the parser's recursion on a small file.
MAX_DEPTH = 20
SCHEMA_RESOURCE = "plan-format-v1.schema.json"

Path = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    path: str
    message: str
    file: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


# The most problems listed for one file; the rest are counted in a last line.
MAX_PROBLEMS = 200


class PlanFileError(Exception):
    """A plan file could not be read or imported; `problems` says why, one line each (at most
    MAX_PROBLEMS, then how many more there are)."""

    def __init__(self, problems: Iterable[Problem]):
        found = sorted(problems)
        self.problems = found[:MAX_PROBLEMS]
        if len(found) > MAX_PROBLEMS:
            first = found[0]
            self.problems.append(
                Problem(
                    found[MAX_PROBLEMS].line,
                    "",
                    _("and %(count)d more problems") % {"count": len(found) - MAX_PROBLEMS},
                    first.file,
                )
            )
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class PlanDocument:
    """A parsed plan file: its data, and the line where each YAML path starts."""

    data: dict[str, Any]
    filename: str
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: Path, message: str) -> Problem:
        return Problem(self.line_of(path), format_path(path), message, self.filename)


def format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# libyaml's parser when PyYAML has it (core/yamldata): the same events, nodes and marks, several
# times faster than the pure-Python one on a plan's 1 500 lines.
_Loader = yamldata.SafeLoader


@cache
def plan_schema() -> dict[str, Any]:
    return json.loads((resources.files(__package__) / "data" / SCHEMA_RESOURCE).read_text("utf-8"))


# --- Parsing --------------------------------------------------------------------------------


def parse_plan_file(content: bytes, filename: str) -> PlanDocument:
    """Decode and parse YAML into a `PlanDocument`, or raise `PlanFileError`."""

    def fail(message: str, line: int = 0) -> PlanFileError:
        return PlanFileError([Problem(line, "", message, filename)])

    if len(content) > MAX_FILE_BYTES:
        raise fail(
            _("the file is %(size)d bytes, more than the limit of %(limit)d bytes")
            % {"size": len(content), "limit": MAX_FILE_BYTES}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise fail(
            _("the file is not UTF-8 text (byte 0x%(byte)02x at position %(position)d)")
            % {"byte": content[error.start], "position": error.start},
            line,
        ) from None
    if not text.strip():
        raise fail(_("the file is empty"))
    loader = None
    try:
        _check_depth(text, filename)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise fail(_("the file holds no YAML document"))
        lines: dict[Path, int] = {}
        problems: list[Problem] = []
        data = _build(loader, node, (), lines, problems, filename, set())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise fail(_yaml_problem(error.problem, mark.column + 1 if mark else 0), line) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise fail(
            _("not valid YAML: character %(character)s is not allowed")
            % {"character": f"U+{error.character:04X}"},
            line,
        ) from None
    except yaml.YAMLError as error:
        raise fail(_("not valid YAML: %(problem)s") % {"problem": error}) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise PlanFileError(problems)
    if not isinstance(data, dict):
        raise fail(_("the file must hold a mapping of keys at the top level"), lines.get((), 1))
    return PlanDocument(data=data, filename=filename, lines=lines)


def _yaml_problems() -> dict[str, str]:
    """What the YAML parser's English problems mean to the person who wrote the file."""
    return {
        "mapping values are not allowed in this context": _(
            "a colon where no new key can start: put the text in quotes, or start the key on a "
            "line of its own"
        ),
        "did not find expected key": _("the indentation does not match the lines above"),
        "did not find expected '-' indicator": _(
            "a list item without '-', or indentation that does not match the lines above"
        ),
        "did not find expected ',' or ']'": _("a list in [brackets] is not closed with ']'"),
        "did not find expected ',' or '}'": _("a mapping in {braces} is not closed with '}'"),
        "found unexpected end of stream": _(
            "the file ends inside a quoted text: a closing quote is missing"
        ),
        "found character that cannot start any token": _(
            "a character that cannot begin a value (a tab, @ or `): indent with spaces, and put "
            "such a text in quotes"
        ),
        "found undefined alias": _("an alias (*name) that no anchor (&name) defines"),
        "found unknown escape character": _(
            "an unknown escape with \\ in a text in double quotes: use single quotes"
        ),
        "found unknown directive name": _("an unknown directive (a line that begins with %)"),
    }


def _yaml_problem(problem: str | None, column: int) -> str:
    """A YAML syntax error in the language of the page, with its column."""
    meaning = _yaml_problems().get(problem or "")
    if meaning is None:  # a rarer one: the parser's own words, in English
        meaning = _("the YAML syntax is broken here (%(problem)s)") % {"problem": problem}
    if not column:
        return _("not valid YAML: %(problem)s") % {"problem": meaning}
    return _("not valid YAML, column %(column)d: %(problem)s") % {
        "column": column,
        "problem": meaning,
    }


def _check_depth(text: str, filename: str) -> None:
    """Refuse a file nested deeper than MAX_DEPTH, found with YAML's event parser (which keeps
    no recursion of its own) before anything is built from it."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise PlanFileError(
                    [
                        Problem(
                            event.start_mark.line + 1,
                            "",
                            _("the file is nested more than %(limit)d levels deep")
                            % {"limit": MAX_DEPTH},
                            filename,
                        )
                    ]
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _build(loader, node, path, lines, problems, filename, seen, line=None) -> Any:
    """Turn a YAML node into plain data, recording each path's line; refuse aliases."""
    if id(node) in seen:
        problems.append(
            Problem(
                line or node.start_mark.line + 1,
                format_path(path),
                _("anchors and aliases are not supported"),
                filename,
            )
        )
        return None
    seen.add(id(node))
    if len(seen) > MAX_NODES:
        raise yaml.YAMLError(
            _("the document has more than %(count)d values") % {"count": MAX_NODES}
        )
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | float) and key is not None:
                key = str(key)
            if key in result:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1,
                        format_path((*path, key)),
                        _("duplicate key '%(key)s'") % {"key": key},
                        filename,
                    )
                )
            result[key] = _build(
                loader,
                value_node,
                (*path, key),
                lines,
                problems,
                filename,
                seen,
                key_node.start_mark.line + 1,
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, (*path, index), lines, problems, filename, seen)
            for index, item in enumerate(node.value)
        ]
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError:  # a date that does not exist (2025-02-30): a problem, never a traceback
        problems.append(
            Problem(
                line or node.start_mark.line + 1,
                format_path(path),
                _("%(value)s is not a date that exists") % {"value": _short(node.value)},
                filename,
            )
        )
        return None
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


# --- Structure (JSON Schema) ----------------------------------------------------------------


def _schema_message(error: jsonschema.ValidationError) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        return _("expected %(type)s, found %(value)s") % {
            "type": _type_name(expected),
            "value": _short(error.instance),
        }
    if kind == "required":
        missing = next((name for name in expected if name not in error.instance), "")
        return _("required key '%(key)s' is missing") % {"key": missing}
    if kind in {"enum", "const"}:
        allowed = expected if kind == "enum" else [expected]
        return _("%(value)s is not one of: %(allowed)s") % {
            "value": _short(error.instance),
            "allowed": ", ".join(str(item) for item in allowed),
        }
    if kind == "pattern":
        return _("%(value)s does not have the expected form") % {"value": _short(error.instance)}
    if kind in {"minimum", "maximum"}:
        template = (
            _("%(value)s is less than %(limit)s")
            if kind == "minimum"
            else _("%(value)s is more than %(limit)s")
        )
        return template % {"value": error.instance, "limit": expected}
    if kind == "minItems":
        return _("needs at least %(count)d entries") % {"count": expected}
    if kind == "minLength":
        return _("must not be empty")
    if kind == "maxLength":
        return _("is longer than %(count)d characters") % {"count": expected}
    if kind == "oneOf":
        return _("expected text, or a mapping with 'sv' (and optionally 'en') text")
    if kind == "format":
        return _("%(value)s is not a valid %(format)s") % {
            "value": _short(error.instance),
            "format": expected,
        }
    return error.message


def _type_name(expected: str | list[str]) -> str:
    names = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "object": _("a mapping"),
        "array": _("a list"),
        "boolean": _("true or false"),
        "null": _("nothing"),
    }
    if isinstance(expected, list):
        return _(" or ").join(names.get(item, item) for item in expected)
    return names.get(expected, expected)


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _schema_problems(document: PlanDocument) -> Iterator[Problem]:
    validator = jsonschema.Draft202012Validator(
        plan_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for error in validator.iter_errors(document.data):
        path: Path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    yield document.problem((*path, key), _("unknown key '%(key)s'") % {"key": key})
            continue
        yield document.problem(path, _schema_message(error))


# --- Meaning (duplicates, references, versions) ---------------------------------------------


@dataclass(frozen=True)
class PreviousMeasure:
    code: str
    key: str
    text: dict[str, str]


@dataclass
class CheckContext:
    """What the checks need from the database."""

    existing_kinds: frozenset[str] = frozenset()
    previous_exists: bool = False
    previous_measures: dict[str, PreviousMeasure] = field(default_factory=dict)
    # A county is a tenant: a file may not take over another county's plan or organisations.
    plan_region_code: str | None = None  # the county of plans already stored with this slug
    organisation_regions: dict[str, str] = field(default_factory=dict)  # slug -> county code


def _unique(document, items, path, name, label) -> Iterator[Problem]:
    seen: set[Any] = set()
    for index, item in enumerate(items):
        value = item.get(name)
        if value in seen:
            yield document.problem(
                (*path, index, name),
                _("duplicate %(what)s '%(value)s'") % {"what": label, "value": value},
            )
        seen.add(value)


def _references(document, values, path, known, label) -> Iterator[Problem]:
    for index, value in enumerate(values or []):
        if value not in known:
            yield document.problem(
                (*path, index),
                _("unknown %(what)s '%(value)s'") % {"what": label, "value": value},
            )


def _reference(document, value, path, known, label) -> Iterator[Problem]:
    if value not in known:
        yield document.problem(
            path, _("unknown %(what)s '%(value)s'") % {"what": label, "value": value}
        )


def _text_of(value: Any) -> dict[str, str]:
    return {"sv": value} if isinstance(value, str) else dict(value)


def _meaning_problems(document: PlanDocument, context: CheckContext) -> Iterator[Problem]:
    data = document.data
    plan = data["plan"]
    if plan["period"]["end"] < plan["period"]["start"]:
        yield document.problem(("plan", "period", "end"), _("the period ends before it starts"))
    region = plan["region"]["code"]
    if context.plan_region_code not in (None, region):
        yield document.problem(
            ("plan", "slug"),
            _("a plan with this identifier belongs to another county (%(code)s)")
            % {"code": context.plan_region_code},
        )

    vocabularies = data.get("vocabularies", {})
    codes = {name: {term["code"] for term in terms} for name, terms in vocabularies.items()}
    for name, terms in vocabularies.items():
        yield from _unique(document, terms, ("vocabularies", name), "code", _("code"))

    kinds = data.get("organisation_kinds", [])
    yield from _unique(document, kinds, ("organisation_kinds",), "code", _("code"))
    known_kinds = {kind["code"] for kind in kinds} | set(context.existing_kinds)
    organisations = data.get("organisations", [])
    yield from _unique(document, organisations, ("organisations",), "slug", _("identifier"))
    for index, organisation in enumerate(organisations):
        owner = context.organisation_regions.get(organisation["slug"])
        if owner not in (None, region):
            yield document.problem(
                ("organisations", index, "slug"),
                _(
                    "the identifier %(slug)s is another county's organisation (%(code)s): "
                    "give this county's organisation an identifier of its own"
                )
                % {"slug": organisation["slug"], "code": owner},
            )
        yield from _reference(
            document,
            organisation["kind"],
            ("organisations", index, "kind"),
            known_kinds,
            _("organisation kind"),
        )

    goals = data["goals"]
    yield from _unique(document, goals, ("goals",), "number", _("goal number"))
    measures = [
        ((("goals", goal_index, "measures", index)), measure)
        for goal_index, goal in enumerate(goals)
        for index, measure in enumerate(goal["measures"])
    ]
    seen_codes: set[str] = set()
    seen_keys: set[str] = set()
    for path, measure in measures:
        code, key = measure["code"], measure.get("key", measure["code"])
        if code in seen_codes:
            yield document.problem(
                (*path, "code"), _("duplicate code '%(value)s'") % {"value": code}
            )
        if key in seen_keys and code not in seen_codes:
            yield document.problem((*path, "key"), _("duplicate key '%(value)s'") % {"value": key})
        seen_codes.add(code)
        seen_keys.add(key)
        for name, label in (
            ("prevention_levels", _("prevention level")),
            ("violence_areas", _("violence area")),
        ):
            yield from _references(
                document, measure.get(name), (*path, name), codes.get(name, set()), label
            )
        yield from _references(
            document,
            measure.get("organisation_kinds"),
            (*path, "organisation_kinds"),
            known_kinds,
            _("organisation kind"),
        )

    responsibilities = data.get("responsibilities", [])
    yield from _unique(
        document,
        responsibilities,
        ("responsibilities",),
        "organisation_kind",
        _("organisation kind"),
    )
    for index, description in enumerate(responsibilities):
        yield from _reference(
            document,
            description["organisation_kind"],
            ("responsibilities", index, "organisation_kind"),
            known_kinds,
            _("organisation kind"),
        )
        for duty_index, duty in enumerate(description["duties"]):
            if "stage" in duty:
                yield from _reference(
                    document,
                    duty["stage"],
                    ("responsibilities", index, "duties", duty_index, "stage"),
                    codes.get("chain_stages", set()),
                    _("stage of the chain"),
                )
    yield from _unique(
        document,
        data.get("collaboration_bodies", []),
        ("collaboration_bodies",),
        "key",
        _("identifier"),
    )
    yield from _figure_problems(document)
    yield from _version_problems(document, context, measures)


def _figure_problems(document: PlanDocument) -> Iterator[Problem]:
    """Each figure is a rate or a national amount (one of them), over an age band in order."""
    figures = document.data.get("figures", [])
    yield from _unique(document, figures, ("figures",), "key", _("identifier"))
    for index, figure in enumerate(figures):
        given = [name for name in ("rate", "national_amount") if name in figure]
        if not given:
            yield document.problem(
                ("figures", index, "rate"), _("give a rate or a national amount")
            )
        elif len(given) > 1:
            yield document.problem(
                ("figures", index, "national_amount"),
                _("give a rate or a national amount, not both"),
            )
        if figure.get("age_to") is not None and figure["age_to"] < figure["age_from"]:
            yield document.problem(
                ("figures", index, "age_to"),
                _("the age band ends (%(end)d) before it starts (%(start)d)")
                % {"end": figure["age_to"], "start": figure["age_from"]},
            )


def _version_problems(document, context, measures) -> Iterator[Problem]:
    plan = document.data["plan"]
    retired = document.data.get("retired_measures", [])
    previous = plan.get("previous_version")
    if previous is None:
        for path, measure in measures:
            for name in ("change", "change_reason", "derived_from"):
                if name in measure:
                    yield document.problem(
                        (*path, name), _("only a plan with a previous version can say this")
                    )
        if retired:
            yield document.problem(
                ("retired_measures",), _("only a plan with a previous version can retire measures")
            )
        return
    if previous >= plan["version"]:
        yield document.problem(
            ("plan", "previous_version"), _("the previous version must be lower than the version")
        )
        return
    if not context.previous_exists:
        yield document.problem(
            ("plan", "previous_version"),
            _("version %(version)d of plan '%(slug)s' does not exist")
            % {"version": previous, "slug": plan["slug"]},
        )
        return
    old = context.previous_measures
    old_by_key = {measure.key: measure for measure in old.values()}
    accounted: set[str] = set()
    for path, measure in measures:
        key = measure.get("key", measure["code"])
        sources = measure.get("derived_from", [])
        yield from _references(
            document, sources, (*path, "derived_from"), old, _("measure of the previous version")
        )
        change = measure.get("change") or _inferred_change(measure, old_by_key)
        kept = old_by_key.get(key)
        if kept is not None and change in {"unchanged", "reworded"}:
            accounted.add(kept.code)
        if change in {"unchanged", "reworded"}:
            if kept is None:
                yield document.problem(
                    (*path, "change"),
                    _("'%(change)s' needs a measure with key '%(key)s' in the previous version")
                    % {"change": change, "key": key},
                )
            elif (kept.text == _text_of(measure["text"])) != (change == "unchanged"):
                yield document.problem(
                    (*path, "change"),
                    _("the text says '%(actual)s', not '%(change)s'")
                    % {
                        "actual": "unchanged" if change == "reworded" else "reworded",
                        "change": change,
                    },
                )
            else:
                accounted.add(kept.code)
        elif kept is not None:
            yield document.problem(
                (*path, "key"),
                _(
                    "a '%(change)s' measure needs a key of its own; '%(key)s' is in the previous "
                    "version"
                )
                % {"change": change, "key": key},
            )
        expected = {"split": (1, 1), "merged": (2, None), "new": (0, 0)}.get(change)
        if expected and not (expected[0] <= len(sources) <= (expected[1] or len(sources))):
            yield document.problem(
                (*path, "derived_from"),
                _("a '%(change)s' measure names %(count)s measures it comes from")
                % {"change": change, "count": {"split": "1", "merged": "2+", "new": "0"}[change]},
            )
        accounted.update(sources)
    yield from _unique(document, retired, ("retired_measures",), "code", _("code"))
    for index, item in enumerate(retired):
        if item["code"] not in old:
            yield document.problem(
                ("retired_measures", index, "code"),
                _("unknown measure of the previous version '%(value)s'") % {"value": item["code"]},
            )
        elif item["code"] in accounted:
            yield document.problem(
                ("retired_measures", index, "code"),
                _("measure '%(value)s' lives on in this version and cannot be retired")
                % {"value": item["code"]},
            )
        accounted.add(item["code"])
    for code in sorted(set(old) - accounted):
        yield document.problem(
            ("retired_measures",),
            _("measure '%(code)s' of the previous version is neither carried on nor retired")
            % {"code": code},
        )


def _inferred_change(measure: dict[str, Any], old_by_key: dict[str, PreviousMeasure]) -> str:
    kept = old_by_key.get(measure.get("key", measure["code"]))
    if kept is not None:
        return "unchanged" if kept.text == _text_of(measure["text"]) else "reworded"
    sources = measure.get("derived_from", [])
    return "merged" if len(sources) > 1 else "split" if sources else "new"


def check_plan_document(document: PlanDocument, context: CheckContext) -> None:
    """Raise `PlanFileError` with every problem of the document; return if there is none."""
    data = document.data
    if data.get("format_version") != FORMAT_VERSION:
        raise PlanFileError(
            [
                document.problem(
                    ("format_version",),
                    _(
                        "unsupported format version %(found)s (this version of Nollvision reads %(wanted)d)"
                    )
                    % {"found": _short(data.get("format_version")), "wanted": FORMAT_VERSION},
                )
            ]
        )
    problems = list(_schema_problems(document)) + list(_personal_number_problems(document))
    # One round: the meaning of every part that has the shape the checks read is looked at too,
    # so a person who fixes what is listed does not meet a second list.
    problems += _as_far_as_readable(_meaning_problems(document, context), shape_ok=not problems)
    if problems:
        raise PlanFileError(dict.fromkeys(problems))


def _as_far_as_readable(problems: Iterator[Problem], *, shape_ok: bool) -> list[Problem]:
    """The problems of meaning, up to the first part whose shape is wrong (and so already
    listed as a problem of shape). In a file of the right shape every check runs to its end."""
    found: list[Problem] = []
    try:
        found.extend(problems)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        if shape_ok:
            raise
    return found


def _personal_number_problems(document: PlanDocument) -> Iterator[Problem]:
    """Every string of the file, keys, identifiers, codes and addresses included, read by the
    guard every text field has: an identifier can become a public address."""

    def walk(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(key, (*path, key)) if isinstance(key, str) else iter(())
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))
        elif isinstance(value, str) and len(value) <= SCAN_MAX and find_personal_numbers(value):
            yield document.problem(
                path,
                _(
                    "contains what looks like a personal identity number; a plan holds no data "
                    "about people"
                ),
            )

    yield from walk(document.data, ())


def plan_warnings(document: PlanDocument) -> list[Problem]:
    """What a valid plan file leaves out that pages would otherwise show: each a located warning,
    never a reason to refuse the file. Pages leave out what the plan does not have."""
    data = document.data
    vocabularies = data.get("vocabularies") or {}
    warnings = []
    labels = {
        "prevention_levels": _("no prevention levels: measures are shown without them"),
        "violence_areas": _("no violence areas: measures are shown without them"),
        "violence_staircase": _("no violence staircase: the plan page leaves it out"),
        "chain_stages": _(
            "no stages of the chain of interventions: the plan page and the guide leave them out"
        ),
    }
    for key, message in labels.items():
        if not vocabularies.get(key):
            warnings.append(document.problem(("vocabularies", key), message))
    if not data.get("responsibilities"):
        warnings.append(
            document.problem(
                ("responsibilities",),
                _("no responsibility descriptions: pages and the answer form leave out duties"),
            )
        )
    if not data.get("collaboration_bodies"):
        warnings.append(
            document.problem(
                ("collaboration_bodies",),
                _("no collaboration bodies: the plan has no groups for meetings"),
            )
        )
    if not data.get("organisations"):
        warnings.append(
            document.problem(
                ("organisations",),
                _("no organisations: nobody can be asked in a follow-up until some are added"),
            )
        )
    return sorted(warnings)


def inferred_change(measure: dict[str, Any], previous: dict[str, PreviousMeasure]) -> str:
    """The change a measure records when the file does not say it."""
    return measure.get("change") or _inferred_change(
        measure, {item.key: item for item in previous.values()}
    )
