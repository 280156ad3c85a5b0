"""Staff access: sign-in needs password and TOTP; every URL for every role follows the matrix;
every view of a case or its evidence is audited; the audit trail cannot be changed."""

import pytest
from django.core.management import call_command
from django.test import Client

from dontpay.accounts.models import AuditEvent
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import CaseNote

from ..cases.factories import screenshot, sent_report
from .staff import PASSWORD, current_code, signed_in

pytestmark = pytest.mark.django_db


def test_signing_in_needs_the_password_and_a_current_code() -> None:
    client = signed_in("caseworker")
    assert client.get("/staff/").status_code == 200
    other = Client()
    wrong_code = other.post(
        "/staff/login/", {"username": "caseworker-1", "password": PASSWORD, "code": "000000"}
    )
    assert wrong_code.status_code == 400
    assert "The username, password or code is not right" in wrong_code.content.decode()
    assert other.get("/staff/")["Location"].startswith("/staff/login/")


def test_staff_sessions_end_after_15_idle_minutes() -> None:
    client = signed_in("caseworker")
    session = client.session
    session["staff_seen"] -= 16 * 60
    session.save()
    assert client.get("/staff/")["Location"].startswith("/staff/login/")


def _report_with_evidence() -> tuple[str, int]:
    report = sent_report(
        "GB", under_18=False, fill=lambda r: add_evidence(r, "threat.png", screenshot())
    )
    return report.reference, report.evidence.get().pk


MATRIX = {
    # url template: roles allowed (anything else: anonymous → login, other roles → 403)
    "/staff/": {"caseworker", "admin"},
    "/staff/cases/{ref}/": {"caseworker", "admin"},
    "/staff/cases/{ref}/evidence/{pk}/": {"caseworker", "admin"},
    "/staff/cases/{ref}/evidence/{pk}/?thumbnail=1": {"caseworker", "admin"},
    "/staff/audit/": {"admin"},
    "/staff/statistics/": {"caseworker", "analyst", "admin"},
    "/staff/statistics/export.csv": {"caseworker", "analyst", "admin"},
    "/staff/statistics/export.svg": {"caseworker", "analyst", "admin"},
    "/staff/statistics/export.xlsx": {"caseworker", "analyst", "admin"},
    "/staff/statistics/export.pdf": {"caseworker", "analyst", "admin"},
    "/staff/audit/?format=csv": {"admin"},
    "/staff/intel/": {"analyst", "admin"},
    "/staff/intel/search/?q=07911+123456": {"analyst", "admin"},
    "/staff/intel/warninglist/": {"analyst", "admin"},
    "/staff/bank/": {"admin"},
}


@pytest.mark.parametrize("role", ["anonymous", "caseworker", "analyst", "admin", "victim"])
def test_every_url_for_every_role(role: str) -> None:
    reference, pk = _report_with_evidence()
    if role == "anonymous":
        client = Client()
    elif role == "victim":
        # A person holding another report open in their session has no staff access.
        client = Client()
        client.post("/report/", {"under_18": "no"})
    else:
        client = signed_in(role)
    for template, allowed in MATRIX.items():
        url = template.format(ref=reference, pk=pk)
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, (role, url, status)
        elif role in ("anonymous", "victim"):
            assert status == 302, (role, url, status)
        else:
            assert status == 403, (role, url, status)
    note = client.post(f"/staff/cases/{reference}/notes/", {"text": "called back"})
    expected_note = 302 if role != "analyst" else 403
    assert note.status_code == expected_note
    if role in ("anonymous", "victim", "analyst"):
        assert not CaseNote.objects.exists()
    pack = client.post(f"/staff/cases/{reference}/pack/")
    expected = (
        200 if role in ("caseworker", "admin") else 302 if role in ("anonymous", "victim") else 403
    )
    assert pack.status_code == expected


def test_a_victim_cannot_reach_another_report_with_their_own_session() -> None:
    _, pk = _report_with_evidence()
    victim = Client()
    victim.post("/report/", {"under_18": "no"})
    assert victim.get(f"/report/evidence/{pk}/thumbnail/").status_code == 404


def test_every_evidence_access_is_audited() -> None:
    reference, pk = _report_with_evidence()
    client = signed_in("caseworker")
    client.get(f"/staff/cases/{reference}/")
    client.get(f"/staff/cases/{reference}/evidence/{pk}/?thumbnail=1")
    original = client.get(f"/staff/cases/{reference}/evidence/{pk}/")
    assert original.content == screenshot()
    client.post(f"/staff/cases/{reference}/pack/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "target", "actor"))
    assert ("case.viewed", reference, "caseworker-1") in actions
    assert [a for a, _, _ in actions].count("evidence.viewed") == 2
    assert ("pack.exported", reference, "caseworker-1") in actions
    staff_events = AuditEvent.objects.exclude(actor="person")  # the person sent it, anonymously
    assert all(event.address == "127.0.0.1" for event in staff_events)


def test_a_change_is_audited_and_validated() -> None:
    reference, _ = _report_with_evidence()
    client = signed_in("caseworker")
    bad = client.post(f"/staff/cases/{reference}/", {"status": "closed", "outcome_code": "18"})
    assert bad.status_code == 400
    assert "Enter the date the outcome was recorded" in bad.content.decode()
    good = client.post(
        f"/staff/cases/{reference}/",
        {
            "status": "closed",
            "outcome_code": "18",
            "outcome_date": "2026-11-20",
            "recorded_on": "2026-11-01",
            "offence": "blackmail",
            "payment_made": "unknown",
            "suspect_identified": "false",
        },
    )
    assert good.status_code == 302
    event = AuditEvent.objects.get(action="case.changed")
    assert event.detail["outcome_code"] == "0 -> 18"
    assert event.detail["status"] == "new -> closed"
    refused = AuditEvent.objects.filter(action="case.viewed", detail__refused_change=1)
    assert refused.count() == 1  # the page shown again with errors is a view too


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount_paid": "-5"}, "amount_paid", "cannot be negative"),
        (
            {"payment_made": "false", "amount_paid": "500"},
            "amount_paid",
            "payment made cannot be no",
        ),
        (
            {"outcome_code": "8", "outcome_date": "2026-11-20", "suspect_identified": "false"},
            "suspect_identified",
            "suspect",
        ),
    ],
)
def test_the_case_form_refuses_what_the_statistics_could_not_count(
    change: dict[str, str], field: str, message: str
) -> None:
    reference, _ = _report_with_evidence()
    client = signed_in("caseworker")
    data = {
        "status": "new",
        "outcome_code": "0",
        "payment_made": "unknown",
        "suspect_identified": "unknown",
        **change,
    }
    response = client.post(f"/staff/cases/{reference}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_analysts_land_on_the_statistics() -> None:
    from dontpay.accounts.enrolment import create_staff

    create_staff("ana", "analyst", password=PASSWORD)
    response = Client().post(
        "/staff/login/", {"username": "ana", "password": PASSWORD, "code": current_code("ana")}
    )
    assert response["Location"] == "/staff/statistics/"


def test_the_pack_of_a_deleted_report_is_gone() -> None:
    from dontpay.cases.models import Report
    from dontpay.cases.reports import delete_report

    reference, _ = _report_with_evidence()
    delete_report(Report.objects.get(reference=reference))
    client = signed_in("caseworker")
    assert client.post(f"/staff/cases/{reference}/pack/").status_code == 404
    page = client.get(f"/staff/cases/{reference}/")
    assert page.status_code == 200
    assert "Its record and files have been destroyed" in page.text
    assert "threat.png" not in page.text
    assert not AuditEvent.objects.filter(action="pack.exported").exists()


def test_the_audit_trail_cannot_be_changed_or_deleted() -> None:
    client = signed_in("admin")
    client.get("/staff/audit/")
    event = AuditEvent.objects.create(actor="x", role="admin", action="a", target="t")
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")
    csv = b"".join(client.get("/staff/audit/?format=csv").streaming_content)
    assert csv.startswith(b"at,actor,role,action,target,address,detail")
    assert AuditEvent.objects.filter(action="audit.exported").exists()


def test_staff_create_prints_a_one_time_link_that_enrols(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("staff", "create", "newbie", "--role", "analyst")
    out = capsys.readouterr().out
    link = next(line for line in out.splitlines() if "/staff/enrol/" in line)
    path = link[link.index("/staff/") :]
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.get(user__username="newbie").confirmed is False
    response = client.post(
        path, {"password": "a long new password 42", "code": current_code("newbie")}
    )
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # used once
    assert TOTPDevice.objects.get(user__username="newbie").confirmed is True
