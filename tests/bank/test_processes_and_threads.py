"""The bank shared by several processes and threads: a submission made anywhere is matched at
the next request everywhere, within a second, without rebuilding the index; so is a withdrawal,
and a quarantine for matching too much."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dontpay.bank.index import bank_index
from dontpay.bank.models import BankEntry, SignalChange
from dontpay.bank.submissions import submit_signals
from tests.processes import database_url

from .conftest import PHOTO, ApiClient, flip_bits

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def start_submitter() -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DONTPAY_DATA_DIR": str(settings.DATA_DIR),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bank.submitter"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "READY\n"
    return process


def ask(process: subprocess.Popen[str], command: str) -> list[str]:
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(command + "\n")
    process.stdin.flush()
    done, *words = process.stdout.readline().split()
    assert done == "DONE"
    return words


def seconds_until(api: ApiClient, value: str, *, matched: bool) -> float:
    start = time.monotonic()
    while time.monotonic() - start < 5:
        results = api.match(value).json()["results"]
        if bool(results[0]["matches"]) == matched:
            return time.monotonic() - start
    raise AssertionError(f"still {'not ' if matched else ''}matched after 5 s")


def test_a_submission_in_another_process_is_matched_within_a_second(api: ApiClient) -> None:
    target = flip_bits(PHOTO, 7)
    assert api.match(target).json()["results"][0]["matches"] == []
    index = bank_index()
    process = start_submitter()
    try:
        case_number, pin = ask(process, f"add {PHOTO}")
        assert seconds_until(api, target, matched=True) < 1.0
        ask(process, f"withdraw {case_number} {pin}")
        assert seconds_until(api, target, matched=False) < 1.0
        # Quarantined there for matching too much (past the default 1,000 a window), it stops
        # matching here as soon.
        ask(process, f"add {PHOTO}")
        assert seconds_until(api, target, matched=True) < 1.0
        assert ask(process, f"flood {PHOTO} 1000") == []
        [quarantined] = ask(process, f"flood {PHOTO} 1")
        assert int(quarantined) == BankEntry.objects.get(value=PHOTO).pk
        assert seconds_until(api, target, matched=False) < 1.0
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait(timeout=30)
    assert bank_index() is index  # kept current, never rebuilt
    assert index.applied == SignalChange.objects.last().pk  # type: ignore[union-attr]


def test_concurrent_submissions_while_matching(api: ApiClient) -> None:
    api.match(PHOTO)  # load the index before the writers start
    writers, per_writer = 4, 5
    shared = flip_bits(PHOTO, 200)
    own = [[flip_bits(PHOTO, 40 * w + n + 1) for n in range(per_writer)] for w in range(writers)]
    failures: list[BaseException] = []
    stop = threading.Event()
    seen_by_matcher: set[int] = set()

    def write(hashes: list[str]) -> None:
        try:
            for value in hashes:
                submit_signals([("pdq", value, 90), ("pdq", shared, 90)], "web")
        except BaseException as problem:  # reported by the test thread
            failures.append(problem)
        finally:
            connection.close()

    def match() -> None:
        try:
            while not stop.is_set():
                for result in bank_index().match_images(own[0] + [shared]):
                    seen_by_matcher.update(entry for entry, _ in result)
        except BaseException as problem:
            failures.append(problem)
        finally:
            connection.close()

    matcher = threading.Thread(target=match)
    matcher.start()
    threads = [threading.Thread(target=write, args=(hashes,)) for hashes in own]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    matcher.join()
    assert not failures, failures

    results = api.match(*[value for hashes in own for value in hashes], shared).json()["results"]
    assert all(0 in [m["distance"] for m in result["matches"]] for result in results)
    assert BankEntry.objects.filter(value=shared).count() == 1
    added = list(SignalChange.objects.values_list("entry__value", flat=True))
    assert added.count(shared) == 1
    assert len(added) == writers * per_writer + 1
    assert seen_by_matcher  # the matcher ran against a changing bank
