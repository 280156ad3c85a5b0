"""Choosing the web server by measurement: waitress (what `dontpay serve` ran before granian,
with the settings it had), gunicorn with gthread workers, granian as its own command starts it,
and `dontpay serve` (granian as the product runs it: proxy check, limits, drain), each with one
process for the app and the same number of threads, on the same PostgreSQL database, in one run.

Claim: the server `dontpay serve` runs is the fastest of them that keeps request bodies out of
the disk in the clear, or within a few per cent of it; `serve` is as fast as bare granian.

For each server, in turn and in `--rounds` interleaved rounds (so that the machine's other load
falls on all of them alike):
- **bodies**: a 6 MB upload sent but for its last kilobyte, then every file the server process
  has open (deleted ones too) and its temporary directory are searched for the upload's bytes;
- **victim pages**: `--requests` GETs of the victim pages from 50 concurrent clients;
- **match API**: `--match-requests` calls of 100 hashes each from 8 clients against a bank of
  `--bank` hashes.

Baseline: waitress, measured in the same run; each row's ratio is against it. The server
process's own CPU time per request (from /proc) is given beside the rates, as it depends less
on what else the machine runs than the wall-clock figures.

    uv run python benchmarks/web_servers.py [--bank 200000] [--requests 1500] [--rounds 2]
"""

# ruff: noqa: S603 - the only programs started are this checkout's dontpay and its servers

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from web_load import (
    DONTPAY,
    PAGES,
    ROOT,
    GetPages,
    Match,
    free_port,
    fresh_database,
    load_bank,
    match_token,
    near,
    rss_mb,
    run_clients,
    wait_for,
)

BIN = Path(sys.executable).parent
THREADS = 8
APP = "dontpay.site.wsgi:application"
#: What `dontpay serve` gave waitress, with the default evidence limits: every body the product
#: accepts (10 files of 20 MB, the form, 1 MB margin) and every response it sends (twice a
#: report's 200 MB of evidence, plus 16 MB) held in memory, and a larger body refused with 413.
WAITRESS_LARGEST_REQUEST = 10 * 20 * 2**20 + 2**20 + 2**20
WAITRESS_LARGEST_RESPONSE = 2 * 200 * 2**20 + 16 * 2**20


def command(server: str, port: int) -> list[str]:
    """How each server is started: one process for the app, `THREADS` threads."""
    if server == "serve":
        return [*DONTPAY, "serve", "--port", str(port), "--threads", str(THREADS)]
    if server == "waitress":
        return [
            str(BIN / "waitress-serve"),
            f"--listen=127.0.0.1:{port}",
            f"--threads={THREADS}",
            "--connection-limit=400",
            f"--max-request-body-size={WAITRESS_LARGEST_REQUEST}",
            f"--inbuf-overflow={WAITRESS_LARGEST_REQUEST + 1}",
            f"--outbuf-overflow={WAITRESS_LARGEST_RESPONSE}",
            APP,
        ]
    if server == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            APP,
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ]
    return [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--blocking-threads",
        str(THREADS),
        "--log-level",
        "warning",
        APP,
    ]


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its threads (and of any children it waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[n]) for n in (11, 12, 13, 14))
    return ticks / os.sysconf("SC_CLK_TCK")


def server_pids(process: subprocess.Popen[bytes]) -> list[int]:
    """The server's process and its children (gunicorn's and granian's workers)."""
    pids = [process.pid]
    for child in Path(f"/proc/{process.pid}/task").glob("*/children"):
        pids += [int(pid) for pid in child.read_text().split()]
    return pids


def body_on_disk(pids: list[int], temporary: Path, port: int) -> bool:
    """Whether a 6 MB upload's bytes are in any file the server has open while it arrives."""
    marker = b"PLAINTEXT-" + secrets.token_hex(16).encode()
    boundary = "----dontpay" + secrets.token_hex(8)
    content = marker * (6 * 2**20 // len(marker))
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /report/evidence/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    found = False
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        try:
            connection.sendall(head + body[:-1024])
            time.sleep(1.5)
            found = _holding(pids, temporary, marker)
            connection.sendall(body[-1024:])
            connection.recv(4096)
        except OSError:  # a server that streams the body to the app may answer (403) early
            pass
    return found or _holding(pids, temporary, marker)


def _holding(pids: list[int], temporary: Path, marker: bytes) -> bool:
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
                if target.startswith(("socket:", "pipe:", "anon_inode:", "/dev/")):
                    continue
                with open(fd, "rb") as opened:
                    if marker in opened.read():
                        return True
            except OSError:
                continue
    return any(p.is_file() and marker in p.read_bytes() for p in temporary.rglob("*"))


def measure(server: str, env: dict[str, str], token: str, bodies: list, args) -> dict[str, float]:  # type: ignore[type-arg, no-untyped-def]
    port = free_port()
    temporary = Path(tempfile.mkdtemp(prefix=f"dontpay-{server}-"))
    process = subprocess.Popen(
        command(server, port),
        env={**env, "TMPDIR": str(temporary)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(temporary / "server.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for(url, process)
        except RuntimeError:
            print((temporary / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        headers = {"Authorization": f"Bearer {token}"}
        httpx.post(f"{url}/api/v1/match", json=bodies[0], headers=headers, timeout=600)
        asyncio.run(run_clients([url], 10, 100, GetPages(PAGES), 10))  # warm up
        pids = server_pids(process)
        on_disk = body_on_disk(pids, temporary, port)

        before = sum(cpu_seconds(pid) for pid in pids)
        pages = asyncio.run(run_clients([url], 50, args.requests, GetPages(PAGES), 50))
        pages_cpu = sum(cpu_seconds(pid) for pid in pids) - before

        before = sum(cpu_seconds(pid) for pid in pids)
        match = asyncio.run(run_clients([url], 8, args.match_requests, Match(token, bodies), 8))
        match_cpu = sum(cpu_seconds(pid) for pid in pids) - before
        lat = sorted(pages.latencies) or [0.0]
        mlat = sorted(match.latencies) or [0.0]
        return {
            "on_disk": float(on_disk),
            "pages_rate": len(pages.latencies) / pages.seconds,
            "pages_p50": lat[len(lat) // 2] * 1000,
            "pages_p95": lat[int(0.95 * (len(lat) - 1))] * 1000,
            "pages_errors": pages.errors,
            "pages_cpu_ms": 1000 * pages_cpu / max(1, len(pages.latencies)),
            "match_rate": 100 * len(match.latencies) / match.seconds,
            "match_p99": mlat[int(0.99 * (len(mlat) - 1))] * 1000,
            "match_errors": match.errors,
            "match_cpu_ms": 1000 * match_cpu / max(1, len(match.latencies)),
            "rss": sum(rss_mb(pid) for pid in pids),
            "load": os.getloadavg()[0],
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--match-requests", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--servers", default="waitress,gunicorn,granian,serve")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="dontpay_web_servers")
    args = parser.parse_args()
    servers = args.servers.split(",")

    database_url = fresh_database(args.postgres, args.database)
    data_dir = Path(tempfile.mkdtemp(prefix="dontpay-servers-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DONTPAY_DATA_DIR": str(data_dir),
        "DONTPAY_API_RATE": str(10**9),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DONTPAY_REDIS_URL", None)
    subprocess.run([*DONTPAY, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    codes = load_bank(database_url, args.bank)
    token = match_token(env)
    rng = np.random.default_rng(7)
    bodies = [
        {
            "signals": [
                {"type": "pdq", "value": near(codes[i], rng)}
                for i in rng.integers(0, args.bank, 100)
            ]
        }
        for _ in range(30)
    ]
    results: dict[str, list[dict[str, float]]] = {server: [] for server in servers}
    try:
        for _ in range(args.rounds):
            for server in servers:
                results[server].append(measure(server, env, token, bodies, args))
    finally:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    def median(server: str, key: str) -> float:
        return statistics.median(run[key] for run in results[server])

    loads = [run["load"] for runs in results.values() for run in runs]
    print(
        f"load average during the runs {min(loads):.1f}-{max(loads):.1f}, {os.cpu_count()} "
        f"cores; {THREADS} threads, one app process each; bank {args.bank:,}; "
        f"median of {args.rounds} interleaved rounds"
    )
    print(
        "| server | body on disk | pages req/s | ratio | p50 ms | p95 ms | errors | CPU ms/req "
        "| match hashes/s | ratio | p99 ms | CPU ms/call | RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    base = servers[0]
    for server in servers:
        print(
            f"| {server} | {'yes' if median(server, 'on_disk') else 'no'} "
            f"| {median(server, 'pages_rate'):,.0f} "
            f"| {median(server, 'pages_rate') / median(base, 'pages_rate'):.2f} "
            f"| {median(server, 'pages_p50'):.0f} | {median(server, 'pages_p95'):.0f} "
            f"| {median(server, 'pages_errors'):.0f} | {median(server, 'pages_cpu_ms'):.1f} "
            f"| {median(server, 'match_rate'):,.0f} "
            f"| {median(server, 'match_rate') / median(base, 'match_rate'):.2f} "
            f"| {median(server, 'match_p99'):.0f} | {median(server, 'match_cpu_ms'):.1f} "
            f"| {median(server, 'rss'):.0f} |"
        )


if __name__ == "__main__":
    main()
