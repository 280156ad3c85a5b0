"""Background work on evidence: reading the text in screenshots, so that a wallet or a phone
number that only appears in a picture still links the report to others, and reading a whole
record again for indicators after a section of it was saved.

OCR takes seconds per image, so it never runs in the person's request: adding a screenshot
queues `read_screenshot`, and a worker (`dontpay worker`) runs it. The worker holds only the
organisation's key, so it reads a screenshot only if the person agreed to linking and sent that
screenshot to us; anything else it cannot decrypt, and does not try.
"""

import logging

from django.db import transaction
from django.tasks import task

from dontpay.cases.evidence import read_evidence
from dontpay.cases.models import EvidenceItem, Report
from dontpay.domain.evidence.checked import SCREENSHOT

from .models import EvidenceText

logger = logging.getLogger(__name__)

#: Evidence the worker may read for linking: sent to us, from a report whose author agreed.
READABLE_FOR_LINKING = {
    "shared": True,
    "report__sent_at__isnull": False,
    "report__link_consent_at__isnull": False,
}


@task()
def read_screenshot(evidence_id: int) -> None:
    """Read the text in one screenshot, store it encrypted, and re-index the report's OCR text.

    Does nothing if the item or its report was deleted meanwhile; the text is never logged.
    """
    # The indicator parsers load only here, in the worker: the web process that queues this
    # task after every upload never needs them. The OCR engine runs in a child process.
    from .ocr_process import ocr_process
    from .scanning import scan_screenshot_texts, seal_screenshot_text

    item = (
        EvidenceItem.objects.select_related("report")
        .filter(pk=evidence_id, kind=SCREENSHOT, report__deleted_at__isnull=True)
        .filter(**READABLE_FOR_LINKING)
        .first()
    )
    if item is None:
        return
    text = ocr_process.read_image_text(read_evidence(item))
    with transaction.atomic():
        # Deleting the report or the item locks the report, so this sees either all or none.
        report = (
            Report.objects.select_for_update()
            .filter(pk=item.report_id, deleted_at__isnull=True)
            .first()
        )
        if report is None or not EvidenceItem.objects.filter(pk=item.pk).exists():
            return
        EvidenceText.objects.update_or_create(
            evidence=item, defaults={"text": seal_screenshot_text(item, text)}
        )
    scan_screenshot_texts(report)


def read_shared_screenshots_later(report_id: int) -> None:
    """Queue `read_screenshot` for each screenshot of the report that may be read for linking."""
    shared = EvidenceItem.objects.filter(report_id=report_id, kind=SCREENSHOT)
    for evidence_id in shared.filter(**READABLE_FOR_LINKING).values_list("pk", flat=True):
        read_screenshot_later(evidence_id)


def read_screenshot_later(evidence_id: int) -> None:
    """Queue `read_screenshot`; called once the item is committed. A queue that cannot be
    reached costs only the indicators, never the person's upload, so it is logged, not raised."""
    try:
        read_screenshot.enqueue(evidence_id)
    except Exception as problem:
        logger.error(
            "Queueing OCR of evidence item %s failed: %s", evidence_id, type(problem).__name__
        )


@task()
def rescan_record(report_id: int) -> None:
    """Index a sent record again for indicators after its owner saved a section of it, so that
    their request only saves. Does nothing once the record is no longer sent or linked (its
    index then stays as it was, or was removed with the consent)."""
    from .scanning import scan_saved_record

    readable = Report.objects.filter(
        pk=report_id,
        deleted_at__isnull=True,
        sent_at__isnull=False,
        link_consent_at__isnull=False,
    )
    if readable.exists():
        scan_saved_record(report_id)


def rescan_record_later(report_id: int) -> None:
    """Queue `rescan_record`; a queue that cannot be reached is logged, as for OCR."""
    try:
        rescan_record.enqueue(report_id)
    except Exception as problem:
        logger.error("Queueing indexing of report %s failed: %s", report_id, type(problem).__name__)


@task()
def relink_report(report_id: int) -> int | None:
    """Relink one report by its indexed indicators, in the background: for bulk work (an
    import of many reports, a change that touches hundreds) that no request should wait for.
    Any number of workers may run these at once: linking takes a lock, so the clusters come out
    as a full recompute would make them. Returns the report's cluster id, or None."""
    from .linking import link_report

    if not Report.objects.filter(pk=report_id, deleted_at__isnull=True).exists():
        return None
    return link_report(report_id)


@task()
def build_referral_pack(prepared_id: int) -> None:
    """Build a referral pack a staff member asked for (`prepared_referrals`), in a child process
    that hands its memory back when it is done (`referral_process`)."""
    from .referral_process import build_in_child

    build_in_child(prepared_id)
