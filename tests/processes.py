"""Real `dontpay` processes for tests: started on the test database, stopped by signal.

They share the test's data directory (so its master key and folder vault) and database, and
anything else the test passes in their environment (Redis, an S3 endpoint).
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.s3 import free_port

ROOT = Path(__file__).resolve().parents[1]
#: Each test run's own Redis database, so that nothing else's keys are seen.
REDIS_URL = os.environ.get("DONTPAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def database_url() -> str:
    """The URL of the database this test is using, for a child process to open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def dontpay_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DONTPAY_DATA_DIR": str(settings.DATA_DIR),
        "DONTPAY_VAULT_DIR": str(settings.DONTPAY_VAULT_DIR),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DONTPAY_REDIS_URL", "DONTPAY_VAULT_URL", "DONTPAY_METRICS_TOKEN"):
        env.pop(name, None)
    env.update(extra or {})
    return env


def dontpay(
    *args: str, extra: Mapping[str, str] | None = None, **popen: object
) -> "subprocess.Popen[str]":
    """Start ``dontpay <args>`` as a child process."""
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "dontpay.site.cli", *args],
        env=dontpay_environment(extra),
        cwd=ROOT,
        text=True,
        **popen,
    )


def run_dontpay(
    *args: str, extra: Mapping[str, str] | None = None, timeout: float = 300
) -> "subprocess.CompletedProcess[str]":
    """Run ``dontpay <args>`` to completion, capturing what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "dontpay.site.cli", *args],
        env=dontpay_environment(extra),
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class WebProcess:
    process: "subprocess.Popen[str]"
    url: str

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)


def wait_until_answering(url: str, process: "subprocess.Popen[str]", timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}healthz", timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None:
                raise RuntimeError(f"dontpay exited with status {process.returncode}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start_web(extra: Mapping[str, str] | None = None, *args: str) -> WebProcess:
    """`dontpay serve` on a free loopback port, once it answers /healthz."""
    port = free_port()
    process = dontpay("serve", "--port", str(port), *args, extra=extra)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_answering(url, process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return WebProcess(process, url)


@contextmanager
def web_processes(count: int, extra: Mapping[str, str] | None = None) -> Iterator[list[WebProcess]]:
    """`count` web processes started together, stopped (SIGTERM) at the end."""
    with ExitStack() as stack:
        ports = [free_port() for _ in range(count)]
        processes = [dontpay("serve", "--port", str(port), extra=extra) for port in ports]
        webs = [
            WebProcess(p, f"http://127.0.0.1:{port}/")
            for p, port in zip(processes, ports, strict=True)
        ]
        for web in webs:
            stack.callback(_stop_quietly, web)
        for web in webs:
            wait_until_answering(web.url, web.process)
        yield webs


def _stop_quietly(web: WebProcess) -> None:
    try:
        web.stop()
    except subprocess.TimeoutExpired:
        web.process.kill()
        web.process.wait()
