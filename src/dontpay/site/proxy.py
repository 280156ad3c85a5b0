"""Believing `X-Forwarded-For` and `X-Forwarded-Proto` only from the reverse proxy.

Behind a proxy every connection comes from the proxy, which says in `X-Forwarded-For` whom the
request came from and in `X-Forwarded-Proto` whether it came over HTTPS. Anyone can send those
headers, and a lot hangs on them: the per-address throttles on guesses at a passphrase, a PIN or
a staff password (`cases/throttle.py`) count by the address, and HTTPS, HSTS and secure cookies
are detected from the scheme. So they are believed only on a connection from the one address
named with `dontpay serve --trusted-proxy`, and removed from every other request, so that
nothing later (Django's `SECURE_PROXY_SSL_HEADER`) can read a forged one.

This is done here, in front of the app, rather than by the web server, so that it holds whatever
server runs the app; granian's own `wrap_wsgi_with_proxy_headers` keeps forged headers in the
request, where Django would still read them.
"""

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Every header through which a client could claim another address, host or scheme.
FORWARDING_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_BY",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
)


def canonical_address(text: str) -> str | None:
    """An IP address in its canonical form (so ``::1`` and ``0::1`` are one), or None. An IPv4
    address written as IPv6 (``::ffff:127.0.0.1``, as a server listening on ``::`` sees an IPv4
    client) is the IPv4 address: one proxy, and one client, whichever way it is written."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


class TrustedProxy:
    """WSGI middleware: on a connection from `trusted_proxy`, the client's address is the
    right-most `X-Forwarded-For` hop that is not the proxy itself (hops further left were written
    by the client and prove nothing), and the scheme is `X-Forwarded-Proto` (http or https).
    Every other request loses its forwarding headers. With no proxy named, nobody is believed."""

    def __init__(self, app: WSGIApp, trusted_proxy: str | None) -> None:
        self.app = app
        self.trusted_proxy = canonical_address(trusted_proxy) if trusted_proxy else None
        if trusted_proxy and self.trusted_proxy is None:
            raise ValueError(f"{trusted_proxy!r} is not an IP address")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        peer = canonical_address(environ.get("REMOTE_ADDR", ""))
        if self.trusted_proxy is not None and peer == self.trusted_proxy:
            self._believe(environ)
        else:
            for header in FORWARDING_HEADERS:
                environ.pop(header, None)
        return self.app(environ, start_response)

    def _believe(self, environ: dict[str, Any]) -> None:
        hops = environ.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            client = canonical_address(hop)
            if client != self.trusted_proxy:
                if client is not None:
                    environ["REMOTE_ADDR"] = client
                break  # a malformed hop ends the search: the peer (the proxy) stays the client
        scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").strip().lower()
        if scheme in ("http", "https"):
            environ["wsgi.url_scheme"] = scheme
            environ["HTTP_X_FORWARDED_PROTO"] = scheme
        else:
            environ.pop("HTTP_X_FORWARDED_PROTO", None)
