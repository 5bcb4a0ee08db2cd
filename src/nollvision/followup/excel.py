"""The questionnaire as an Excel file: download pre-filled, fill offline, upload again.

An upload is turned into the same data the answer page posts, so one set of forms checks both;
each problem is reported with its sheet, row and column.
"""

import datetime
import zipfile
from io import BytesIO

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from nollvision.core.spreadsheets import append_row

from .enums import Course, MeasureStatus, QuestionKind, RoutineState
from .selectors import FormData
from .services import MEASURE_FIELDS

MEASURE_COLUMNS = ("id", "version", "code", "measure", *MEASURE_FIELDS)
EDITABLE_MEASURE_COLUMNS = MEASURE_COLUMNS[4:]
YES, NO = "ja", "nej"


class ExcelError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _sheet_names() -> tuple[str, str]:
    return pgettext("excel sheet", "Measures"), pgettext("excel sheet", "Organisation")


def _yes_no(value) -> str:
    return {True: YES, False: NO}.get(value, "")


def _header_labels() -> dict[str, str]:
    return {
        "id": "id",
        "version": "version",
        "code": _("Code"),
        "measure": _("Measure"),
        "status": _("Status"),
        "not_relevant_reason": _("Why not relevant"),
        "done": _("What was done"),
        "prevention_levels": _("Prevention levels (codes)"),
        "target_groups": _("Target groups"),
        "child_rights": _("Rights of the child"),
        "next_steps": _("Next steps"),
        "may_publish": _("May be published (ja/nej)"),
    }


def workbook_bytes(response, data: FormData) -> bytes:
    from openpyxl import Workbook  # loaded on use: openpyxl costs a second at start-up
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    measures_title, body_title = _sheet_names()
    book = Workbook()
    sheet = book.active
    sheet.title = measures_title
    labels = _header_labels()
    append_row(sheet, [labels[column] for column in MEASURE_COLUMNS])
    status_labels = {code: str(label) for code, label in MeasureStatus.choices}
    for answer in data.answers:
        append_row(
            sheet,
            [
                answer.pk,
                answer.version,
                answer.measure.code,
                str(answer.measure.text),
                status_labels.get(answer.status, ""),
                answer.not_relevant_reason,
                answer.done,
                ", ".join(answer.prevention_levels),
                answer.target_groups,
                answer.child_rights,
                answer.next_steps,
                _yes_no(answer.may_publish),
            ],
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].hidden = True
    for index, width in enumerate((6, 6, 7, 50, 18, 30, 50, 18, 25, 30, 30, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
        row[3].fill = PatternFill("solid", fgColor="EEEEEE")
    statuses = DataValidation(
        type="list", formula1='"' + ",".join(status_labels.values()) + '"', allow_blank=True
    )
    sheet.add_data_validation(statuses)
    statuses.add(f"E2:E{len(data.answers) + 1}")
    sheet.freeze_panes = "E2"

    body = book.create_sheet(body_title)
    append_row(body, ["key", _("Question"), _("Answer")])
    for key, label, value in _body_rows(response, data):
        append_row(body, [key, label, value])
    body.column_dimensions["A"].hidden = True
    body.column_dimensions["B"].width = 70
    body.column_dimensions["C"].width = 40
    for cell in body[1]:
        cell.font = Font(bold=True)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _body_rows(response, data: FormData):
    answer = response.body_answer
    yield "version", "version", answer.version
    centre = str(response.campaign.plan.resource_centre_name)
    if centre:  # asked only where the plan names a resource centre
        yield (
            "resource_centre_url",
            _("Address of the page that links to %(centre)s") % {"centre": centre},
            answer.resource_centre_url,
        )
    yield "staff_concerned", _("Staff concerned"), answer.staff_concerned
    for course in Course:
        yield (
            f"completed_{course.value}",
            f"{course.label}: {_('staff who completed it')}",
            (answer.completed(course.value)),
        )
    yield "specialist_staff", _("Staff with specialist knowledge"), answer.specialist_staff
    yield "comment", _("Comment"), answer.comment
    states = dict(RoutineState.choices)
    for routine in data.routines:
        yield (
            f"routine_{routine.routine}",
            f"{_('Routine')}: {routine.get_routine_display()} "
            f"({', '.join(str(label) for label in states.values())})",
            str(states.get(routine.state, "")),
        )
        yield (
            f"revised_{routine.routine}",
            f"{_('Routine')}: {routine.get_routine_display()}: {_('last revised')}",
            routine.last_revised,
        )
    for participation in data.participations:
        yield (
            f"takes_part_{participation.body_id}",
            f"{_('Takes part in')} {participation.body.name} (ja/nej)",
            _yes_no(participation.participates),
        )
    for extra in data.extras:
        value = extra.value
        if extra.question.kind == QuestionKind.YES_NO:
            value = _yes_no(value)
        elif isinstance(value, list):
            value = ", ".join(value)
        yield f"extra_{extra.question_id}", str(extra.question.text), value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(value: str, choices) -> str:
    """Accept a code or its label in either language."""
    folded = value.casefold()
    for code, label in choices:
        if folded in {code.casefold(), str(label).casefold()}:
            return code
    return value  # the form will say it is not a valid choice


# A filled-in answer workbook unpacks to well under a megabyte; a small file that unpacks to
# hundreds (a "zip bomb") is refused before anything reads it.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def _check_unpacked_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip at all: load_workbook says so in its own words below
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExcelError(
            [
                _("The workbook unpacks to %(size)d MB, more than an answer can hold.")
                % {"size": unpacked // (1024 * 1024)}
            ]
        )


def read_workbook(content: bytes, response, data: FormData) -> tuple[MultiValueDict, dict]:
    """Turn an uploaded workbook into answer-page data and a map of field name -> cell."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    measures_title, body_title = _sheet_names()
    _check_unpacked_size(content)
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ExcelError(
            [
                _("The file could not be read as an Excel workbook (%(error)s).")
                % {"error": type(error).__name__}
            ]
        ) from None
    problems: list[str] = []
    missing = [title for title in (measures_title, body_title) if title not in book.sheetnames]
    if missing:
        raise ExcelError(
            [_("The workbook has no sheet '%(sheet)s'.") % {"sheet": title} for title in missing]
        )
    post = MultiValueDict()
    cells: dict[str, str] = {}
    answers = {answer.pk: answer for answer in data.answers}
    seen = set()
    status_choices = [(c, lbl) for c, lbl in MeasureStatus.choices]
    for row_number, row in enumerate(
        book[measures_title].iter_rows(min_row=2, values_only=True), start=2
    ):
        values = dict(zip(MEASURE_COLUMNS, row, strict=False))
        if not any(values.get(column) not in (None, "") for column in MEASURE_COLUMNS):
            continue
        try:
            answer = answers[int(values["id"])]
        except (KeyError, TypeError, ValueError):
            problems.append(
                _(
                    "%(sheet)s!A%(row)d: this row is not a measure of this answer; "
                    "use the file downloaded for it"
                )
                % {"sheet": measures_title, "row": row_number}
            )
            continue
        seen.add(answer.pk)
        prefix = f"m{answer.pk}"
        post[f"{prefix}-version"] = _text(values["version"])
        for column in EDITABLE_MEASURE_COLUMNS:
            letter = get_column_letter(MEASURE_COLUMNS.index(column) + 1)
            cells[f"{prefix}-{column}"] = f"{measures_title}!{letter}{row_number}"
            text = _text(values.get(column))
            if column == "status":
                post[f"{prefix}-status"] = _lookup(text, status_choices) if text else ""
            elif column == "prevention_levels":
                post.setlist(
                    f"{prefix}-prevention_levels",
                    [code.strip() for code in text.split(",") if code.strip()],
                )
            elif column == "may_publish":
                if text.casefold() not in {"", YES, NO, "yes", "no"}:
                    problems.append(
                        _("%(cell)s: write ja or nej") % {"cell": cells[f"{prefix}-{column}"]}
                    )
                if text.casefold() in {YES, "yes"}:
                    post[f"{prefix}-may_publish"] = "on"
            else:
                post[f"{prefix}-{column}"] = text
    for answer in data.answers:
        if answer.pk not in seen:  # a deleted row leaves that measure as it was
            _keep_measure(post, answer)
    _read_body(book[body_title], body_title, data, post, cells)
    if problems:
        raise ExcelError(problems)
    return post, cells


def _keep_measure(post: MultiValueDict, answer) -> None:
    prefix = f"m{answer.pk}"
    post[f"{prefix}-version"] = str(answer.version)
    for name in (
        "status",
        "not_relevant_reason",
        "done",
        "target_groups",
        "child_rights",
        "next_steps",
    ):
        post[f"{prefix}-{name}"] = getattr(answer, name)
    post.setlist(f"{prefix}-prevention_levels", list(answer.prevention_levels))
    if answer.may_publish:
        post[f"{prefix}-may_publish"] = "on"


def _read_body(sheet, title, data: FormData, post: MultiValueDict, cells: dict) -> None:
    kinds = {f"extra_{e.question_id}": e.question.kind for e in data.extras}
    states = list(RoutineState.choices)
    for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        key = _text(row[0] if row else None)
        if not key:
            continue
        value = row[2] if len(row) > 2 else None
        name = f"body-{key}"
        cells[name] = f"{title}!C{row_number}"
        text = _text(value)
        if key.startswith("routine_") and text:
            text = _lookup(text, states)
        elif key.startswith("takes_part_") or kinds.get(key) == QuestionKind.YES_NO:
            text = {YES: "yes", NO: "no"}.get(text.casefold(), text.casefold())
        if kinds.get(key) == QuestionKind.MULTIPLE:
            post.setlist(name, [item.strip() for item in text.split(",") if item.strip()])
        else:
            post[name] = text
