"""The plan's figures between the plan file (`figures:`) and the `PlanFigure` rows: one reading
for the importer, one writing for the export, so export -> import -> export stays the same."""

from decimal import Decimal, InvalidOperation
from typing import Any

from .enums import FigureSex
from .models import PlanFigure


def _decimal(value: Any) -> Decimal | None:
    """A number of the file as a decimal (a float through its shortest text: 0.1 stays 0.1)."""
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):  # pragma: no cover - the schema lets numbers only
        return None


def plain_number(value: Decimal) -> int | float:
    """A stored decimal as the file writes it: 45000000000, 0.25 (never 0.250000)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def figure_from_data(item: dict[str, Any], **fields) -> PlanFigure:
    """An unsaved figure from one entry of the file's `figures` (checked by the schema)."""
    return PlanFigure(
        key=item["key"],
        title=item["title"],
        rate=_decimal(item.get("rate")),
        national_amount=_decimal(item.get("national_amount")),
        unit=item.get("unit", ""),
        rate_source=item["rate_source"],
        certainty=item.get("certainty", ""),
        inferred=item.get("inferred", False),
        sex=item.get("sex", FigureSex.TOTAL),
        age_from=item.get("age_from", 0),
        age_to=item.get("age_to"),
        printed=item.get("printed"),
        **fields,
    )


def figure_to_data(figure, text, key: str | None = None) -> dict[str, Any]:
    """One entry of the file's `figures`, in the order a person writes it, from a `PlanFigure`
    (or the editor's fields of one, with `key`); `text` writes a translated text."""
    item: dict[str, Any] = {"key": key or figure.key, "title": text(figure.title)}
    for name in ("rate", "national_amount"):
        value = getattr(figure, name)
        if value is not None:
            item[name] = plain_number(value)
    if figure.unit:
        item["unit"] = figure.unit
    item["rate_source"] = figure.rate_source
    certainty = text(figure.certainty)
    if certainty:
        item["certainty"] = certainty
    if figure.inferred:
        item["inferred"] = True
    item["sex"] = figure.sex
    item["age_from"] = figure.age_from
    if figure.age_to is not None:
        item["age_to"] = figure.age_to
    if figure.printed is not None:
        item["printed"] = figure.printed
    return item


def figure_row(figure: PlanFigure) -> tuple:
    """What a stored figure holds, to tell whether an import changes it."""
    return (
        figure.position,
        figure.key,
        dict(figure.title or {}),
        figure.rate,
        figure.national_amount,
        figure.unit,
        figure.rate_source,
        dict(figure.certainty or {}),
        figure.inferred,
        figure.sex,
        figure.age_from,
        figure.age_to,
        figure.printed,
    )
