"""Indicator values from a CSV file (any source: surveys, crime statistics ...).

The template (docs/indicators-csv.md): a header row `indicator,area,year,sex,value,missing_reason,
status,source_url,source_title,source_published,source_retrieved,rounded,source_note`, UTF-8,
comma- or semicolon-separated; `value` with a decimal point or comma, empty when `missing_reason`
says why. Every row names its source: an address, a title and the date it was published or
retrieved. Every row is checked; any problem and nothing is imported.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from nollvision.core.parsing import whole_number

from .models import Area, Indicator, IndicatorValue, Sex
from .services import ImportSummary, ValueSource, store_values

COLUMNS = [
    "indicator",
    "area",
    "year",
    "sex",
    "value",
    "missing_reason",
    "status",
    "source_url",
    "source_title",
    "source_published",
    "source_retrieved",
    "rounded",
    "source_note",
]
YES = {"1", "x", "yes", "ja", "true", "sant"}
NO = {"", "0", "no", "nej", "false", "falskt"}
MAX_BYTES = 10 * 1024 * 1024


class CsvError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    area: Area
    year: int
    sex: str
    value: Decimal | None
    missing_reason: str
    status: str
    cited: ValueSource


def template(area_code: str = "0000") -> str:
    """The columns and one example row, for the given area (the coordinator's county)."""
    return (
        ",".join(COLUMNS)
        + "\n"
        + f"anmalda-valdsbrott,{area_code},2023,T,812.4,,,https://www.kolada.se/,"
        + "Kolada: Anmälda våldsbrott,,2024-05-02,,\n"
    )


def _date(written: str) -> date | None:
    try:
        return date.fromisoformat(written) if len(written) == 10 else None
    except ValueError:
        return None


def _cited(values: dict, problem) -> ValueSource:
    """The row's source: an http(s) address, a title, and the date it was published or
    retrieved (at least one, as YYYY-MM-DD); whether the publisher rounded it; a note."""
    if not values["source_url"]:
        problem("source_url", _("say where the value was published (an address)"))
    else:
        try:
            URLValidator(schemes=["http", "https"])(values["source_url"])
        except ValidationError:
            problem(
                "source_url",
                _("'%(value)s' is not a web address") % {"value": values["source_url"]},
            )
    if not values["source_title"]:
        problem("source_title", _("give the title of the source"))
    dates = {}
    for column in ("source_published", "source_retrieved"):
        dates[column] = _date(values[column])
        if values[column] and dates[column] is None:
            problem(
                column,
                _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": values[column]},
            )
    if not values["source_published"] and not values["source_retrieved"]:
        problem("source_retrieved", _("give the date it was published or retrieved"))
    rounded = values["rounded"].lower()
    if rounded not in YES | NO:
        problem("rounded", _("write 1 when the publisher rounded the figure, else leave it empty"))
    return ValueSource(
        url=values["source_url"],
        title=values["source_title"],
        published=dates["source_published"],
        retrieved=dates["source_retrieved"],
        rounded=rounded in YES,
        note=values["source_note"],
    )


def _rows(reader):
    """The CSV's rows; a row the reader cannot read (a field over the csv module's limit, say) is
    a problem with its row number, never a server error."""
    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvError(
                [_("row %(row)d: cannot be read (%(reason)s)") % {"row": number, "reason": error}]
            ) from error
        number += 1
        yield row


def _value(written: str, problem) -> Decimal | None:
    """A value as the field can hold it: a finite number within its digits, rounded to its
    decimals; anything else is a problem at the cell, never a stored value a page cannot show."""
    field = IndicatorValue._meta.get_field("value")
    try:
        value = Decimal(written.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        problem("value", _("'%(value)s' is not a number") % {"value": written})
        return None
    if not value.is_finite():
        problem("value", _("'%(value)s' is not a number") % {"value": written})
        return None
    limit = Decimal(10) ** (field.max_digits - field.decimal_places)
    if abs(value) >= limit:
        problem(
            "value",
            _("'%(value)s' is too large: values are below %(limit)s")
            % {"value": written, "limit": f"{limit:,.0f}".replace(",", " ")},
        )
        return None
    return value.quantize(Decimal(1).scaleb(-field.decimal_places))


def parse(content: bytes, areas_allowed: set[str] | None = None) -> list[Row]:
    """The rows of the file, or every problem. With `areas_allowed` (a county's coordinator), a
    row for any other area is refused: each county keeps its own figures."""
    if len(content) > MAX_BYTES:
        raise CsvError([_("the file is larger than 10 MB")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError([_("the file is not UTF-8 text")]) from None
    if not text.strip():
        raise CsvError([_("the file is empty")])
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    reader = _rows(csv.reader(io.StringIO(text), dialect))
    header = [name.strip().lower() for name in next(reader, [])]
    if header != COLUMNS:
        raise CsvError(
            [_("row 1: the columns must be %(columns)s") % {"columns": ", ".join(COLUMNS)}]
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    areas = {a.code: a for a in Area.objects.all()}
    rows, problems, seen = [], [], set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            problems.append(
                _("row %(row)d: %(found)d columns, expected %(wanted)d")
                % {"row": number, "found": len(cells), "wanted": len(COLUMNS)}
            )
            continue
        values = dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=True))

        def problem(column, message, number=number):
            problems.append(
                _("row %(row)d, column %(column)s: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        indicator = indicators.get(values["indicator"])
        if indicator is None:
            problem("indicator", _("unknown indicator '%(code)s'") % {"code": values["indicator"]})
        area = areas.get(values["area"])
        if area is None:
            problem("area", _("unknown area code '%(code)s'") % {"code": values["area"]})
        elif areas_allowed is not None and area.code not in areas_allowed:
            problem(
                "area",
                _("%(code)s (%(name)s) is not an area of your county")
                % {"code": area.code, "name": area.name},
            )
            area = None
        year = whole_number(values["year"])
        if year is None or not 1900 <= year <= 2100:
            problem("year", _("'%(value)s' is not a year") % {"value": values["year"]})
        sex = values["sex"].upper() or Sex.TOTAL
        if sex not in Sex.values:
            problem("sex", _("write T, K or M"))
        value = None
        if values["value"]:
            value = _value(values["value"], problem)
        elif not values["missing_reason"]:
            problem("missing_reason", _("say why there is no value"))
        cited = _cited(values, problem)
        for column in ("missing_reason", "status", "source_title", "source_note"):  # the guards
            try:
                IndicatorValue._meta.get_field(column).run_validators(values[column])
            except ValidationError as error:
                problem(column, " ".join(error.messages))
        key = (values["indicator"], values["area"], year, sex)
        if key in seen:
            problem("indicator", _("the same indicator, area, year and sex twice"))
        seen.add(key)
        if indicator and area and year and sex in Sex.values:
            rows.append(
                Row(
                    indicator,
                    area,
                    year,
                    sex,
                    value,
                    values["missing_reason"],
                    values["status"],
                    cited,
                )
            )
    if problems:
        raise CsvError(problems)
    return rows


@transaction.atomic
def csv_import(
    *,
    content: bytes,
    source: str,
    areas_allowed: set[str] | None = None,
    uploaded_by=None,
    uploaded_for=None,
) -> ImportSummary:
    """Store the values of a CSV file; one uploaded in the back office records who uploaded it
    and for which body."""
    wanted = {
        (row.indicator.pk, row.area.pk, row.year, row.sex): (
            row.value,
            row.missing_reason,
            row.status,
            row.cited,
        )
        for row in parse(content, areas_allowed)
    }
    return store_values(wanted, source=source, uploaded_by=uploaded_by, uploaded_for=uploaded_for)
