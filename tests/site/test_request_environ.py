"""The app sees the request, not the web server's process environment: granian copies that
environment into every request's environ, secrets and all (`site/server.py`)."""

import os
from typing import Any

import httpx
import pytest

from dontpay.site.server import WithoutProcessEnvironment
from tests.processes import start_web


def seen(scope: dict[str, Any]) -> dict[str, Any]:
    """The environ the app receives for a request granian describes with `scope`: granian's
    `basic_env | scope`, where `basic_env` is a copy of the process environment."""
    received: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        received.update(environ)
        return []

    middleware = WithoutProcessEnvironment(app, os.environ)
    middleware(dict(os.environ) | scope, lambda *args: None)
    return received


REQUEST = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/",
    "QUERY_STRING": "",
    "REMOTE_ADDR": "127.0.0.1",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000",
    "HTTP_HOST": "127.0.0.1:8000",
    "wsgi.url_scheme": "http",
}


def test_the_process_environment_is_not_in_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://dontpay:a-database-password@db/dontpay")
    monkeypatch.setenv("DONTPAY_MASTER_KEY", "a-master-key")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    environ = seen(REQUEST)
    assert environ == REQUEST


def test_what_the_request_says_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_X_TRACE", "from the process")
    monkeypatch.setenv("SERVER_PORT", "8000")
    environ = seen(REQUEST | {"HTTP_X_TRACE": "from the request"})
    assert environ == REQUEST | {"HTTP_X_TRACE": "from the request"}


@pytest.mark.django_db(transaction=True)
def test_a_variable_of_the_server_never_reads_as_part_of_a_request() -> None:
    # A GET has no body; a Content-Length taken from the process would declare one too large.
    web = start_web({"CONTENT_LENGTH": "999999999999"})
    try:
        answer = httpx.get(f"{web.url}healthz", timeout=30)
    finally:
        web.stop()
    assert answer.status_code == 200
