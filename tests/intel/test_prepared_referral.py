"""Referral packs prepared by the real worker: the page that waits for one without JavaScript,
the pack sealed in the vault until its one download, and deleted when it expires or when a
report in it changes what its author shares."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dontpay.accounts.models import AuditEvent
from dontpay.cases.custody import chain_of
from dontpay.cases.evidence import referenced_blob_ids, sweep_orphans
from dontpay.cases.sharing import withdraw_linking_consent, withdraw_report
from dontpay.cases.vault import vault
from dontpay.domain.custody import verify_pack
from dontpay.intel.models import PreparedReferral
from dontpay.intel.prepared_referrals import KEPT_FOR
from dontpay.site.housekeeping import tidy_up

from ..accounts.staff import signed_in
from ..processes import dontpay, run_dontpay
from ..site.test_report_commands import run
from .test_referral_pack import SENT, Cluster, seed
from .test_worker_memory import IDLE_LIMIT, rss, unused_libraries_loaded, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def ask(analyst: Client, cluster: Cluster) -> str:
    """Ask for the cluster's referral pack; the URL of its page."""
    response = analyst.post(f"{cluster.url}referral/")
    assert response.status_code == 302
    return str(response["Location"])


def run_worker(**extra: str) -> None:
    """A real `dontpay worker` that runs what is queued, then exits."""
    worker = run_dontpay("worker", "--batch", extra=extra)
    assert worker.returncode == 0, worker.stderr


def prepared() -> PreparedReferral:
    (pack,) = PreparedReferral.objects.all()
    return pack


def test_the_page_checks_again_by_itself_until_the_pack_is_ready_and_then_offers_it() -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    page = ask(analyst, cluster)
    waiting = analyst.get(page)
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "5"
    assert "Preparing the referral pack" in waiting.text
    assert "Download the referral pack" not in waiting.text
    by_hand = analyst.get(f"{page}?refresh=off")
    assert "Refresh" not in by_hand
    assert "Check again" in by_hand.text
    assert "is being prepared" in analyst.get(cluster.url).text

    run_worker()
    ready = analyst.get(page)
    assert "Refresh" not in ready
    assert "The referral pack is ready" in ready.text
    assert "It holds 2 sent reports" in ready.text
    assert f'action="{page}download/"' in ready.text
    assert "is ready to download" in analyst.get(cluster.url).text

    assert verify_pack(analyst.post(f"{page}download/").content).valid
    gone = analyst.get(page)
    assert gone.status_code == 404
    assert "This referral pack is no longer available" in gone.text
    # A second download finds nothing: the pack was handed out once, then deleted.
    assert analyst.post(f"{page}download/")["Location"] == page
    assert AuditEvent.objects.filter(action="cluster.downloaded").count() == 1
    assert not PreparedReferral.objects.exists()
    assert "prepared-referral" not in analyst.get(cluster.url).text


def test_asking_again_while_a_pack_is_prepared_builds_it_once() -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    page = ask(analyst, cluster)
    assert ask(analyst, cluster) == page  # the form sent again, from Back or another tab
    assert PreparedReferral.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith=".build_referral_pack").count() == 1
    # Another analyst's request is their own pack; a ready pack is never handed out again.
    assert ask(signed_in("analyst", username="analyst-2"), cluster) != page
    run_worker()
    assert ask(analyst, cluster) != page


def test_a_waiting_pack_is_sealed_in_the_vault_kept_by_the_sweeper_and_removed_once_expired() -> (
    None
):
    cluster = seed()
    analyst = signed_in("analyst")
    page = ask(analyst, cluster)
    run_worker()
    pack = prepared()
    assert pack.state == PreparedReferral.READY
    sealed = vault().read_sealed(pack.blob_id)
    assert len(sealed) > pack.size > 10_000
    for plain in (b"PK\x03\x04", b"referral.json", SENT.encode(), cluster.sent.reference.encode()):
        assert plain not in sealed
    # Neither the orphan sweeper nor `dontpay verify` takes a waiting pack for a stray file.
    assert sweep_orphans(grace_seconds=0) == 0
    assert pack.blob_id in set(vault().blob_ids())
    assert run("verify")[2] == 0

    PreparedReferral.objects.filter(pk=pack.pk).update(
        requested_at=timezone.now() - KEPT_FOR - timedelta(minutes=1)
    )
    assert analyst.get(page).status_code == 404
    assert analyst.post(f"{page}download/")["Location"] == page
    tidy_up()
    assert not PreparedReferral.objects.exists()
    assert pack.blob_id not in set(vault().blob_ids())
    assert set(vault().blob_ids()) == referenced_blob_ids()
    assert not AuditEvent.objects.filter(action="cluster.downloaded")


def test_a_pack_is_not_given_out_once_a_report_in_it_changes_what_it_shares() -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    page = ask(analyst, cluster)
    run_worker()
    blob_id = prepared().blob_id
    withdraw_report(cluster.other)  # its author takes it back after the pack was built

    response = analyst.post(f"{page}download/")
    assert response["Location"] == page
    assert analyst.get(page).status_code == 404
    assert not PreparedReferral.objects.exists()
    assert blob_id not in set(vault().blob_ids())
    assert not AuditEvent.objects.filter(action="cluster.downloaded")

    # Housekeeping does not wait for a download to discard one.
    ask(analyst, cluster)
    run_worker()
    assert prepared().state == PreparedReferral.READY
    withdraw_linking_consent(cluster.private)  # linked but not sent: its label is in the pack
    tidy_up()
    assert not PreparedReferral.objects.exists()


def test_a_pack_that_cannot_be_stored_fails_and_is_not_recorded_as_exported(
    tmp_path: Path,
) -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    page = ask(analyst, cluster)
    before = chain_of(cluster.sent)[-1]
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    run_worker(DONTPAY_VAULT_DIR=str(not_a_folder / "vault"))
    assert (prepared().state, prepared().problem) == ("failed", PreparedReferral.ERROR)
    failed = analyst.get(page)
    assert "Refresh" not in failed
    assert "The referral pack could not be prepared" in failed.text
    assert "Try again" in failed.text
    assert chain_of(cluster.sent)[-1] == before
    assert not AuditEvent.objects.filter(action__in=("cluster.exported", "case.referred"))


def test_a_pack_for_a_cluster_that_has_gone_says_so() -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    page, cluster_id = ask(analyst, cluster), cluster.id
    for report in (cluster.sent, cluster.other, cluster.private):
        withdraw_linking_consent(report)
    run_worker()
    assert (prepared().state, prepared().problem) == ("failed", PreparedReferral.NO_CLUSTER)
    assert f"Cluster {cluster_id} no longer exists" in analyst.get(page).text


def test_the_worker_builds_packs_in_a_child_and_keeps_none_of_its_memory() -> None:
    cluster = seed()
    analyst = signed_in("analyst")
    worker = dontpay("worker", "--interval", "0.1")
    try:
        ask(analyst, cluster)
        wait_for("the pack was built", lambda: prepared().state != PreparedReferral.PREPARING)
        assert prepared().state == PreparedReferral.READY
        time.sleep(0.5)  # the task has returned: its child has exited
        assert "libpango" not in unused_libraries_loaded(worker.pid)
        assert rss(worker.pid) < IDLE_LIMIT
        assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait()
