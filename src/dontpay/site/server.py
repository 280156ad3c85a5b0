"""Running the web server in-process, shared by `dontpay serve` and `dontpay demo`."""

from typing import Any

from django.conf import settings
from waitress.server import create_server

from .shutdown import serve_until_stopped


def run_web_server(host: str, port: int, threads: int, trusted_proxy: str | None = None) -> None:
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
    server = create_server(
        application, host=host, port=port, threads=threads, ident="dontpay", **proxy
    )
    serve_until_stopped(server, settings.DONTPAY_SHUTDOWN_GRACE)
