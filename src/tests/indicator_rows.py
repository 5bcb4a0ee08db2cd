"""Indicator CSV files for tests: the header and rows with a source (issue #26: every row of an
indicator file names where its value was published)."""

from nollvision.indicators.csv_import import COLUMNS

HEADER = ",".join(COLUMNS) + "\n"
# The source cells of a test row: an address, a title, no publication date, a retrieval date,
# not rounded, no note.
CITED = "https://example.org/statistik,Testkälla,,2026-01-15,,"


def sourced(rows: str) -> str:
    """Rows written as `indicator,area,year,sex,value,missing_reason,status`, each given the test
    source."""
    return "".join(f"{line},{CITED}\n" for line in rows.splitlines() if line.strip())


def csv_file(rows: str) -> bytes:
    return (HEADER + sourced(rows)).encode()
