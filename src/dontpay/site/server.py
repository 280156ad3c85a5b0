"""Running the web server in-process, shared by `dontpay serve` and `dontpay demo`."""

from typing import Any

from waitress import serve as waitress_serve


def run_web_server(host: str, port: int, threads: int, trusted_proxy: str | None = None) -> None:
    """Serve the app with waitress (a production WSGI server) until interrupted.

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
    waitress_serve(application, host=host, port=port, threads=threads, ident="dontpay", **proxy)
