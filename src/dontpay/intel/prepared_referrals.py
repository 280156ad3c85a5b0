"""Referral packs built by a worker and kept sealed until whoever asked for one downloads it.

A cluster's pack takes about a minute to build for 200 reports, and a process building it
hundreds of MB (benchmarks/referral_pack.py): too much for a web request, so the request only
asks for it (`request_referral`); the task `build_referral_pack` builds it in a child process of
the worker (`referral_process`), which seals it in the vault (`build_prepared_referral`). It is
handed out once, to the staff member who asked (`take_for_download`), and deleted as it is.
Housekeeping deletes any not downloaded within `KEPT_FOR`, and any holding a report whose author
has since changed what they share (withdrawn, other sections, consent to linking taken back,
deleted).

The audit trail records who asked (`cluster.export-requested`, by the view), the build on their
behalf (`cluster.exported` and a `case.referred` per sent report, as when packs were built in the
request) and who downloaded it (`cluster.downloaded`, by the view).
"""

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dontpay.accounts.audit import audit_for_staff
from dontpay.cases.models import EvidenceItem, Report
from dontpay.cases.vault import organisation_keys, vault
from dontpay.domain.correlate import EmptyCluster
from dontpay.domain.custody import new_data_key, unwrap_data_key, wrap_data_key

from .models import ClusterMembership, PreparedReferral
from .tasks import build_referral_pack

logger = logging.getLogger(__name__)

#: How long a pack is kept for its download, counted from when it was asked for.
KEPT_FOR = timedelta(hours=1)


class _Discarded(Exception):
    """The pack was deleted (expired, or discarded) while it was being built."""


def request_referral(cluster_id: int, username: str) -> PreparedReferral:
    """Queue the building of a cluster's pack for `username`, or give the one already being
    prepared for them (a form sent again, from Back or a second tab, builds nothing twice). A
    queue that cannot be reached fails the pack at once, so its page says so instead of waiting."""
    preparing = _kept(cluster_id, username).filter(state=PreparedReferral.PREPARING).first()
    if preparing is not None:
        return preparing
    prepared = PreparedReferral.objects.create(cluster=cluster_id, requested_by=username)
    try:
        build_referral_pack.enqueue(prepared.pk)
    except Exception as problem:
        logger.error("Queueing referral pack %s failed: %s", prepared.pk, type(problem).__name__)
        fail(prepared.pk, PreparedReferral.ERROR)
        prepared.refresh_from_db()
    return prepared


def build_prepared_referral(prepared_id: int) -> None:
    """Build the pack, seal it under a new data key and store it in the vault; does nothing if
    it was deleted meanwhile. The export is recorded (in the sent reports' chains and in the
    audit trail, for whoever asked) only together with the stored pack."""
    # Imported here: the worker itself, which fails packs and deletes stale ones, never loads
    # the exports' libraries; only the child process that builds a pack does.
    from .referral import referral_pack

    prepared = PreparedReferral.objects.filter(
        pk=prepared_id, state=PreparedReferral.PREPARING
    ).first()
    if prepared is None:
        return
    # Read before the pack, so that any change made while it is built is seen at download.
    members = ClusterMembership.objects.filter(cluster=prepared.cluster)
    sharing = sharing_now(members.values_list("report_id", flat=True))
    key, stored = new_data_key(), None
    try:
        with transaction.atomic():
            pack = referral_pack(prepared.cluster, actor=f"staff:{prepared.requested_by}")
            stored = vault().store(key, pack.data)
            wrapped = wrap_data_key(organisation_keys().encryption_key, key, _sealed_as(prepared))
            ready = PreparedReferral.objects.filter(
                pk=prepared.pk, state=PreparedReferral.PREPARING
            ).update(
                state=PreparedReferral.READY,
                blob_id=stored.blob_id,
                wrapped_key=wrapped,
                size=stored.size,
                sent_references=list(pack.sent_references),
                sharing={str(i): sharing.get(str(i), "") for i in pack.report_ids},
            )
            if not ready:
                raise _Discarded()
            _audit_export(prepared, pack.sent_references)
    except EmptyCluster:
        fail(prepared.pk, PreparedReferral.NO_CLUSTER)
    except BaseException as problem:
        if stored is not None:
            vault().remove(stored.blob_id)
        if not isinstance(problem, _Discarded):
            raise


def _audit_export(prepared: PreparedReferral, sent_references: Iterable[str]) -> None:
    sent = list(sent_references)
    target = f"cluster {prepared.cluster}"
    username = prepared.requested_by
    audit_for_staff(
        username, "cluster.exported", target, format="referral-pack", reports_sent=len(sent)
    )
    for reference in sent:
        audit_for_staff(username, "case.referred", reference, cluster=prepared.cluster)


def fail(prepared_id: int, problem: str) -> None:
    """Mark a pack that is still being prepared as failed, saying why."""
    PreparedReferral.objects.filter(pk=prepared_id, state=PreparedReferral.PREPARING).update(
        state=PreparedReferral.FAILED, problem=problem
    )


def own_referral(prepared_id: int, cluster_id: int, username: str) -> PreparedReferral | None:
    """The pack by this id, if `username` asked for it, for this cluster, and it is not expired."""
    return _kept(cluster_id, username).filter(pk=prepared_id).first()


def latest_referral(cluster_id: int, username: str) -> PreparedReferral | None:
    """The latest pack of this cluster that `username` asked for and that is still kept."""
    return _kept(cluster_id, username).order_by("-requested_at", "-pk").first()


def _kept(cluster_id: int, username: str) -> QuerySet[PreparedReferral]:
    """The packs of this cluster that `username` asked for and that are not yet expired."""
    return PreparedReferral.objects.filter(
        cluster=cluster_id, requested_by=username, requested_at__gt=timezone.now() - KEPT_FOR
    )


def kept_until(prepared: PreparedReferral) -> datetime:
    """When the pack is deleted if nobody downloads it."""
    return prepared.requested_at + KEPT_FOR


def take_for_download(prepared: PreparedReferral) -> bytes | None:
    """The pack's ZIP, handed out once: it is deleted as it is taken (its file once the caller's
    transaction commits). None if it is not ready, was taken already, or holds a report that
    has changed what it shares since (then it is deleted, unread)."""
    with transaction.atomic():
        locked = (
            PreparedReferral.objects.select_for_update()
            .filter(pk=prepared.pk, state=PreparedReferral.READY)
            .first()
        )
        if locked is None:
            return None
        sealed_as, blob_id, store = _sealed_as(locked), locked.blob_id, vault()
        locked.delete()
        transaction.on_commit(lambda: store.remove(blob_id))
        if changed_since_built(locked):
            return None
        key = unwrap_data_key(
            organisation_keys().encryption_key, bytes(locked.wrapped_key), sealed_as
        )
        return store.open(key, blob_id)


def discard_stale_referrals() -> int:
    """Delete every pack kept longer than `KEPT_FOR` (whatever its state) and every ready one
    holding a report that has changed what it shares; how many were deleted."""
    cutoff = timezone.now() - KEPT_FOR
    stale = [
        prepared
        for prepared in PreparedReferral.objects.all()
        if prepared.requested_at <= cutoff
        or (prepared.state == PreparedReferral.READY and changed_since_built(prepared))
    ]
    for prepared in stale:
        PreparedReferral.objects.filter(pk=prepared.pk).delete()
        if prepared.blob_id:
            vault().remove(prepared.blob_id)
    return len(stale)


def prepared_blob_ids() -> set[str]:
    """The vault blobs that hold packs waiting for their download."""
    return set(PreparedReferral.objects.exclude(blob_id="").values_list("blob_id", flat=True))


def changed_since_built(prepared: PreparedReferral) -> bool:
    """Whether a report in the pack shares something else now than when it was built."""
    built: dict[str, str] = prepared.sharing
    return sharing_now(int(report_id) for report_id in built) != built


def sharing_now(report_ids: Iterable[int]) -> dict[str, str]:
    """A digest of what each report shares now, by report id (as text, for JSON): whether and
    when it was sent, its sections and files, its consent to linking, whether it was deleted."""
    ids = list(report_ids)
    items: dict[int, list[int]] = defaultdict(list)
    shared = EvidenceItem.objects.filter(report_id__in=ids, shared=True).order_by("pk")
    for report_id, item_id in shared.values_list("report_id", "pk"):
        items[report_id].append(item_id)
    reports = Report.objects.filter(pk__in=ids).values_list(
        "pk", "sent_at", "shared_sections", "link_consent_at", "deleted_at"
    )
    return {
        str(pk): hashlib.sha256(
            json.dumps([str(sent), sections, items[pk], str(consent), str(deleted)]).encode()
        ).hexdigest()
        for pk, sent, sections, consent, deleted in reports
    }


def _sealed_as(prepared: PreparedReferral) -> str:
    """What the pack's data key is bound to when wrapped, so it unwraps for this pack only."""
    return f"referral-pack:{prepared.pk}"
