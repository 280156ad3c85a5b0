"""An idle `dontpay worker` holds little memory: the OCR engine lives in a child process that is
started for a screenshot and exits after the idle period, taking its memory with it. The child
is given none of the worker's secrets."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from dontpay.cases.evidence import add_evidence
from dontpay.intel.scanning import screenshot_texts
from dontpay.intel.tasks import relink_report
from tests.cases.factories import sent_report
from tests.intel.test_ocr_task import WALLET, chat_screenshot
from tests.processes import dontpay

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
#: An idle worker measured 150 to 170 MB; with the OCR engine loaded it held 560 to 670 MB.
IDLE_LIMIT = 250 * MB
#: The smallest the OCR child can be once it has read an image: the engine alone is more.
ENGINE_AT_LEAST = 150 * MB


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0  # a zombie holds no memory


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split() if rss(int(child))]


def unused_libraries_loaded(pid: int) -> set[str]:
    """Native libraries of things a worker does not do itself: OCR (onnxruntime, OpenCV), the
    hash index (numba's llvmlite) and PDF packs (WeasyPrint's pango)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return {name for name in ("onnxruntime", "cv2", "llvmlite", "libpango") if name in maps}


def wait_for(condition: str, check: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {condition}"
        time.sleep(0.05)


def finished() -> int:
    return DBTaskResult.objects.filter(status="SUCCESSFUL").count()


def test_the_worker_reads_a_screenshot_in_a_child_that_leaves_when_idle() -> None:
    worker = dontpay("worker", "--interval", "0.1", extra={"DONTPAY_OCR_IDLE_SECONDS": "2"})
    try:
        relink_report.enqueue(0)  # a task that does nothing, to know the worker is running
        wait_for("the worker ran its first task", lambda: finished() == 1)
        idle = rss(worker.pid)
        assert idle < IDLE_LIMIT
        assert children(worker.pid) == []
        assert unused_libraries_loaded(worker.pid) == set()

        png = chat_screenshot(f"pay to {WALLET}", "or call me on 07911 123456")
        report = sent_report(fill=lambda r: add_evidence(r, "chat.png", png))
        wait_for("the screenshot was read", lambda: finished() == 2)
        (ocr,) = children(worker.pid)
        assert rss(ocr) > ENGINE_AT_LEAST
        inherited = Path(f"/proc/{ocr}/environ").read_bytes().split(b"\0")
        assert not [v for v in inherited if v.startswith((b"DATABASE_URL=", b"DONTPAY_"))]
        assert rss(worker.pid) < IDLE_LIMIT

        busy = (rss(worker.pid), rss(ocr))

        wait_for("the OCR process left", lambda: children(worker.pid) == [], timeout=30)
        after = rss(worker.pid)
        assert after < IDLE_LIMIT
        print(
            f"worker RSS idle {idle / MB:.0f} MB, busy {busy[0] / MB:.0f} MB + OCR process "
            f"{busy[1] / MB:.0f} MB, idle again {after / MB:.0f} MB"
        )
        assert worker.poll() is None
    finally:
        worker.kill()
        worker.wait()
    (text,) = screenshot_texts(report)
    assert WALLET in text
    assert "07911 123456" in text
