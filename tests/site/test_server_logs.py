"""The web server's logs say each thing once: waitress's warning for every queued request is
let through once and then summarised, never written per request."""

import logging
import threading
import time

import pytest
from waitress.task import ThreadedTaskDispatcher

from dontpay.site.logs import Summarised


class WaitingTask:
    """A request that holds its thread until released, so that the rest queue behind it."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def service(self) -> None:
        self.release.wait(10)

    def cancel(self) -> None:
        pass


def test_five_hundred_queued_requests_give_at_most_one_queue_warning(
    capfd: pytest.CaptureFixture[str],
) -> None:
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(1)
    release = threading.Event()
    try:
        for _ in range(500):
            dispatcher.add_task(WaitingTask(release))
    finally:
        release.set()
        dispatcher.shutdown(cancel_pending=True, timeout=10)
    lines = [line for line in capfd.readouterr().err.splitlines() if "Task queue depth" in line]
    assert len(lines) <= 1  # one, or none if another test warned within the minute


def test_held_back_warnings_are_counted_in_the_next_one() -> None:
    logger = logging.getLogger("dontpay.tests.summarised")
    logger.propagate = False
    passed: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            passed.append(record.getMessage())

    handler = Keep()
    handler.addFilter(Summarised(interval=0.2))
    logger.addHandler(handler)
    try:
        for depth in range(1, 101):
            logger.warning("Task queue depth is %d", depth)
        logger.warning("total open connections reached the connection limit")
        time.sleep(0.25)
        logger.warning("Task queue depth is %d", 3)
    finally:
        logger.removeHandler(handler)
    assert passed == [
        "Task queue depth is 1",
        "total open connections reached the connection limit",
        "Task queue depth is 3 (and 99 more like this in the last 0.2 s, highest 100)",
    ]
