"""A report remembers the language the person started it in: staff see it, and the report
pack's PDF is written in it with English headings alongside, in fonts that cover its script."""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from dontpay.cases.models import Case, Report
from dontpay.cases.pack import report_pack
from dontpay.cases.reports import add_item
from dontpay.domain.reports import section

from ..accounts.staff import signed_in
from .factories import sent_report
from .test_pdfs import _fonts, noto  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_record_started_in_english_is_stored_as_english() -> None:
    Client().post("/report/", {"under_18": "no"})
    assert Report.objects.get().language == "en"


def _written_in(language: str) -> Report:
    def fill(report: Report) -> None:
        add_item(report, section("who"), {"platform": "instagram", "display_name": "ali_1990"})

    report = sent_report("GB", under_18=False, fill=fill)
    Report.objects.filter(pk=report.pk).update(language=language)
    report.refresh_from_db()
    return report


def test_staff_see_the_language_a_report_was_written_in() -> None:
    report = _written_in("ur")
    case = Case.objects.get(report=report)
    client = signed_in("caseworker")
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert 'Written in Urdu (<span lang="ur">اردو</span>)' in page
    assert client.get("/staff/").content.decode().count(">Urdu</strong>") == 1


def _pdf(report: Report) -> bytes:
    pack = zipfile.ZipFile(io.BytesIO(report_pack(report, actor="staff:caseworker-1")))
    return pack.read("report.pdf")


@pytest.mark.parametrize(
    ("language", "heading", "font"),
    [("ur", "خلاصہ", "Noto-Nastaliq-Urdu"), ("hi", "सारांश", "Noto-Sans-Devanagari")],
)
def test_the_pdf_has_headings_in_the_persons_language_and_in_english(
    noto: None,  # noqa: F811
    language: str,
    heading: str,
    font: str,
    tmp_path: Path,
) -> None:
    pdf = _pdf(_written_in(language))
    reader = PdfReader(io.BytesIO(pdf))
    # The document is in English (notes, the English beside each heading and label); the
    # person's language is marked where used.
    assert str(reader.trailer["/Root"]["/Lang"]) == "en"
    assert any(name.startswith(font) for name in _fonts(reader)), _fonts(reader)
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", tmp_path / "report.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Summary" in text
    assert "Chain of custody" in text
    for english in ("Report", "Summary", "Timeline", "Evidence files", "Chain of custody"):
        assert re.search(rf"/\s*{english}\b", text), english  # the English beside it
    # The record's own sections, items and labels are in both languages too; what the person
    # wrote, and a name such as the app's, once, as written.
    for english in ("Who contacted you", "Account 1", "App or site", "Nothing recorded"):
        assert re.search(r"/\s*" + r"\s+".join(english.split()) + r"\b", text), english
    assert "ali_1990" in text
    assert "/ Instagram" not in text


def test_an_english_report_has_english_headings_only() -> None:
    reader = PdfReader(io.BytesIO(_pdf(_written_in("en"))))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Summary" in text
    assert "Who contacted you" in text
    assert " / Summary" not in text
    assert " / Who contacted you" not in text
