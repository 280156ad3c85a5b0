"""The case page as a caseworker uses it: forms that survive being saved unchanged, and an
action log a person can read."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from dontpay.accounts.models import AuditEvent
from dontpay.cases.forms import CaseForm
from dontpay.cases.models import Case, CaseNote

from ..accounts.staff import signed_in
from ..forms import submitted_unchanged
from .factories import sent_report

pytestmark = pytest.mark.django_db

CASEWORK_FIELDS = list(CaseForm.Meta.fields)


def _case(**police_record: object) -> Case:
    report = sent_report("GB", under_18=False)
    Case.objects.filter(report=report).update(**police_record)
    return Case.objects.get(report=report)


def _row(case: Case) -> dict[str, object]:
    case.refresh_from_db()
    return model_to_dict(case, fields=CASEWORK_FIELDS)


@pytest.mark.parametrize(
    "police_record",
    [
        pytest.param({"recorded_on": date(2026, 11, 30)}, id="recorded only"),
        pytest.param(
            {
                "status": Case.CLOSED,
                "force": "West Midlands Police",
                "crime_reference": "20/123456/26",
                "offence": "blackmail",
                "recorded_on": date(2026, 11, 1),
                "outcome_code": 18,
                "outcome_date": date(2026, 11, 20),
                "payment_made": True,
                "amount_paid": Decimal("250.00"),
                "currency": "GBP",
                "suspect_identified": False,
            },
            id="with an outcome",
        ),
        pytest.param({}, id="empty"),
    ],
)
def test_saving_the_case_form_unchanged_changes_nothing(police_record: dict[str, object]) -> None:
    client = signed_in("caseworker")
    case = _case(**police_record)
    if police_record:
        Case.objects.filter(pk=case.pk).update(assignee=get_user_model().objects.get())
    before = _row(case)
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    if police_record.get("recorded_on"):
        assert f'value="{police_record["recorded_on"]:%Y-%m-%d}"' in page
    response = client.post(f"/staff/cases/{case.reference}/", submitted_unchanged(page, "status"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _row(case) == before
    changed = AuditEvent.objects.get(action="case.changed").detail
    assert set(changed) <= {"request_id"}, changed


def test_changing_only_the_status_keeps_the_dates() -> None:
    client = signed_in("caseworker")
    case = _case(recorded_on=date(2026, 11, 30))
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    data = submitted_unchanged(page, "status") | {"status": Case.TRIAGED}
    assert client.post(f"/staff/cases/{case.reference}/", data).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.recorded_on) == (Case.TRIAGED, date(2026, 11, 30))


def test_every_date_on_every_form_is_an_iso_date_picker() -> None:
    import importlib
    import pkgutil

    from django import forms

    import dontpay
    from dontpay.site.forms import IsoDateInput

    for module in pkgutil.walk_packages(dontpay.__path__, "dontpay."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    seen = []

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    for form in subclasses(forms.BaseForm):
        if not form.__module__.startswith("dontpay."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField):
                seen.append(name)
                assert isinstance(field.widget, IsoDateInput), (form, name)
    assert {"recorded_on", "outcome_date"} <= set(seen)


def test_the_action_log_reads_like_the_form() -> None:
    client = signed_in("caseworker")
    case = _case(recorded_on=date(2026, 11, 30))
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    data = submitted_unchanged(page, "status") | {
        "payment_made": "true",
        "status": Case.TRIAGED,
        "outcome_code": "18",
        "outcome_date": "2026-12-01",
    }
    response = client.post(f"/staff/cases/{case.reference}/", data, follow=True)
    note = CaseNote.objects.get(case=case).text
    assert "Payment made: not known \u2192 yes" in note
    assert "Status: New \u2192 Triaged" in note
    assert "Home Office outcome type: 0: " in note
    assert "Outcome date: none \u2192 1 December 2026" in note
    assert "_" not in note
    assert "None" not in note
    assert "True" not in note
    body = response.content.decode()
    assert "govuk-notification-banner--success" in body
    assert "Case saved" in body
    assert AuditEvent.objects.get(action="case.changed").detail["payment_made"] == " -> True"


def test_form_labels_are_the_model_verbose_names() -> None:
    form = CaseForm()
    for name in CASEWORK_FIELDS:
        verbose = str(Case._meta.get_field(name).verbose_name)
        assert form.fields[name].label.lower() == verbose.lower(), name
    assert form.fields["recorded_on"].label == "Date recorded"
