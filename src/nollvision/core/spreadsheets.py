"""Every spreadsheet and CSV cell the platform writes goes through here, so that text people
wrote is never run as a formula by Excel or LibreOffice (CSV injection, OWASP)."""

from collections.abc import Iterable

# A cell whose text starts with one of these is read as a formula by some spreadsheet program.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value for a CSV file: text that a spreadsheet would run as a formula gets a leading
    apostrophe, which spreadsheets show as text and do not evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


def append_row(sheet, values: Iterable) -> None:
    """Append a row to an openpyxl sheet with every text stored as text, never as a formula:
    the cell keeps exactly what was written (so an uploaded workbook reads back the same), and
    no program evaluates it."""
    from openpyxl.cell.cell import Cell  # loaded on use: the URL conf never needs it

    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    # The row's cells are made here and handed over whole: reading the row back from the sheet
    # would measure the whole sheet on every row (quadratic in its size).
    sheet.append(cells)
