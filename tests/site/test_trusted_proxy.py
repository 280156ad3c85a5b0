"""X-Forwarded-For and X-Forwarded-Proto are believed only from the proxy named with
`dontpay serve --trusted-proxy`: the per-address throttles and HTTPS detection depend on it.
Anyone else's are removed before the app sees the request."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dontpay.cases.models import PassphraseAttempt
from dontpay.cases.reports import PASSPHRASE_GUESSES, client_fingerprint, create_report
from dontpay.site.proxy import TrustedProxy
from tests.processes import WebProcess, run_dontpay, start_web


def seen(trusted_proxy: str | None, peer: str, **headers: str) -> dict[str, Any]:
    """The environ the app receives for a request from `peer` with these headers."""
    received: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        received.update(environ)
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http"}
    environ |= {f"HTTP_{name.upper()}": value for name, value in headers.items()}
    TrustedProxy(app, trusted_proxy)(environ, lambda *args: None)
    return received


def test_the_trusted_proxy_names_the_client_and_the_scheme() -> None:
    environ = seen(
        "127.0.0.1", "127.0.0.1", x_forwarded_for="203.0.113.9", x_forwarded_proto="https"
    )
    assert environ["REMOTE_ADDR"] == "203.0.113.9"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"


def test_the_client_is_the_right_most_hop_the_proxy_did_not_write_itself() -> None:
    # The client wrote the first hop; the proxy appended the address it saw (and itself).
    forwarded = "198.51.100.1, 203.0.113.9, 10.0.0.2"
    assert seen("10.0.0.2", "10.0.0.2", x_forwarded_for=forwarded)["REMOTE_ADDR"] == ("203.0.113.9")


@pytest.mark.parametrize("trusted_proxy", [None, "10.0.0.2"])
def test_forwarding_headers_from_anyone_else_are_removed(trusted_proxy: str | None) -> None:
    environ = seen(
        trusted_proxy,
        "198.51.100.7",
        x_forwarded_for="203.0.113.9",
        x_forwarded_proto="https",
        x_forwarded_host="evil.example",
        forwarded="for=203.0.113.9;proto=https",
    )
    assert environ["REMOTE_ADDR"] == "198.51.100.7"
    assert environ["wsgi.url_scheme"] == "http"
    assert not [name for name in environ if "FORWARDED" in name]


def test_a_malformed_hop_or_scheme_leaves_the_proxy_as_the_client() -> None:
    environ = seen(
        "::1", "0::1", x_forwarded_for="203.0.113.9, not-an-address", x_forwarded_proto="gopher"
    )
    assert environ["REMOTE_ADDR"] == "0::1"
    assert environ["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_PROTO" not in environ


def test_an_ipv4_address_written_as_ipv6_is_the_same_address() -> None:
    # A server listening on :: sees the IPv4 proxy at 127.0.0.1 as ::ffff:127.0.0.1.
    environ = seen(
        "127.0.0.1",
        "::ffff:127.0.0.1",
        x_forwarded_for="::ffff:203.0.113.9",
        x_forwarded_proto="https",
    )
    assert environ["REMOTE_ADDR"] == "203.0.113.9"
    assert environ["wsgi.url_scheme"] == "https"


def test_a_trusted_proxy_that_is_not_an_address_is_refused() -> None:
    result = run_dontpay("serve", "--trusted-proxy", "proxy.internal", timeout=120)
    assert result.returncode == 2
    assert "--trusted-proxy: 'proxy.internal' is not an IP address" in result.stderr


# Through the real server: the test connects from 127.0.0.1.


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    return {
        "DONTPAY_MODE": "production",
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-production",
        "DONTPAY_ALLOWED_HOSTS": "127.0.0.1",
        "DONTPAY_DATA_DIR": str(tmp_path / "data"),
        "DONTPAY_VAULT_DIR": str(tmp_path / "data" / "vault"),
        "DONTPAY_METRICS_ADDRESSES": "203.0.113.9",
    }


@pytest.fixture
def behind(production: dict[str, str], request: pytest.FixtureRequest) -> Iterator[WebProcess]:
    proxy, *listening = request.param.split(" on ")
    web = start_web(production, "--trusted-proxy", proxy, *[f"--host={host}" for host in listening])
    try:
        yield web
    finally:
        web.stop()


FROM_THE_PROXY = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


@pytest.mark.django_db(transaction=True)
# Listening on :: too, the server sees the proxy's IPv4 address written as IPv6.
@pytest.mark.parametrize("behind", ["127.0.0.1", "127.0.0.1 on ::"], indirect=True)
def test_behind_the_trusted_proxy_https_and_the_address_are_detected(behind: WebProcess) -> None:
    answer = httpx.get(f"{behind.url}healthz", headers=FROM_THE_PROXY, timeout=30)
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    # /metrics answers only the address allowed to scrape, which is the one forwarded.
    assert httpx.get(f"{behind.url}metrics", headers=FROM_THE_PROXY, timeout=30).status_code == 200
    assert httpx.get(f"{behind.url}metrics", timeout=30).status_code == 404
    plain = httpx.get(f"{behind.url}healthz", timeout=30)
    assert "Strict-Transport-Security" not in plain.headers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("behind", ["192.0.2.1"], indirect=True)
def test_forged_headers_from_another_address_are_ignored(behind: WebProcess) -> None:
    answer = httpx.get(f"{behind.url}healthz", headers=FROM_THE_PROXY, timeout=30)
    assert answer.status_code == 200
    assert "Strict-Transport-Security" not in answer.headers
    assert httpx.get(f"{behind.url}metrics", headers=FROM_THE_PROXY, timeout=30).status_code == 404


def guess(client: httpx.Client, reference: str, forwarded_for: str) -> str:
    page = client.get("/report/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the form has no CSRF token"
    answer = client.post(
        "/report/sign-in/",
        data={
            "reference": reference,
            "passphrase": "a wrong guess",
            "csrfmiddlewaretoken": token[1],
        },
        headers={"X-Forwarded-For": forwarded_for},
    )
    return answer.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trusted_proxy", ["127.0.0.1", "192.0.2.1"])
def test_guesses_are_counted_by_the_address_only_the_trusted_proxy_names(
    trusted_proxy: str,
) -> None:
    reference = create_report().report.reference
    web = start_web(None, "--trusted-proxy", trusted_proxy)
    try:
        with httpx.Client(base_url=web.url, timeout=60) as client:
            for _ in range(PASSPHRASE_GUESSES.per_client):
                assert "not right" in guess(client, reference, "203.0.113.9")
            # One more from a fresh forwarded address: its own if believed, else the same.
            last = guess(client, reference, "198.51.100.4")
    finally:
        web.stop()
    clients = set(PassphraseAttempt.objects.values_list("client", flat=True))
    if trusted_proxy == "127.0.0.1":
        assert "not right" in last
        assert clients == {client_fingerprint("203.0.113.9"), client_fingerprint("198.51.100.4")}
    else:
        assert "Too many attempts" in last
        assert clients == {client_fingerprint("127.0.0.1")}
