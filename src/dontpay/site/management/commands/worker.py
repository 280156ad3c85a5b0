"""`dontpay worker`: runs background tasks from the database queue, and housekeeping."""

import logging
import os
import signal
import sys
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from dontpay.site.commands import ProductCommand
from dontpay.site.housekeeping import start_housekeeping

log = logging.getLogger(__name__)


class GracefulWorker(Worker):
    """django-tasks-db's worker, with a bound on how long a stopping worker waits for its task.

    On SIGTERM, SIGINT or SIGHUP the task in progress may finish; if it is still running after the
    grace period it is interrupted (and recorded as failed, so it can be queued again), and if
    it cannot be interrupted (stuck in native code) the process exits a few seconds later.
    """

    grace_seconds: float = 20.0
    parent_has_gone: bool = False

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.running and self.running_task:
            signal.signal(signal.SIGALRM, self._give_up)
            signal.setitimer(signal.ITIMER_REAL, self.grace_seconds)
        super().shutdown(signum, frame)

    def parent_gone(self, signum: int, frame: FrameType | None) -> None:
        """SIGHUP: the process that started this worker has gone (see `watch_parent`), or its
        terminal has. Stop as on SIGTERM, but never at once: a repeat is nobody insisting. A
        repeat can arrive while this handler runs, and Python then runs the handler again inside
        it, so later ones are ignored first and a flag makes the stop happen once."""
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        if self.parent_has_gone:
            return
        self.parent_has_gone = True
        if self.running:
            self.shutdown(signum, frame)

    def _give_up(self, signum: int, frame: FrameType | None) -> None:
        log.warning("The running task did not finish within %s s; stopping it", self.grace_seconds)
        signal.signal(signal.SIGALRM, lambda *_: sys.exit(1))
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        raise SystemExit(1)


class Command(ProductCommand):
    help = (
        "Run a background task worker (django-tasks-db); run as many as the load needs. Each "
        "also deletes expired sessions and orphaned vault files every ten minutes. SIGTERM or "
        "SIGINT lets the running task finish (within DONTPAY_SHUTDOWN_GRACE seconds), then exits."
    )

    def get_check_kwargs(self, options: Any) -> dict[str | None, Any]:
        """Every check but the URL ones: those import every view (PDF rendering, the hash
        index), which a worker never serves and would otherwise hold in memory while idle;
        `dontpay serve` runs them."""
        return {"tags": sorted(checks.registry.registry.tags_available() - {checks.Tags.urls})}

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="exit once the queue is empty (for scripts)"
        )
        parser.add_argument(
            "--parent",
            type=int,
            metavar="PID",
            help="stop, letting the running task finish, once process PID has ended (the demo "
            "starts its worker so)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="how long an idle worker waits before looking at the queue again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        worker = GracefulWorker(
            queue_names=["default"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.grace_seconds = settings.DONTPAY_SHUTDOWN_GRACE
        stop = threading.Event()
        start_housekeeping(stop)
        worker.configure_signals()
        signal.signal(signal.SIGHUP, worker.parent_gone)
        if options["parent"] is not None:
            watch_parent(options["parent"], worker.grace_seconds)
        try:
            worker.run()
            # The task finished within its grace period: exiting must not race the alarm.
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            stop.set()


def watch_parent(parent: int, grace_seconds: float) -> None:
    """Once `parent` has ended (Linux has handed this process to another), stop as on SIGHUP,
    and end the process outright if it is still here `grace_seconds` + 5 s later.

    The SIGHUP goes to the main thread itself, which runs the handler: a signal sent to the
    process may reach another thread, and CPython runs its handler only when the main thread
    next runs Python, which it does not while it waits for a screenshot to be read. The
    outright end is for a task that cannot be interrupted at all.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGHUP)
        time.sleep(grace_seconds + 5)
        log.warning(
            "Still running %s s after the process that started it ended; stopping now",
            grace_seconds + 5,
        )
        os._exit(1)

    threading.Thread(target=watch, name="parent", daemon=True).start()
