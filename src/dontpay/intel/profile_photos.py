"""The offender's profile photo: a screenshot the person marks as the picture on the account
that contacted them. Criminal groups reuse the same stolen photos across many fake profiles, so
its PDQ hash can find other reports with the same face, even re-cropped or recompressed."""

from django.db import transaction

from dontpay.cases.custody import record_event
from dontpay.cases.evidence import read_evidence
from dontpay.cases.models import EvidenceItem, Report
from dontpay.domain.evidence.checked import SCREENSHOT
from dontpay.domain.signals.pdq import pdq_hash_file

from .models import ProfilePhoto


class NotAnImage(ValueError):
    """Only an image can be a profile photo."""


def mark_profile_photo(item: EvidenceItem, actor: str = "person") -> ProfilePhoto:
    """Mark an image as the offender's profile photo, storing its PDQ hash."""
    if item.kind != SCREENSHOT:
        raise NotAnImage(f"evidence item {item.pk} is a {item.kind}, not an image")
    pdq = pdq_hash_file(read_evidence(item))
    with transaction.atomic():
        photo, created = ProfilePhoto.objects.update_or_create(
            evidence=item,
            defaults={"report": item.report, "pdq": pdq.hex, "quality": pdq.quality},
        )
        if created:
            _record_change(item, actor, marked=True)
    return photo


def unmark_profile_photo(item: EvidenceItem, actor: str = "person") -> None:
    """The image is not their profile photo after all: forget its hash."""
    with transaction.atomic():
        deleted, _ = ProfilePhoto.objects.filter(evidence=item).delete()
        if deleted:
            _record_change(item, actor, marked=False)


def profile_photo_ids(report: Report) -> set[int]:
    """The evidence items of this report marked as a profile photo."""
    return set(ProfilePhoto.objects.filter(report=report).values_list("evidence_id", flat=True))


def _record_change(item: EvidenceItem, actor: str, *, marked: bool) -> None:
    record_event(
        item.report,
        "field-changed",
        actor,
        {"item": item.pk, "profile_photo": "marked" if marked else "unmarked"},
    )
