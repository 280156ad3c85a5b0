"""Appending to and checking each report's custody chain, with its head signed."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from dontpay.domain.custody import CustodyEvent as ChainEvent
from dontpay.domain.custody import next_event, sign_head, verify_chain, verify_head

from .models import CustodyEvent, Report
from .vault import organisation_keys


def as_chain_event(row: CustodyEvent) -> ChainEvent:
    """A stored row as the domain's event."""
    return ChainEvent(
        sequence=row.sequence,
        kind=row.kind,
        at=row.at,
        actor=row.actor,
        detail=dict(row.detail),
        previous_hash=row.previous_hash,
        hash=row.hash,
    )


def chain_of(report: Report) -> list[ChainEvent]:
    """The report's events, oldest first."""
    return [as_chain_event(row) for row in report.custody.order_by("sequence")]


def record_event(
    report: Report, kind: str, actor: str, detail: Mapping[str, str | int] | None = None
) -> ChainEvent:
    """Append an event and re-sign the head. Details never hold what the person wrote."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        last = locked.custody.order_by("-sequence").first()
        event = next_event(
            as_chain_event(last) if last else None, kind, actor, detail or {}, timezone.now()
        )
        CustodyEvent.objects.create(
            report=locked,
            sequence=event.sequence,
            kind=event.kind,
            at=event.at,
            actor=event.actor,
            detail=event.detail,
            previous_hash=event.previous_hash,
            hash=event.hash,
        )
        signature = sign_head(organisation_keys().signing_key, locked.reference, event)
        Report.objects.filter(pk=locked.pk).update(head_signature=signature)
        report.head_signature = signature
    return event


def custody_problems(report: Report) -> list[str]:
    """What is wrong with the report's chain and its signed head (empty when sound)."""
    events = chain_of(report)
    problems = verify_chain(events)
    if events and not problems:
        public_key = organisation_keys().signing_key.public_key()
        if not verify_head(public_key, report.reference, events[-1], bytes(report.head_signature)):
            problems.append(f"event {events[-1].sequence}: head signature does not match")
    return problems
