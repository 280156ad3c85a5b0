"""Clean shutdown: SIGTERM or SIGINT to `serve`, `worker` and `demo` lets in-flight requests and
tasks finish within a bounded grace period, then everything exits and nothing is left behind."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django_tasks_db.models import DBTaskResult

from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import PassphraseAttempt
from dontpay.cases.reports import PASSPHRASE_GUESSES, create_report
from dontpay.cases.sharing import consent_to_linking, send_report
from dontpay.cases.vault import holding_owner_key
from dontpay.intel.models import EvidenceText
from tests.intel.test_ocr_task import chat_screenshot
from tests.processes import (
    ROOT,
    dontpay,
    dontpay_environment,
    start_web,
    wait_until_answering,
)
from tests.s3 import free_port

pytestmark = pytest.mark.django_db(transaction=True)


#: Sign-ins sent at once: the guesses one client may make before it must wait.
CONCURRENT = PASSPHRASE_GUESSES.per_client


def sign_in_attempts(url: str, reference: str, count: int) -> list[httpx.Response | BaseException]:
    """Start `count` passphrase checks at once (each hashes with Argon2, so each is slow); the
    list fills in as the answers arrive."""
    answers: list[httpx.Response | BaseException] = []

    def attempt(number: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            page = client.get("/report/sign-in/")
            token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
            try:
                answers.append(
                    client.post(
                        "/report/sign-in/",
                        data={
                            "reference": reference,
                            "passphrase": f"a wrong guess {number}",
                            "csrfmiddlewaretoken": token,
                        },
                    )
                )
            except BaseException as problem:
                answers.append(problem)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    return answers


def wait_until_guessing(reference: str, count: int) -> None:
    """Until `count` sign-ins are inside the server: each records its attempt before it starts
    hashing the passphrase, which takes a good part of a second."""
    deadline = time.monotonic() + 120
    while PassphraseAttempt.objects.filter(reference=reference).count() < count:
        assert time.monotonic() < deadline, "the sign-ins never reached the server"
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_requests_in_flight_then_exits(signum: int) -> None:
    reference = create_report().report.reference
    web = start_web()
    answers = sign_in_attempts(web.url, reference, 4)
    wait_until_guessing(reference, 4)
    assert len(answers) < 4, "the requests finished before the signal could interrupt them"
    started = time.monotonic()
    assert web.stop(signum, timeout=30) == 0
    assert time.monotonic() - started < 20
    deadline = time.monotonic() + 5
    while len(answers) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [getattr(a, "status_code", a) for a in answers] == [400] * 4
    assert all("not right" in a.text for a in answers if isinstance(a, httpx.Response))
    with pytest.raises(httpx.ConnectError):  # and it no longer listens
        httpx.get(f"{web.url}healthz", timeout=5)


def start_an_upload_that_never_ends(url: str) -> socket.socket:
    """A form post that passes the CSRF check and then sends only part of its body, so that the
    app waits for the rest: a request in flight until the server gives up on it."""
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/report/sign-in/")
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    body = f"csrfmiddlewaretoken={token}&reference=".encode()
    address = httpx.URL(url)
    connection = socket.create_connection((address.host, address.port), timeout=30)
    connection.sendall(
        f"POST /report/sign-in/ HTTP/1.1\r\nHost: {address.host}:{address.port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body) + 1000}\r\nCookie: {cookie}\r\n\r\n".encode()
        + body
    )
    return connection


def test_a_second_signal_stops_serve_at_once() -> None:
    web = start_web({"DONTPAY_SHUTDOWN_GRACE": "60"})
    workers = children_of(web.process.pid)
    with start_an_upload_that_never_ends(web.url):
        time.sleep(1)  # the app is reading the body
        web.process.send_signal(signal.SIGTERM)
        time.sleep(1)
        assert web.process.poll() is None, "serve did not wait for the request in flight"
        started = time.monotonic()
        assert web.stop(signal.SIGTERM, timeout=30) == 1
    assert time.monotonic() - started < 10
    assert wait_until_gone(workers) == [], "the web worker outlived serve"


def test_serve_gives_up_on_requests_after_the_grace_period() -> None:
    reference = create_report().report.reference
    web = start_web({"DONTPAY_SHUTDOWN_GRACE": "0"})
    # As many at once as one client may guess freely: they share the cores, so each hashes
    # for longer than the server takes to notice the signal, even on a quiet machine.
    answers = sign_in_attempts(web.url, reference, CONCURRENT)
    wait_until_guessing(reference, CONCURRENT)
    assert web.stop(timeout=30) == 0
    deadline = time.monotonic() + 10
    while len(answers) < CONCURRENT and time.monotonic() < deadline:
        time.sleep(0.05)
    abandoned = [a for a in answers if not isinstance(a, httpx.Response)]
    assert abandoned, "every request was answered, so none outlived the grace period"


def queue_screenshot() -> int:
    """A screenshot sent with consent to link, so that reading it is queued."""
    new = create_report()
    with holding_owner_key(new.report.pk, new.key):
        item = add_evidence(
            new.report, "chat.png", chat_screenshot("pay me or else", "07911 123456")
        )
        send_report(new.report, set(), [item.pk])
        consent_to_linking(new.report)
    assert DBTaskResult.objects.count() == 1
    return int(item.pk)


def wait_for_status(status: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status=status).count() == 0:
        assert time.monotonic() < deadline, f"no task became {status}"
        time.sleep(0.05)


def test_the_worker_finishes_its_task_then_exits() -> None:
    evidence_id = queue_screenshot()
    worker = dontpay("worker", "--interval", "0.1")
    try:
        wait_for_status("RUNNING")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        worker.kill()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert EvidenceText.objects.filter(evidence_id=evidence_id).exists()


def test_the_worker_stops_a_task_that_outlives_the_grace_period() -> None:
    queue_screenshot()
    worker = dontpay("worker", "--interval", "0.1", extra={"DONTPAY_SHUTDOWN_GRACE": "0.05"})
    try:
        wait_for_status("RUNNING")
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        assert time.monotonic() - started < 10
    finally:
        worker.kill()
    assert DBTaskResult.objects.get().status == "FAILED"  # recorded, so it can be queued again


#: A stand-in for the demo that starts the task worker as the demo does, from a process with
#: more than one thread (as the demo has, for its web server), then waits to be killed.
THREADED_PARENT = """
import threading, time
import django
django.setup()
from dontpay.site.management.commands.demo import start_worker
for _ in range(50):
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
start_worker()
time.sleep(600)
"""


def test_the_demo_worker_finishes_its_task_when_the_demo_is_killed() -> None:
    # Linux signals a child once each time it hands it to another parent: to the dead demo's
    # other threads, then to PID 1. Taken as a second SIGTERM, that abandoned the task at once.
    queue_screenshot()
    parent = subprocess.Popen(
        [sys.executable, "-c", THREADED_PARENT], env=dontpay_environment(), cwd=ROOT
    )
    try:
        wait_for_status("RUNNING")
        (worker,) = children_of(parent.pid)
        parent.kill()
        parent.wait(timeout=30)
        assert wait_until_gone([worker], timeout=60) == [], "the worker outlived the demo"
    finally:
        parent.kill()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


DEMO = [sys.executable, "-m", "dontpay.site.cli", "demo"]

#: How long the demo's task worker may go on with its task once the demo has gone: the demo
#: queues screenshots to read, and reading one takes seconds on a busy machine.
DEMO_GRACE = 10


def start_demo(data_dir: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`dontpay demo` on its own embedded database; returns it and its children's pids (its
    task worker and its web server's worker)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DONTPAY_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["DONTPAY_SHUTDOWN_GRACE"] = str(DEMO_GRACE)
    demo = subprocess.Popen(
        [*DEMO, "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        cwd=ROOT,
        text=True,
        stdout=subprocess.DEVNULL,
    )
    wait_until_answering(f"http://127.0.0.1:{port}/", demo, timeout=400)
    children = children_of(demo.pid)
    assert len(children) == 2, "the demo runs a task worker and a web server worker"
    return demo, children


def wait_until_gone(pids: list[int], timeout: float = 30) -> list[int]:
    """The pids still alive after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_demo_leaves_nothing_behind(tmp_path: Path, signum: int) -> None:
    demo, children = start_demo(tmp_path / "demo")
    try:
        demo.send_signal(signum)
        status = demo.wait(timeout=DEMO_GRACE + 60)
        # A task in progress may finish within the grace period; stopping it, recording it as
        # failed and exiting take a few seconds more on a busy machine.
        assert wait_until_gone(children, timeout=DEMO_GRACE + 30) == [], "a child outlived it"
        assert status == (-signal.SIGKILL if signum == signal.SIGKILL else 0)
    finally:
        demo.kill()
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_serve_leaves_no_web_worker_behind(signum: int) -> None:
    web = start_web()
    workers = children_of(web.process.pid)
    try:
        assert len(workers) == 1, "serve runs the app in one worker process"
        web.stop(signum)
        assert wait_until_gone(workers) == [], "the web worker outlived serve"
    finally:
        web.process.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
