"""Uploads killed with SIGKILL at random moments lose nothing acknowledged and leave no debris."""

import os
import random
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dontpay.cases.custody import custody_problems
from dontpay.cases.evidence import read_evidence, sweep_orphans
from dontpay.cases.integrity import integrity_problems
from dontpay.cases.models import EvidenceItem, Report
from dontpay.cases.vault import vault

from .factories import sent_report

UPLOADS = 200
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def upload_until_killed(reference: str, start: int, seconds: float) -> list[tuple[int, str]]:
    """Start the uploader, SIGKILL it `seconds` after it is ready, return what it acknowledged."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DONTPAY_DATA_DIR": str(settings.DATA_DIR),
        "DONTPAY_VAULT_DIR": str(settings.DONTPAY_VAULT_DIR),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.cases.crash_uploader", reference, str(start)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    assert process.stdout is not None
    acknowledged = []
    assert process.stdout.readline() == "READY\n"
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0 and selector.select(remaining):
        line = process.stdout.readline()
        if not line:
            break
        acknowledged.append(line)
    process.kill()  # SIGKILL: no cleanup of any kind
    process.wait()
    acknowledged += process.stdout.readlines()  # lines written before the kill
    return [(int(pk), sha) for _, pk, sha in (line.split() for line in acknowledged)]


@pytest.mark.django_db(transaction=True)
def test_uploads_survive_sigkill_at_random_points() -> None:
    report = sent_report()  # the uploader, another process, reads the key as staff do
    randomness = random.Random(20261127)
    acknowledged: list[tuple[int, str]] = []
    kills = 0
    while len(acknowledged) < UPLOADS:
        # Each run is cut short at a random moment while it is uploading.
        seconds = randomness.uniform(0.05, 2.0)
        acknowledged += upload_until_killed(report.reference, len(acknowledged), seconds)
        kills += 1
        assert kills < 100, "the uploader makes no progress"
    assert kills >= 3

    # Restart: the sweeper clears what the kills left half-done; nothing acknowledged is lost.
    sweep_orphans(grace_seconds=0)
    items = {item.pk: item for item in EvidenceItem.objects.filter(report=report)}
    for pk, sha256 in acknowledged:
        assert pk in items, f"acknowledged item {pk} is missing"
        assert items[pk].sha256 == sha256
        read_evidence(items[pk])  # decrypts and matches its hash, or raises
    assert list(integrity_problems()) == []  # no row without its files, no file without a row
    referenced = {b for item in items.values() for b in (item.blob_id, item.thumbnail_blob_id)}
    assert set(vault().blob_ids()) == referenced
    assert custody_problems(Report.objects.get(pk=report.pk)) == []
    added = report.custody.filter(kind="item-added").count()
    assert added == len(items)
