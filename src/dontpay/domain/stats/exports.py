"""FOI tables as files to hand over: CSV for other software, XLSX for people.

Both state the basis of the counts (by date recorded) and apply the tables' suppression, so a
file can be published as it is. The SVG chart lives in `chart.py` and is re-exported here.
"""

import csv
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .chart import bar_chart_svg
from .foi import PERIOD_TYPES, Cell, FoiTables, PeriodType, YearCounts
from .outcomes import OUTCOME_GROUPS, OUTCOMES
from .serialise import suppressed

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["bar_chart_svg", "foi_csv", "foi_xlsx"]

BASIS_NOTE = "Counts by date recorded (recorded_on)"
PERIOD_HEADINGS: dict[PeriodType, str] = {
    "financial_year": "Financial year (1 April to 31 March)",
    "calendar_year": "Calendar year",
}
SHEET_TITLES: dict[PeriodType, str] = {
    "financial_year": "By financial year",
    "calendar_year": "By calendar year",
}


def foi_csv(tables: FoiTables) -> str:
    """One rectangular table: a row per financial year, per calendar year, and the total.

    Columns: basis, period_type, period, reports, payment_made, suspect_identified, then
    `outcome_<code>` for each outcome occurring anywhere and `group_<name>` for each outcome
    group occurring anywhere (0 where a period has none).
    """
    codes, groups = _columns(tables)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "basis",
            "period_type",
            "period",
            "reports",
            "payment_made",
            "suspect_identified",
            *(f"outcome_{code}" for code in codes),
            *(f"group_{_snake_case(group)}" for group in groups),
        ]
    )
    rows: list[tuple[str, str, YearCounts]] = [
        (kind, period, counts) for kind in PERIOD_TYPES for period, counts in _sorted(tables, kind)
    ]
    rows.append(("total", "all", tables.total))
    for kind, period, counts in rows:
        writer.writerow([tables.basis, kind, period, *_cells(counts, codes, groups, tables)])
    return out.getvalue()


def foi_xlsx(tables: FoiTables) -> bytes:
    """A workbook: one sheet per kind of year, and the list of outcome types with their groups.

    openpyxl is imported at the first workbook: most processes never write one."""
    from openpyxl import Workbook

    workbook = Workbook()
    codes, groups = _columns(tables)
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for kind in PERIOD_TYPES:
        sheet = workbook.create_sheet(SHEET_TITLES[kind])
        start = _notes(sheet, tables)
        header = [
            PERIOD_HEADINGS[kind],
            "Reports",
            "Payment made",
            "Suspect identified",
            *(f"Outcome {code}: {OUTCOMES[code].name}" for code in codes),
            *(f"Group: {group}" for group in groups),
        ]
        sheet.append(header)
        for period, counts in _sorted(tables, kind):
            sheet.append([period, *_cells(counts, codes, groups, tables)])
        sheet.append(["Total", *_cells(tables.total, codes, groups, tables)])
        _style_table(sheet, header_row=start, last_row=sheet.max_row, columns=len(header))
    _outcome_types_sheet(workbook.create_sheet("Outcome types"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _columns(tables: FoiTables) -> tuple[list[int], list[str]]:
    """Outcome codes (numeric order) and groups (table order) occurring in any period."""
    every = [tables.total, *tables.by_financial_year.values(), *tables.by_calendar_year.values()]
    codes = sorted({int(code) for counts in every for code in counts.outcomes})
    present = {group for counts in every for group in counts.outcome_groups}
    return codes, [group for group in OUTCOME_GROUPS if group in present]


def _sorted(tables: FoiTables, kind: PeriodType) -> Iterator[tuple[str, YearCounts]]:
    periods = tables.periods(kind)
    for period in sorted(periods):
        yield period, periods[period]


def _cells(
    counts: YearCounts, codes: list[int], groups: list[str], tables: FoiTables
) -> list[Cell]:
    below = tables.suppress_below
    numbers = [
        counts.reports,
        counts.payment_made,
        counts.suspect_identified,
        *(counts.outcomes.get(str(code), 0) for code in codes),
        *(counts.outcome_groups.get(group, 0) for group in groups),
    ]
    return [suppressed(number, below) for number in numbers]


def _snake_case(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _notes(sheet: "Worksheet", tables: FoiTables) -> int:
    """Write the notes above a table (basis, suppression, period); return the header's row."""
    from openpyxl.styles import Font

    notes = [BASIS_NOTE]
    if tables.suppress_below:
        below = tables.suppress_below
        notes.append(f"Counts from 1 to {below - 1} are shown as <{below}")
    if tables.start or tables.end:
        notes.append(
            f"Reports recorded from {tables.start or 'the first record'}"
            f" to {tables.end or 'the last record'}"
        )
    for note in notes:
        sheet.append([note])
        sheet.cell(sheet.max_row, 1).font = Font(italic=True)
    sheet.append([])
    return len(notes) + 2


def _style_table(sheet: "Worksheet", *, header_row: int, last_row: int, columns: int) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for column in range(1, columns + 1):
        heading = sheet.cell(header_row, column)
        heading.font = bold
        heading.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(last_row, column).font = bold
        for row in range(header_row + 1, last_row + 1):
            if column > 1:
                sheet.cell(row, column).alignment = Alignment(horizontal="right")
        sheet.column_dimensions[get_column_letter(column)].width = 22 if column == 1 else 16
    sheet.freeze_panes = f"B{header_row + 1}"


def _outcome_types_sheet(sheet: "Worksheet") -> None:
    from openpyxl.styles import Font

    sheet.append(["Home Office crime outcomes framework (England and Wales)"])
    sheet.append(["Long wording of outcomes 5, 9-13, 17 and 19 is paraphrased"])
    for row in (1, 2):
        sheet.cell(row, 1).font = Font(italic=True)
    sheet.append([])
    sheet.append(["Code", "Outcome type", "Outcome group"])
    for column in range(1, 4):
        sheet.cell(4, column).font = Font(bold=True)
    for code, outcome in OUTCOMES.items():
        sheet.append([code, outcome.name, outcome.group or "(none: not an outcome)"])
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 60
    sheet.freeze_panes = "A5"
