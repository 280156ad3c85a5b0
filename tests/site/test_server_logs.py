"""The web server's logs say what the server did, never what people asked for: no line per
request, even when requests queue for a thread (waitress wrote one per queued request), and no
path, query string, address or body of anyone's request."""

import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.processes import WebProcess, dontpay, wait_until_answering
from tests.s3 import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queue_of_requests_leaves_no_trace_of_them_in_the_logs(tmp_path: Path) -> None:
    secret = secrets.token_hex(16)
    port = free_port()
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = dontpay(
            "serve", "--port", str(port), "--threads", "1", stdout=stdout, stderr=stderr
        )
        web = WebProcess(process, f"http://127.0.0.1:{port}/")
        try:
            wait_until_answering(web.url, process)
            started = err.read_text()

            def ask(number: int) -> int:
                url = f"{web.url}report/sign-in/?reference={secret}&n={number}"
                headers = {"X-Forwarded-For": "203.0.113.77"}
                return httpx.get(url, headers=headers, timeout=120).status_code

            # 300 requests from 30 clients at once against one thread: most of them queue.
            with ThreadPoolExecutor(30) as pool:
                statuses = list(pool.map(ask, range(300)))
        finally:
            assert web.stop(signal.SIGTERM, timeout=60) == 0
    assert statuses == [200] * 300
    logs = out.read_text() + err.read_text()
    for trace in (secret, "/report/sign-in/", "203.0.113.77", "127.0.0.1 -", "reference="):
        assert trace not in logs
    # The lines the requests added are a fixed few (the server stopping), not one per request.
    added = err.read_text().removeprefix(started).splitlines()
    assert len(added) < 20, added
