"""Reports as casework: risk flags, the triage queue, and changes to a case."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Max, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import Case, Report

#: How much each flag weighs in the queue order (higher first, then oldest first).
RISK_WEIGHTS = {"self_harm": 8, "under_18": 4, "deadline_soon": 4, "content_shared": 2, "paid": 1}
DEADLINE_SOON = timedelta(hours=24)


def case_for(report: Report) -> Case:
    """The report's case, opened when the person first sends it."""
    case, _ = Case.objects.get_or_create(
        report=report, defaults={"reference": report.reference, "recorded_on": None}
    )
    return case


def refresh_risk(report: Report, record: Mapping[str, Any]) -> Case:
    """Recompute the sent report's risk flags from what was sent of its record (`only_shared`)
    and the person's triage answers (which the record keeps under "triage")."""
    answers: Mapping[str, Any] = record.get("triage") or {}
    case = case_for(report)
    deadlines = [
        _local(demand["deadline"]) for demand in record.get("demands", []) if "deadline" in demand
    ]
    upcoming = [d for d in deadlines if d >= timezone.now() - timedelta(hours=1)]
    # Flags only ever switch on: a later edit of the record must not hide an earlier answer.
    case.under_18 = report.under_18 is True
    case.self_harm = case.self_harm or answers.get("self_harm") is True
    case.content_shared = (
        case.content_shared
        or answers.get("images") == "shared"
        or bool(record.get("posted", {}).get("links"))
    )
    case.paid = case.paid or answers.get("paid") is True or bool(record.get("payments"))
    case.next_deadline = min(upcoming) if upcoming else None
    case.save()
    return case


def clear_risk(case: Case) -> None:
    """Forget the flags: the record they came from is withdrawn, or sent with other parts."""
    case.under_18 = case.self_harm = case.content_shared = case.paid = False
    case.next_deadline = None
    case.save(update_fields=["under_18", "self_harm", "content_shared", "paid", "next_deadline"])


def _local(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def triage_queue(**filters: Any) -> QuerySet[Case]:
    """Cases from reports people sent us, most at risk first, then oldest first. A case exists
    only once its record was sent; a withdrawn one shows only when asked for by status."""
    soon = timezone.now() + DEADLINE_SOON
    conditions = [
        When(**{flag: True}, then=Value(weight))
        for flag, weight in RISK_WEIGHTS.items()
        if flag != "deadline_soon"
    ]
    conditions.append(When(next_deadline__lte=soon, then=Value(RISK_WEIGHTS["deadline_soon"])))
    score = sum(
        (When_(c, default=Value(0), output_field=IntegerField()) for c in conditions[1:]),
        start=When_(conditions[0], default=Value(0), output_field=IntegerField()),
    )
    last_note = Coalesce(Max("notes__at"), F("report__updated_at"))
    return (
        Case.objects.filter(imported=False, report__isnull=False)
        .select_related("report", "assignee")
        .annotate(risk=score, last_activity=Greatest("report__updated_at", last_note))
        .filter(**filters)
        .order_by("-risk", "created_at")
    )


def deadline_soon(case: Case) -> bool:
    """Whether the case has a deadline within the next 24 hours (or just passed)."""
    return case.next_deadline is not None and case.next_deadline <= timezone.now() + DEADLINE_SOON
