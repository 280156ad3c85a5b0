"""The real web server never writes a request body to disk, and refuses bodies too large.

A `dontpay serve` process is started with its own temporary directory. An upload that passes
the CSRF check, so that the app reads it as it arrives, far larger than any server's or Django's
in-memory buffer (waitress's 512 KB, Django's 2.5 MB), is sent up to its last bytes and held
there, while the test reads every file the server's processes have open (including deleted
temporary files, which /proc still shows) and every file in its temporary directory, looking for
the upload's bytes.
"""

import os
import re
import secrets
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_FILE_MB = 1  # so that the limits are small enough to test: 10 files of 1 MB, plus 1 MB
LIMIT = 10 * MAX_FILE_MB * 2**20 + 2**20

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux /proc")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    tmp_path = tmp_path_factory.mktemp("server")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "TMPDIR": str(temporary),
        "DONTPAY_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DONTPAY_EVIDENCE_MAX_FILE_MB": str(MAX_FILE_MB),
    }
    dontpay = [sys.executable, "-m", "dontpay.site.cli"]
    subprocess.run([*dontpay, "migrate", "-v0"], env=env, cwd=ROOT, check=True)  # for sessions
    process = subprocess.Popen(
        [*dontpay, "serve", "--port", str(port), "--threads", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            log = (tmp_path / "server.log").read_text(errors="replace")
            raise AssertionError(f"the server did not start: {log[-2000:]}")
        yield process, port, temporary
    finally:
        process.terminate()
        process.wait(timeout=10)


def multipart(marker: bytes, size: int, token: str = "") -> tuple[bytes, str]:
    """A form with one file of `size` bytes of `marker`, after the CSRF token if given."""
    boundary = "----dontpay" + secrets.token_hex(8)
    content = (marker * (size // len(marker) + 1))[:size]
    field = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n"
    )
    body = (
        (
            (field if token else "") + f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="files"; filename="screenshot.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def request_head(port: int, length: int, content_type: str, cookie: str = "") -> bytes:
    return (
        f"POST /report/evidence/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    ).encode()


def signed_form(port: int) -> tuple[str, str]:
    """(CSRF token, Cookie header) of a session that has shown a form, so that a post passes
    the CSRF check and the app reads its body."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        page = client.get("/report/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "the form has no CSRF token"
        return token[1], "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def processes(pid: int) -> list[int]:
    """The server's process and its children (granian's worker runs the app)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(child) for child in children.read_text().split())]


def files_holding(pid: int, temporary: Path, marker: bytes) -> list[str]:
    """Every file the server's processes have open, or its temporary directory holds,
    containing marker."""
    holding = []
    for fd in [fd for each in processes(pid) for fd in Path(f"/proc/{each}/fd").iterdir()]:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(("socket:", "pipe:", "anon_inode:", "/dev/")):
            continue
        try:
            with open(fd, "rb") as opened:  # works for deleted files too
                if marker in opened.read():
                    holding.append(target)
        except OSError:
            continue
    for path in temporary.rglob("*"):
        if path.is_file() and marker in path.read_bytes():
            holding.append(str(path))
    return holding


def response_status(connection: socket.socket) -> int:
    received = b""
    while b"\r\n" not in received:
        chunk = connection.recv(4096)
        if not chunk:
            break
        received += chunk
    return int(received.split(b" ", 2)[1])


def send_until_answered(connection: socket.socket, head: bytes, body: bytes) -> bytes:
    """Send a request and read the whole answer. A server that answers from the headers alone
    (granian, whose app refuses the declared length) is given no body; one that waits for the
    body is sent it, until it answers."""
    connection.sendall(head)
    sent = 0
    while sent < len(body) and not select.select([connection], [], [], 5 if sent == 0 else 0)[0]:
        sent += connection.send(body[sent : sent + 65536])
    page = b""
    while chunk := connection.recv(65536):
        page += chunk
    return page


def test_an_upload_is_held_in_memory_while_it_arrives(server) -> None:  # type: ignore[no-untyped-def]
    process, port, temporary = server
    marker = b"PLAINTEXT-" + secrets.token_hex(16).encode()
    token, cookie = signed_form(port)
    body, content_type = multipart(marker, 6 * 2**20, token)  # far over any in-memory buffer
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request_head(port, len(body), content_type, cookie) + body[:-1024])
        time.sleep(1.0)  # the server has read all but the last kilobyte
        assert files_holding(process.pid, temporary, marker) == []
        connection.sendall(body[-1024:])
        status = response_status(connection)
    assert status < 500
    assert files_holding(process.pid, temporary, marker) == []


def test_a_body_over_the_limit_is_refused_with_a_page_that_says_why(server) -> None:  # type: ignore[no-untyped-def]
    process, port, temporary = server
    marker = b"PLAINTEXT-" + secrets.token_hex(16).encode()
    body, content_type = multipart(marker, LIMIT + 1000)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        page = send_until_answered(connection, request_head(port, len(body), content_type), body)
    assert page.startswith(b"HTTP/1.1 413")
    assert b"That is too much at once: upload up to 10 files of 1 MB." in page
    assert files_holding(process.pid, temporary, marker) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(server) -> None:  # type: ignore[no-untyped-def]
    _, port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request_head(port, 50 * LIMIT, "multipart/form-data; boundary=x"))
        assert response_status(connection) == 413
