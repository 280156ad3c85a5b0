"""Running the web server, shared by `dontpay serve` and `dontpay demo`.

The server is granian, chosen by measurement (`benchmarks/web_servers.py`, docs/performance.md):
in one run against waitress and gunicorn (gthread), each with 8 threads, it served the victim
pages at 1.39 times waitress's rate (gunicorn 1.17 times) with 0.83 times its CPU per request,
and the match API at the same rate as both.

This process supervises one granian worker process, which runs the app on `threads` threads.
Neither writes a body to disk: granian hands a request body to the app as the app reads it
(Django's upload handler keeps uploads in memory, `help/uploads.py`) and sends a response as
the app makes it, so a person's screenshots, or a report pack being downloaded, never sit in a
temporary file. A body larger than the product accepts is refused with 413 from its
Content-Length before it is read (`RequestSizeMiddleware`).
"""

import copy
import functools
import multiprocessing
import os
import signal
import socket
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import connections
from granian import Granian
from granian.constants import Interfaces
from granian.log import LogLevels

from .proxy import TrustedProxy, WSGIApp
from .shutdown import STOP_SIGNALS, die_with_parent, take_stop_signals_in_one_thread

#: Threads that run the app (granian's "blocking threads"): Django's work is mostly CPU under
#: the GIL, so more threads than this add queueing, not speed; 8 lets a few wait on the
#: database or the vault meanwhile.
THREADS = 8
#: Connections the worker holds open at once (granian's "backpressure"); it accepts no more
#: until one closes, and later ones wait in the kernel's listen queue (`BACKLOG`). 100 was
#: reached by 100 load-test clients (with waitress), leaving new ones waiting. An open
#: connection costs little while it waits for a thread; the proxy bounds how many large
#: uploads arrive at once.
CONNECTION_LIMIT = 400
#: Connections the kernel queues for the worker to accept before it refuses more (granian's and
#: waitress's default).
BACKLOG = 1024


def run_web_server(
    host: str,
    port: int,
    threads: int = THREADS,
    trusted_proxy: str | None = None,
    connection_limit: int = CONNECTION_LIMIT,
) -> None:
    """Serve the app with granian until SIGTERM or SIGINT, then let in-flight requests finish
    within ``DONTPAY_SHUTDOWN_GRACE`` seconds before the worker is killed.

    The app is loaded in the worker, not here, so that static files collected just before are
    seen. Behind a reverse proxy, `trusted_proxy` is its address: only then are its
    X-Forwarded-Proto/-For headers believed (`site/proxy.py`). A port another process listens
    on raises OSError.
    """
    refuse_a_taken_port(host, port)
    server = Granian(
        "dontpay.site.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        websockets=False,
        workers=1,
        blocking_threads=threads,
        backpressure=connection_limit,
        backlog=BACKLOG,
        # granian waits this long for the worker to drain, then kills it: any positive number
        # of seconds works (it is a join timeout), though its signature says whole seconds.
        workers_kill_timeout=max(settings.DONTPAY_SHUTDOWN_GRACE, 0.001),  # type: ignore[arg-type]
        # Its start, stop and problems go to stderr through the product's own logging; no
        # access log, which would list the addresses and pages of people seeking help.
        log_dictconfig=copy.deepcopy(settings.LOGGING),
        log_level=LogLevels.info,
        log_access=False,
    )
    server.on_startup(_second_signal_stops_at_once)
    # The worker is forked from this process: it must not share a database connection.
    connections.close_all()
    server.serve(
        target_loader=functools.partial(_load_app, trusted_proxy, os.getpid()),
        wrap_loader=False,
    )


def _second_signal_stops_at_once() -> None:
    """Wrap the SIGTERM/SIGINT handler granian has just installed: the first signal drains as
    granian does, a second kills the worker and exits at once."""
    drain = signal.getsignal(signal.SIGTERM)
    signalled: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if signalled:
            for worker in multiprocessing.active_children():
                worker.kill()
            raise SystemExit(1)
        signalled.append(signum)
        if callable(drain):
            drain(signum, frame)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)


def _load_app(trusted_proxy: str | None, parent: int) -> Callable[..., Any]:
    """In the worker, before it serves: stop with the parent (a killed parent cannot stop it),
    then load the app behind the proxy check."""
    # SIGKILL: whoever killed the parent wanted the server gone, and nobody is left to bound
    # a drain by the grace period.
    die_with_parent(parent, signal.SIGKILL)
    take_stop_signals_in_one_thread()
    from .wsgi import application

    return WithoutProcessEnvironment(TrustedProxy(application, trusted_proxy), os.environ)


#: The variables granian sets itself in every request's environ, over any the process has.
EVERY_REQUEST = frozenset(
    {
        "GATEWAY_INTERFACE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "SERVER_SOFTWARE",
    }
)


class WithoutProcessEnvironment:
    """WSGI middleware: granian starts every request's environ from a copy of the process's
    environment (`granian/wsgi.py`), so `SECRET_KEY`, `DONTPAY_MASTER_KEY`, the passwords in
    `DATABASE_URL` and the AWS keys would be in every `request.META`, for an error page or
    report to show. A variable is removed unless the request set it to another value."""

    def __init__(self, app: WSGIApp, process_environment: Mapping[str, str]) -> None:
        self.app = app
        self.inherited = {
            name: value for name, value in process_environment.items() if name not in EVERY_REQUEST
        }

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        for name, value in self.inherited.items():
            if environ.get(name) == value:
                del environ[name]
        return self.app(environ, start_response)


def refuse_a_taken_port(host: str, port: int) -> None:
    """Raise OSError if another process listens on the port. granian's worker binds with
    SO_REUSEPORT, so a second server started on a taken port would silently share its
    connections (a second demo, with another database, would answer every other request)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
        probe.bind(address)
