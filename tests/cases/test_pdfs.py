"""The PDFs as a reader gets them: tagged, in fonts that cover what people write, with one date
format, and with table rows kept whole on a page."""

import io
import os
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.pack import report_pack
from dontpay.cases.pdf import laid_out
from dontpay.cases.reports import add_item, save_section
from dontpay.cases.stats_views import statistics_pdf_context
from dontpay.domain.reports import section
from dontpay.domain.stats import CaseRecord, foi_tables

from .factories import screenshot, sent_report

pytestmark = pytest.mark.django_db

DISPLAY_NAME = "Lucy \U0001f48b\U0001f525 \u0391\u03bd\u03b4\u03c1\u03ad\u03b1\u03c2"


def _noto_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    families = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout
    return "Noto Sans" in families and "Noto Color Emoji" in families


@pytest.fixture
def noto() -> None:
    if not _noto_installed():
        if os.environ.get("CI"):
            pytest.fail("fonts-noto-core and fonts-noto-color-emoji must be installed in CI")
        pytest.skip("Debian's Noto fonts are not installed (apt-get install fonts-noto-core)")


def _fill(report: Report) -> None:
    add_item(report, section("who"), {"platform": "instagram", "display_name": DISPLAY_NAME})
    save_section(report, section("when"), {"started_on": "2026-11-01"})
    add_item(report, section("demands"), {"amount": "500", "deadline": "2026-11-20T21:30"})
    add_evidence(report, "threat.png", screenshot())


def _report_pdf() -> PdfReader:
    report = sent_report("GB", under_18=False, fill=_fill)
    pack = zipfile.ZipFile(
        io.BytesIO(report_pack(report, actor="staff:caseworker-1", sent_only=True))
    )
    return PdfReader(io.BytesIO(pack.read("report.pdf")))


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_report_is_a_tagged_pdf_with_its_title_and_language() -> None:
    reader = _report_pdf()
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en"
    assert str(reader.metadata.title).startswith("Report DP-")


def test_an_emoji_and_greek_in_a_display_name_are_printed_in_noto(noto: None) -> None:
    reader = _report_pdf()
    fonts = _fonts(reader)
    assert "Noto-Sans" in fonts
    assert "Noto-Color-Emoji" in fonts


def test_every_date_in_the_report_has_one_form() -> None:
    text = " ".join(page.extract_text() for page in _report_pdf().pages)
    assert "2026-11-01" not in text
    assert "2026-11-20T21:30" not in text
    assert "1 November 2026" in text
    assert "20 November 2026, 21:30" in text
    assert " UTC" in text  # when the report was started, exported and each file uploaded


def _many_years() -> list[CaseRecord]:
    return [
        CaseRecord(
            reference=f"R-{year}-{n}",
            recorded_on=date(year, 6, 1),
            offence="blackmail",
            payment_made=n == 0,
            amount_paid=None,
            currency="",
            suspect_identified=n == 1,
            outcome_code=(8 if n == 1 else 18),
            outcome_date=date(year, 7, 1),
            victim_age_band="unknown",
            platforms=(),
        )
        for year in range(1960, 2026)
        for n in range(3)
    ]


def test_no_table_row_of_the_statistics_is_split_across_pages() -> None:
    document = laid_out(
        "cases/staff/statistics_pdf.html", statistics_pdf_context(foi_tables(_many_years()))
    )
    assert len(document.pages) > 2
    pages_of_row: dict[object, set[int]] = {}
    for number, page in enumerate(document.pages):
        for group in page._page_box.descendants():
            if group.element_tag == "tbody":  # header rows are repeated on purpose
                for row in group.children:
                    pages_of_row.setdefault(row.element, set()).add(number)
    assert len(pages_of_row) > 100
    split = [pages for pages in pages_of_row.values() if len(pages) > 1]
    assert split == []
    # The header row is repeated on every page a table continues on.
    assert all(
        any(box.element_tag == "thead" for box in page._page_box.descendants())
        for page in document.pages[1:]
    )
