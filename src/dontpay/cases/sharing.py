"""The person's two consents: sending their record to the organisation, and letting the
offender's details link it to other reports. Each can be given, changed and taken back.

Both need the record's data key in hand (the person's own request, see
`vault.holding_owner_key`): sending wraps the key for the organisation, and linking reads the
record once to find the offender's details. What staff can see follows from these fields alone.
"""

from collections.abc import Collection
from functools import partial

from django.db import transaction
from django.utils import timezone

from dontpay.accounts.audit import audit_by_person
from dontpay.domain.reports import SECTIONS

from .casefiles import case_for, clear_risk, refresh_risk
from .custody import record_event
from .models import Case, Report
from .reports import only_shared, read_record
from .vault import data_key, organisation_wrapping


class NothingChosen(ValueError):
    """A record was to be sent with no section and no file in it."""


def send_report(
    report: Report, sections: Collection[str], item_ids: Collection[int], actor: str = "person"
) -> Case:
    """Send the record with these sections and files (replacing any earlier choice), open or
    reopen its case, and let the organisation unwrap its key. Raises `NothingChosen`."""
    chosen = [s.slug for s in SECTIONS if s.slug in sections]
    items = set(report.evidence.filter(pk__in=item_ids).values_list("pk", flat=True))
    if not chosen and not items:
        raise NothingChosen("choose at least one part of your record to send")
    key = data_key(report)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        first = locked.sent_at is None
        locked.wrapped_key = organisation_wrapping(key, locked.reference)
        locked.sent_at = locked.sent_at or timezone.now()
        locked.shared_sections = chosen
        locked.save(update_fields=["wrapped_key", "sent_at", "shared_sections", "updated_at"])
        locked.evidence.update(shared=False)
        locked.evidence.filter(pk__in=items).update(shared=True)
        clear_risk(case_for(locked))  # worked out again from what is sent now
        case = refresh_risk(locked, only_shared(locked, read_record(locked)))
        if case.status == Case.WITHDRAWN:
            case.status = Case.NEW
            case.save(update_fields=["status"])
        detail = {"sections": ",".join(chosen), "items": ",".join(map(str, sorted(items)))}
        record_event(locked, "sent", actor, detail)
        audit_by_person("report.sent" if first else "report.sharing-changed", case.reference)
        if locked.link_consent_at:  # screenshots can be read for linking only once sent
            transaction.on_commit(partial(_read_shared_screenshots, locked.pk))
    report.refresh_from_db()
    return case


def withdraw_report(report: Report, actor: str = "person") -> None:
    """Take the record back: the organisation's wrapping of its key is destroyed, so staff
    can no longer read it, and its case closes as withdrawn (kept, without content)."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.sent_at is None:
            return
        locked.wrapped_key = b""
        locked.sent_at = None
        locked.shared_sections = []
        locked.save(update_fields=["wrapped_key", "sent_at", "shared_sections", "updated_at"])
        locked.evidence.update(shared=False)
        case = case_for(locked)
        clear_risk(case)
        case.status = Case.WITHDRAWN
        case.save(update_fields=["status"])
        record_event(locked, "withdrawn", actor, {})
        audit_by_person("report.withdrawn", case.reference)
    report.refresh_from_db()


def consent_to_linking(report: Report) -> None:
    """Let the offender's details in this record link it to other reports, and index them."""
    from dontpay.intel.scanning import scan_record  # intel builds on cases, not back

    record = read_record(report)
    Report.objects.filter(pk=report.pk).update(link_consent_at=timezone.now())
    report.refresh_from_db()
    scan_record(report, record)
    if report.is_sent:
        _read_shared_screenshots(report.pk)


def withdraw_linking_consent(report: Report) -> None:
    """Take the offender's details out of the index; clusters are recomputed without them."""
    from dontpay.intel.linking import unindex_report  # as above

    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(link_consent_at=None)
        report.refresh_from_db()
        unindex_report(report)


def _read_shared_screenshots(report_id: int) -> None:
    from dontpay.intel.tasks import read_shared_screenshots_later  # as above

    read_shared_screenshots_later(report_id)
