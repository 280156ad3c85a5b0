"""The restore drill: a deployment with reports, evidence, clusters, a bank and cases is backed
up, restored into a fresh database and vault, and still verifies — counts match, and a report
pack made before the backup still verifies against the restored deployment's key."""

import base64
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from dontpay.bank.models import BankEntry, SignalChange
from dontpay.bank.shown import note_answer_shown, note_feed_page_shown
from dontpay.bank.submissions import submit_signals
from dontpay.bank.tokens import create_token
from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Case, EvidenceItem, Report
from dontpay.cases.pack import report_pack
from dontpay.cases.reports import add_item, create_report
from dontpay.cases.sharing import consent_to_linking, send_report
from dontpay.cases.vault import holding_owner_key, organisation_keys
from dontpay.domain.reports import section
from dontpay.intel.models import ClusterMembership
from tests.cases.factories import screenshot
from tests.processes import run_dontpay
from tests.s3 import S3Endpoint

pytestmark = pytest.mark.django_db(transaction=True)

WALLET = "bc1qm34lsc65zpw79lxes69zkqmk6ee3ewf0j77s3h"
PHOTO = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def fill_deployment() -> bytes:
    """Reports with evidence, two linked into a cluster, a bank submission and cases; returns a
    report pack made now."""
    linked = []
    for number in range(2):
        new = create_report("GB", under_18=False)
        report = new.report
        with holding_owner_key(report.pk, new.key):
            add_item(report, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET})
            item = add_evidence(report, f"chat-{number}.png", screenshot(f"Pay {WALLET} now"))
            send_report(report, {"payment-details"}, [item.pk])
            consent_to_linking(report)
        linked.append(report)
    create_report("GB")  # and one kept private by its author
    submit_signals([("pdq", PHOTO, 90)], "web")
    # A platform was answered with the entry, and given it by the feed: its right to give
    # feedback on it is kept in the backup too.
    platform = create_token("Example Platform", ["match", "signals", "feedback"]).token
    note_answer_shown(platform, [[BankEntry.objects.get().pk]], lambda entry: entry)
    note_feed_page_shown(platform, 0, SignalChange.objects.get().pk)
    assert (
        ClusterMembership.objects.filter(report__in=linked).values("cluster").distinct().count()
        == 1
    )
    assert EvidenceItem.objects.count() == 2
    assert Case.objects.count() == 2
    return report_pack(linked[0])


@pytest.fixture
def fresh_database_url() -> Iterator[str]:
    """The URL of a new, empty database of the same kind as the test's."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        (settings.DATA_DIR.parent / "fresh").mkdir()
        yield f"sqlite:///{settings.DATA_DIR.parent / 'fresh' / 'restored.sqlite3'}"
        return
    name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        admin["password"] = db["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    try:
        yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DONTPAY_DATA_DIR": str(data_dir),
        "DONTPAY_VAULT_DIR": str(data_dir / "vault"),
    }


def test_a_backup_restores_into_a_fresh_deployment_that_verifies(
    tmp_path: Path, fresh_database_url: str
) -> None:
    pack = fill_deployment()
    counts = {"reports": Report.objects.count(), "files": EvidenceItem.objects.count()}

    backup = run_dontpay("backup", str(tmp_path / "backup"), "--json")
    assert backup.returncode == 0, backup.stderr
    assert "master key is NOT in this backup" in backup.stderr
    assert json.loads(backup.stdout)["master_key_included"] is False
    assert not list((tmp_path / "backup").rglob("master.key"))
    rows = json.loads((tmp_path / "backup" / "manifest.json").read_text())["rows"]
    assert (rows["bank_entryshown"], rows["bank_feedrangeshown"]) == (1, 1)
    blobs = list((tmp_path / "backup" / "vault").rglob("*"))
    assert not any(b"Pay " + WALLET.encode() in p.read_bytes() for p in blobs if p.is_file())

    # A new machine: empty database and vault; the master key, kept apart, is put in place.
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    shutil.copy2(settings.DATA_DIR / "master.key", restored_dir / "master.key")
    env = restored_environment(fresh_database_url, restored_dir)
    assert run_dontpay("migrate", extra=env).returncode == 0  # as an operator might, first

    restore = run_dontpay("restore", str(tmp_path / "backup"), "--json", extra=env)
    assert restore.returncode == 0, restore.stderr
    assert json.loads(restore.stdout)["missing_blobs"] == 0

    verify = run_dontpay("verify", "--json", extra=env)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    summary = json.loads(verify.stdout)
    assert (summary["reports"], summary["files"], summary["problems"]) == (
        counts["reports"],
        counts["files"],
        [],
    )

    (tmp_path / "pack.zip").write_bytes(pack)
    (tmp_path / "key.pem").write_bytes(organisation_keys().public_key_pem())
    checked = run_dontpay(
        "pack",
        "verify",
        str(tmp_path / "pack.zip"),
        "--public-key",
        str(tmp_path / "key.pem"),
        extra=env,
    )
    assert checked.returncode == 0, checked.stderr

    # Restoring again over what is now a full deployment is refused, and changes nothing.
    again = run_dontpay("restore", str(tmp_path / "backup"), extra=env)
    assert again.returncode == 2
    assert "not empty" in again.stderr


def test_a_restore_refuses_a_missing_or_wrong_master_key(
    tmp_path: Path, fresh_database_url: str
) -> None:
    create_report("GB")
    assert run_dontpay("backup", str(tmp_path / "backup")).returncode == 0
    env = restored_environment(fresh_database_url, tmp_path / "elsewhere")
    missing = run_dontpay("restore", str(tmp_path / "backup"), extra=env)
    assert missing.returncode == 2
    assert "no master key is in place" in missing.stderr
    assert not (tmp_path / "elsewhere" / "master.key").exists()  # and none was made up
    other_key = base64.b64encode(os.urandom(32)).decode()
    wrong = run_dontpay(
        "restore", str(tmp_path / "backup"), extra={**env, "DONTPAY_MASTER_KEY": other_key}
    )
    assert wrong.returncode == 2
    assert "master key in place is not the one this backup was made with" in wrong.stderr


def test_a_backup_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "something").write_text("x")
    result = run_dontpay("backup", str(tmp_path / "backup"))
    assert result.returncode == 2
    assert "is not empty" in result.stderr


def test_a_deployment_on_object_storage_backs_up_and_restores_its_bucket(
    tmp_path: Path, fresh_database_url: str, s3_endpoint: S3Endpoint
) -> None:
    source = {**s3_endpoint.environment, "DONTPAY_VAULT_URL": f"s3://{s3_endpoint.new_bucket()}/v"}
    # Evidence stored through a real process whose vault is the bucket.
    added = run_dontpay("shell", "-c", _ADD_EVIDENCE, extra=source)
    assert added.returncode == 0, added.stderr
    assert run_dontpay("backup", str(tmp_path / "backup"), extra=source).returncode == 0
    copied = [p for p in (tmp_path / "backup" / "vault").rglob("*") if p.is_file()]
    assert len(copied) == 2  # the screenshot and its thumbnail

    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    shutil.copy2(settings.DATA_DIR / "master.key", restored_dir / "master.key")
    target = {
        **restored_environment(fresh_database_url, restored_dir),
        **s3_endpoint.environment,
        "DONTPAY_VAULT_URL": f"s3://{s3_endpoint.new_bucket()}/restored",
    }
    assert run_dontpay("restore", str(tmp_path / "backup"), extra=target).returncode == 0
    verify = run_dontpay("verify", "--json", extra=target)
    assert verify.returncode == 0, verify.stdout
    assert json.loads(verify.stdout)["files"] == 1


_ADD_EVIDENCE = """
from dontpay.cases.evidence import add_evidence
from dontpay.cases.reports import create_report
from dontpay.cases.vault import holding_owner_key
from tests.cases.factories import screenshot
new = create_report("GB")
with holding_owner_key(new.report.pk, new.key):
    add_evidence(new.report, "a.png", screenshot("Pay now"))
"""
