"""Historic imports and FOI statistics through the product: command, views and exports."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dontpay.accounts.models import AuditEvent
from dontpay.cases.models import Case

from ..accounts.staff import signed_in

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "west_midlands_foi.csv"


def test_the_west_midlands_figures_import_and_add_up(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import", "cases", str(FIXTURE))
    assert capsys.readouterr().out.strip() == "imported 29 cases"
    call_command("stats", "foi", "--json")
    tables = json.loads(capsys.readouterr().out)
    assert tables["basis"] == "recorded_on"
    total = tables["total"]
    assert (total["reports"], total["payment_made"], total["suspect_identified"]) == (29, 6, 1)
    assert total["outcomes"] == {"8": 1, "18": 28}
    assert len(tables["by_financial_year"]) == 5
    assert sum(y["reports"] for y in tables["by_financial_year"].values()) == 29


def test_reimporting_the_same_references_is_refused_not_duplicated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("import", "cases", str(FIXTURE))
    with pytest.raises(SystemExit) as stop:
        call_command("import", "cases", str(FIXTURE))
    assert stop.value.code == 2
    assert "was imported before" in capsys.readouterr().err
    assert Case.objects.count() == 29


def test_one_bad_row_imports_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",blackmail,", ",burglary,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", "cases", str(bad))
    assert "row 6, offence" in capsys.readouterr().err
    assert Case.objects.count() == 0


def test_analysts_see_and_export_the_tables() -> None:
    call_command("import", "cases", str(FIXTURE))
    client = signed_in("analyst")
    page = client.get("/staff/statistics/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Investigation complete" in body or "no suspect identified" in body.lower()
    csv = client.get("/staff/statistics/export.csv").content.decode()
    assert csv.splitlines()[0].startswith("period_type") or "period" in csv.splitlines()[0]
    workbook = load_workbook(io.BytesIO(client.get("/staff/statistics/export.xlsx").content))
    assert "By financial year" in workbook.sheetnames
    pdf = client.get("/staff/statistics/export.pdf")
    assert pdf.content.startswith(b"%PDF")
    svg = client.get("/staff/statistics/export.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<title" in svg.content
    formats = {e.detail["format"] for e in AuditEvent.objects.filter(action="stats.exported")}
    assert formats == {"csv", "xlsx", "pdf"}


def test_bad_dates_on_the_statistics_page_are_errors_not_500s() -> None:
    client = signed_in("analyst")
    response = client.get("/staff/statistics/?from=2020-13-01")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert client.get("/staff/statistics/?from=2021-01-01&to=2020-01-01").status_code == 400
    for odd in ("%C2%B2", "-1", "abc"):
        assert client.get(f"/staff/statistics/?suppress={odd}").status_code == 400
        assert client.get(f"/staff/statistics/export.csv?suppress={odd}").status_code == 400


def test_a_range_that_ends_before_it_starts_is_explained_on_the_to_date() -> None:
    client = signed_in("analyst")
    response = client.get("/staff/statistics/?from=2021-01-01&to=2020-01-01")
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    message = "The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date"
    assert f'<a href="#to">{message}</a>' in body
    assert 'id="to-error"' in body
    assert "govuk-form-group--error" in body
    assert (
        client.get("/staff/statistics/export.csv?from=2021-01-01&to=2020-01-01").status_code == 400
    )


def test_the_statistics_page_names_its_date_in_words() -> None:
    body = signed_in("analyst").get("/staff/statistics/").content.decode()
    assert "recorded_on" not in body
    assert "date recorded" in body
