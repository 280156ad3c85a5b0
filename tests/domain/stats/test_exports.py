"""CSV, XLSX and SVG exports of the FOI tables: complete, suppressed, and self-contained."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest

from dontpay.domain.stats import (
    OUTCOMES,
    CaseRecord,
    FoiTables,
    YearCounts,
    bar_chart_svg,
    foi_csv,
    foi_tables,
    foi_xlsx,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_csv_is_one_rectangular_table_with_the_basis_on_every_row(
    west_midlands: list[CaseRecord],
) -> None:
    rows = list(csv.reader(io.StringIO(foi_csv(foi_tables(west_midlands)))))
    assert rows[0] == [
        "basis",
        "period_type",
        "period",
        "reports",
        "payment_made",
        "suspect_identified",
        "outcome_8",
        "outcome_18",
        "group_out_of_court_informal",
        "group_investigation_complete_no_suspect_identified",
    ]
    assert {len(row) for row in rows} == {10}
    assert [row[1] for row in rows[1:]] == ["financial_year"] * 5 + ["calendar_year"] * 6 + [
        "total"
    ]
    assert {row[0] for row in rows[1:]} == {"recorded_on"}
    assert rows[1][2:] == ["2014/15", "5", "1", "0", "0", "5", "0", "5"]
    assert rows[-1][2:] == ["all", "29", "6", "1", "1", "28", "1", "28"]


def test_csv_suppresses_small_counts(west_midlands: list[CaseRecord]) -> None:
    rows = list(csv.DictReader(io.StringIO(foi_csv(foi_tables(west_midlands, suppress_below=5)))))
    total = rows[-1]
    assert (total["reports"], total["payment_made"], total["suspect_identified"]) == (
        "29",
        "6",
        "<5",
    )
    assert rows[0]["suspect_identified"] == "0"


def test_csv_of_no_records_is_just_the_header_and_a_zero_total() -> None:
    assert foi_csv(foi_tables([])).splitlines() == [
        "basis,period_type,period,reports,payment_made,suspect_identified",
        "recorded_on,total,all,0,0,0",
    ]


def _workbook(tables: FoiTables) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(foi_xlsx(tables)))


def test_xlsx_has_a_sheet_per_kind_of_year_and_the_outcome_types(
    west_midlands: list[CaseRecord],
) -> None:
    book = _workbook(foi_tables(west_midlands))
    assert book.sheetnames == ["By financial year", "By calendar year", "Outcome types"]
    sheet = book["By financial year"]
    assert sheet["A1"].value == "Counts by date recorded (recorded_on)"
    header = [cell.value for cell in sheet[3]]
    assert header == [
        "Financial year (1 April to 31 March)",
        "Reports",
        "Payment made",
        "Suspect identified",
        "Outcome 8: Community resolution",
        "Outcome 18: Investigation complete - no suspect identified",
        "Group: Out-of-court (informal)",
        "Group: Investigation complete - no suspect identified",
    ]
    assert all(cell.font.b for cell in sheet[3])
    assert [cell.value for cell in sheet[4]] == ["2014/15", 5, 1, 0, 0, 5, 0, 5]
    assert [cell.value for cell in sheet[9]] == ["Total", 29, 6, 1, 1, 28, 1, 28]
    assert sheet.max_row == 9
    assert book["By calendar year"]["A4"].value == "2014"


def test_xlsx_lists_all_23_outcome_types_with_groups(west_midlands: list[CaseRecord]) -> None:
    sheet = _workbook(foi_tables(west_midlands))["Outcome types"]
    assert [cell.value for cell in sheet[4]] == ["Code", "Outcome type", "Outcome group"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 23
    assert rows[8] == (8, "Community resolution", "Out-of-court (informal)")
    assert [row[0] for row in rows] == list(OUTCOMES)
    assert all(row[2] == OUTCOMES[row[0]].group for row in rows[1:])  # type: ignore[index]


def test_xlsx_notes_the_threshold_and_shows_suppressed_cells_as_text(
    west_midlands: list[CaseRecord],
) -> None:
    sheet = _workbook(foi_tables(west_midlands, suppress_below=5))["By financial year"]
    assert sheet["A1"].value == "Counts by date recorded (recorded_on)"
    assert sheet["A2"].value == "Counts from 1 to 4 are shown as <5"
    assert sheet["A4"].value == "Financial year (1 April to 31 March)"
    assert [cell.value for cell in sheet[5]] == ["2014/15", 5, "<5", 0, 0, 5, 0, 5]
    assert sheet["C5"].data_type == "s"


def _chart(tables: FoiTables, by: str = "financial_year") -> ET.Element:
    return ET.fromstring(bar_chart_svg(tables, by))


def test_svg_chart_is_accessible_with_one_bar_per_year_per_series(
    west_midlands: list[CaseRecord],
) -> None:
    tables = foi_tables(west_midlands)
    svg = _chart(tables)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Reports and payments by financial year"
    assert desc is not None
    assert "2014/15: 5 reported, 1 paid" in (desc.text or "")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    bars = svg.findall(f".//{SVG}rect[@class='bar reports']")
    assert len(bars) == len(tables.by_financial_year) == 5
    assert len(svg.findall(f".//{SVG}rect[@class='bar payment_made']")) == 5
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert {"2014/15", "2018/19", "Reports recorded", "Payment made", "7"} <= set(texts)
    assert "Number of reports" in texts


def test_svg_chart_by_calendar_year(west_midlands: list[CaseRecord]) -> None:
    svg = _chart(foi_tables(west_midlands), "calendar_year")
    assert len(svg.findall(f".//{SVG}rect[@class='bar reports']")) == 6


def test_svg_chart_loads_nothing_from_anywhere(west_midlands: list[CaseRecord]) -> None:
    text = bar_chart_svg(foi_tables(west_midlands))
    assert text.count("http") == 1
    assert 'xmlns="http://www.w3.org/2000/svg"' in text
    for forbidden in ("<script", "<image", "<a ", "href", "@import", "url(", "<style"):
        assert forbidden not in text
    assert re.search(r'font-family="system-ui[^"]*sans-serif"', text)
    assert 'width="640"' in text


def test_svg_chart_hides_suppressed_values(west_midlands: list[CaseRecord]) -> None:
    svg = _chart(foi_tables(west_midlands, suppress_below=5), "calendar_year")
    first_year = svg.findall(f".//{SVG}rect[@class='bar reports']")[0]
    assert float(first_year.get("height", "")) == 0
    assert "2014: <5 reported" in (svg.findtext(f"{SVG}desc") or "")
    assert "<5" in [text.text for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize("by", ["financial_year", "calendar_year"])
def test_svg_chart_of_no_reports_says_so(by: str) -> None:
    svg = _chart(foi_tables([]), by)
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "No reports in this period" in texts
    assert svg.findtext(f"{SVG}desc") == "No reports in this period."
    assert svg.findall(f".//{SVG}rect[@class='bar reports']") == []


def test_svg_chart_escapes_its_text() -> None:
    counts = YearCounts(reports=3, payment_made=1)
    tables = FoiTables({"<b>&'\"": counts}, {}, counts)
    text = bar_chart_svg(tables)
    assert "<b>" not in text
    assert "&lt;b&gt;&amp;" in text
    assert ET.fromstring(text).find(f".//{SVG}rect[@class='bar reports']") is not None


def test_svg_chart_refuses_an_unknown_kind_of_year(west_midlands: list[CaseRecord]) -> None:
    with pytest.raises(ValueError, match="financial_year or calendar_year"):
        bar_chart_svg(foi_tables(west_midlands), by="quarter")
