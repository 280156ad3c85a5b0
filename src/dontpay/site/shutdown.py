"""Stopping cleanly on SIGTERM or SIGINT, as a service manager or container runtime asks.

The web server stops accepting connections at once, lets the requests it has already received
finish and their responses go out, then exits; a request still running after the grace period
is abandoned. The worker finishes the task it is running (or gives up on it after the grace
period, when the task is marked failed), then exits.
"""

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel

log = logging.getLogger(__name__)

#: How often the serving loop looks up from the network to see whether it was asked to stop.
_POLL_SECONDS = 0.2


def stop_on_signals() -> threading.Event:
    """An event set by the first SIGTERM or SIGINT; a second one stops the process at once."""
    stopping = threading.Event()

    def ask_to_stop(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            raise SystemExit(1)
        log.warning(
            "Received %s: finishing in-flight work, then stopping", signal.strsignal(signum)
        )
        stopping.set()

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    return stopping


def serve_until_stopped(server: Any, grace_seconds: float) -> None:
    """Run a waitress server until SIGTERM/SIGINT, then drain it within `grace_seconds`."""
    stopping = stop_on_signals()
    socket_map = server._map
    while not stopping.is_set():
        wasyncore.loop(timeout=_POLL_SECONDS, map=socket_map, use_poll=True, count=1)
    # Refuse new connections, then keep the loop running (it sends the responses) until no
    # received request is unanswered or the grace period is over.
    wasyncore.dispatcher.close(server)
    deadline = time.monotonic() + grace_seconds
    while _requests_in_flight(socket_map) and time.monotonic() < deadline:
        wasyncore.loop(timeout=_POLL_SECONDS, map=socket_map, use_poll=True, count=1)
    if _requests_in_flight(socket_map):
        log.warning("Stopping with requests still unanswered after %s s", grace_seconds)
    # The grace period is over: do not wait for threads still working on a request (they are
    # daemon threads, and their answer can no longer be sent).
    server.task_dispatcher.shutdown(timeout=0)
    wasyncore.close_all(socket_map)


def _requests_in_flight(socket_map: dict[int, Any]) -> bool:
    return any(
        isinstance(channel, HTTPChannel) and (channel.requests or channel.total_outbufs_len)
        for channel in list(socket_map.values())
    )
