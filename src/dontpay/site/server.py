"""Running the web server in-process, shared by `dontpay serve` and `dontpay demo`.

waitress reads each request body before the app sees it, and by default writes any body over
512 KB (and any response over 1 MB) to a temporary file: a person's screenshots, or a report
pack being downloaded, would sit on disk in the clear. `buffer_limits` keeps every body the
product accepts in memory and has waitress refuse a larger one with 413 before reading it.
"""

from typing import Any

from django.conf import settings
from waitress.server import create_server

from .shutdown import serve_until_stopped

#: Threads that run the app: Django's work is mostly CPU under the GIL, so more threads than
#: this add queueing, not speed; 8 lets a few wait on the database or the vault meanwhile.
THREADS = 8
#: Open connections waitress accepts before it stops accepting (its default is 100, which a
#: load of 100 clients reached, leaving new ones waiting). Waiting connections cost little
#: while they wait for a thread, but each may hold one request body in memory (see
#: `buffer_limits`): the proxy bounds how many large uploads arrive at once.
CONNECTION_LIMIT = 400

#: waitress's own margin above the app's limit, so that a body just over the limit still reaches
#: the app, which answers with a page saying what to do (`RequestSizeMiddleware`).
_SERVER_MARGIN = 1024 * 1024


def buffer_limits() -> tuple[int, int, int]:
    """(max_request_body_size, inbuf_overflow, outbuf_overflow) for waitress: the largest body it
    accepts, and in-memory buffers at least as big as anything the product sends or accepts."""
    from django.conf import settings

    from dontpay.help.uploads import max_request_bytes

    largest_request = max_request_bytes() + _SERVER_MARGIN
    # A report pack holds the report's evidence (at most DONTPAY_EVIDENCE_MAX_REPORT_MB) and a
    # PDF that shows the screenshots again: twice the evidence is the most a response carries.
    largest_response = 2 * settings.DONTPAY_EVIDENCE_MAX_REPORT_MB * 2**20 + 16 * 2**20
    return largest_request, largest_request + 1, largest_response


def run_web_server(
    host: str,
    port: int,
    threads: int = THREADS,
    trusted_proxy: str | None = None,
    connection_limit: int = CONNECTION_LIMIT,
) -> None:
    """Serve the app with waitress (a production WSGI server) until SIGTERM or SIGINT, then
    let in-flight requests finish within ``DONTPAY_SHUTDOWN_GRACE`` seconds.

    The app is loaded here, not at import, so that static files collected just before are seen.
    Behind a reverse proxy, `trusted_proxy` is its address: only then are its
    X-Forwarded-Proto/-For headers believed (and HTTPS, HSTS and secure cookies detected).
    """
    from .wsgi import application

    proxy: dict[str, Any] = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        }
    max_request_body_size, inbuf_overflow, outbuf_overflow = buffer_limits()
    server = create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit,
        ident="dontpay",
        max_request_body_size=max_request_body_size,
        inbuf_overflow=inbuf_overflow,
        outbuf_overflow=outbuf_overflow,
        **proxy,
    )
    serve_until_stopped(server, settings.DONTPAY_SHUTDOWN_GRACE)
