"""Headers on every response, methods the evidence download answers, throttled guesses as 429,
and a permission table in which every permission guards something."""

import re
from pathlib import Path

import pytest
from django.test import Client

from dontpay.accounts.models import AuditEvent
from dontpay.accounts.roles import PERMISSIONS
from dontpay.cases.evidence import add_evidence

from ..accounts.staff import signed_in
from ..cases.factories import screenshot, sent_report
from ..help.test_protect import adult_client, fingerprints

ROOT = Path(__file__).resolve().parents[2]


def report_with_evidence() -> tuple[str, int, bytes]:
    content = screenshot()
    report = sent_report(
        "GB", under_18=False, fill=lambda r: add_evidence(r, "threat.png", content)
    )
    return report.reference, report.evidence.get().pk, content


def test_static_files_carry_the_csp_and_refuse_framing(client: Client) -> None:
    response = client.get("/static/dontpay/dontpay.js")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_host_gets_a_400_that_is_neither_cached_nor_framed(client: Client) -> None:
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_the_documented_csp_is_the_one_sent(client: Client) -> None:
    sent = client.get("/")["Content-Security-Policy"]
    documented = (ROOT / "docs" / "configuration.md").read_text()
    found = re.search(r"`Content-Security-Policy: ([^`]+)`", documented)
    assert found is not None
    assert " ".join(found[1].split()) == sent


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["options", "post", "put", "delete"])
def test_the_evidence_download_answers_only_get(method: str) -> None:
    reference, pk, content = report_with_evidence()
    client = signed_in("caseworker")
    response = getattr(client, method)(f"/staff/cases/{reference}/evidence/{pk}/")
    assert response.status_code == 405
    assert content not in response.content
    assert not AuditEvent.objects.filter(action="evidence.viewed").exists()


@pytest.mark.django_db
def test_too_many_pin_guesses_are_a_429() -> None:
    client = adult_client()
    sent = client.post("/protect/choose/", {"signals": fingerprints(1)}, follow=True).text
    case_number = re.search(r'data-testid="case-number">([^<]+)<', sent)
    assert case_number is not None
    statuses = [
        Client().post("/protect/check/", {"case_number": case_number[1], "pin": "00000000"})
        for _ in range(12)
    ]
    assert statuses[0].status_code == 400
    assert statuses[-1].status_code == 429
    assert "Too many attempts" in statuses[-1].text


def test_every_permission_guards_a_view() -> None:
    code = "\n".join(
        path.read_text()
        for path in (ROOT / "src" / "dontpay").rglob("*.py")
        if "roles" not in path.name
    )
    unused = [name for name in PERMISSIONS if f'"{name}"' not in code]
    assert unused == []
