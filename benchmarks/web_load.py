"""Load on the production layout: two `dontpay serve` processes, a `dontpay worker`, one
PostgreSQL and one Redis, driven by an asyncio HTTP client on loopback.

Claims (targets in the table):
- victim pages (GET) at 50 concurrent clients: p95 <= 100 ms, 0 errors;
- the match API, 100 hashes a request against a 1,000,000-hash bank: >= 2,000 hashes/s per web
  process, p99 <= 250 ms.

Baseline, measured in the same run through the same processes: `/healthz`, the least work a
request through the same server, middleware and proxy-free loopback can do. The ratio says how
much of a page's latency is the page itself. For the match API the baseline is the same bank
matched in this process, with no HTTP, which is the ceiling the API can approach.

Every number is bounded: each concurrency level sends a fixed number of requests. Nothing
leaves the machine. The script makes (and at the end drops) its own database.

    uv run python benchmarks/web_load.py [--bank 1000000] [--requests 2000] [--redis URL]
"""

# ruff: noqa: S603 - the only programs started are this checkout's own `dontpay` commands

import argparse
import asyncio
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parents[1]
DONTPAY = [sys.executable, "-m", "dontpay.site.cli"]
PAGES = ["/", "/staying-safe/", "/report/", "/protect/", "/report/sign-in/"]
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ANSWER = re.compile(r'name="answer"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="answer"')
_FIRST_QUESTION = re.compile(r'href="(/questions/[a-z0-9-]+/)"')


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self, name: str, extra: str = "") -> str:
        lat = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

        rate = len(self.latencies) / self.seconds if self.seconds else 0
        return (
            f"| {name} | {len(self.latencies)} | {self.errors} | {rate:,.0f} | "
            f"{pct(0.5):.1f} | {pct(0.95):.1f} | {pct(0.99):.1f} | {extra} |"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fresh_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def load_bank(database_url: str, size: int) -> np.ndarray:
    """`size` random live PDQ entries, written with COPY; returns their packed bytes."""
    rng = np.random.default_rng(13)
    codes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    with psycopg.connect(database_url) as db, db.cursor() as cursor:
        columns = "signal_type, value, value_digest, quality, live, created_at"
        with cursor.copy(f"COPY bank_bankentry ({columns}) FROM STDIN") as copy:
            for code in codes:
                value = code.tobytes().hex()
                digest = hashlib.sha256(value.encode()).hexdigest()
                copy.write_row(("pdq", value, digest, 90, True, "2026-12-01T00:00:00Z"))
    return codes


def near(code: np.ndarray, rng: np.random.Generator, bits: int = 10) -> str:
    flipped = np.unpackbits(code.copy())
    flipped[rng.choice(256, bits, replace=False)] ^= 1
    return np.packbits(flipped).tobytes().hex()


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"{url}/healthz", timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("a dontpay process did not start") from None
            time.sleep(0.2)


async def run_clients(
    urls: list[str], clients: int, total: int, one: "Job", limit_per_host: int
) -> Sample:
    """`clients` concurrent users, each with its own cookies, sharing `total` requests between
    them round-robin over the web processes (as a proxy would)."""
    sample = Sample()
    remaining = [total]

    async def user(number: int) -> None:
        base = urls[number % len(urls)]
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while remaining[0] > 0:
                remaining[0] -= 1
                started = time.perf_counter()
                try:
                    ok = await one(client)
                except httpx.HTTPError:
                    ok = False
                if ok:
                    sample.latencies.append(time.perf_counter() - started)
                else:
                    sample.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(clients)))
    sample.seconds = time.perf_counter() - started
    return sample


class Job:
    async def __call__(self, client: httpx.AsyncClient) -> bool:
        raise NotImplementedError


class GetPages(Job):
    def __init__(self, paths: list[str]) -> None:
        self.paths, self.turn = paths, 0

    async def __call__(self, client: httpx.AsyncClient) -> bool:
        self.turn += 1
        response = await client.get(self.paths[self.turn % len(self.paths)])
        return response.status_code == 200


class QuestionCycle(Job):
    """One answer: GET a question page, POST the first choice, follow to the next page. Each
    user walks the questions from the first to the plan, then starts again."""

    def __init__(self, first: str) -> None:
        self.first = first
        self.next: dict[int, str] = {}

    async def __call__(self, client: httpx.AsyncClient) -> bool:
        path = self.next.get(id(client), self.first)
        page = await client.get(path)
        token, answer = _CSRF.search(page.text), _ANSWER.search(page.text)
        if page.status_code != 200 or not token or not answer:
            return False
        response = await client.post(
            path,
            data={"csrfmiddlewaretoken": token[1], "answer": answer[1] or answer[2]},
            follow_redirects=False,
        )
        if response.status_code != 302:
            return False
        location = response.headers["location"]
        self.next[id(client)] = location if "/questions/" in location else self.first
        return True


class Match(Job):
    def __init__(self, token: str, bodies: list[dict[str, object]]) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}
        self.bodies, self.turn = bodies, 0

    async def __call__(self, client: httpx.AsyncClient) -> bool:
        self.turn += 1
        body = self.bodies[self.turn % len(self.bodies)]
        response = await client.post("/api/v1/match", json=body, headers=self.headers)
        return response.status_code == 200 and len(response.json()["results"]) == 100


def match_token(env: dict[str, str]) -> str:
    """A platform token with the match scope, made in the deployment `env` points at."""
    made = subprocess.run(
        [
            *DONTPAY,
            "shell",
            "-c",
            "from dontpay.bank.tokens import create_token; "
            "print(create_token('Load test', ['match']).secret)",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return made.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bank", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000, help="per concurrency level")
    parser.add_argument("--match-requests", type=int, default=300)
    parser.add_argument("--concurrency", default="10,50,100")
    parser.add_argument("--threads", type=int, default=8, help="app threads per web process")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="dontpay_web_load")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    levels = [int(n) for n in args.concurrency.split(",")]

    database_url = fresh_database(args.postgres, args.database)
    data_dir = Path(tempfile.mkdtemp(prefix="dontpay-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DONTPAY_REDIS_URL": args.redis,
        "DONTPAY_DATA_DIR": str(data_dir),
        "DONTPAY_API_RATE": str(10**9),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run([*DONTPAY, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.perf_counter()
    codes = load_bank(database_url, args.bank)
    print(f"bank of {args.bank:,} hashes loaded in {time.perf_counter() - started:.0f} s")
    token = match_token(env)

    ports = [free_port(), free_port()]
    webs = [
        subprocess.Popen(
            [*DONTPAY, "serve", "--port", str(p), "--threads", str(args.threads)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        for p in ports
    ]
    worker = subprocess.Popen([*DONTPAY, "worker"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url, web in zip(urls, webs, strict=True):
            wait_for(url, web)
        rng = np.random.default_rng(7)
        bodies = [
            {
                "signals": [
                    {"type": "pdq", "value": near(codes[i], rng)}
                    for i in rng.integers(0, args.bank, 100)
                ]
            }
            for _ in range(50)
        ]
        started = time.perf_counter()
        for url in urls:  # each process builds its index on its first match
            httpx.post(
                f"{url}/api/v1/match",
                json=bodies[0],
                headers={"Authorization": f"Bearer {token}"},
                timeout=600,
            )
        print(f"both indexes built in {time.perf_counter() - started:.0f} s")
        first = _FIRST_QUESTION.search(httpx.get(f"{urls[0]}/").text)
        if not first:
            raise RuntimeError("the start page links to no question")

        rows = []
        for clients in levels:
            base = asyncio.run(
                run_clients(urls, clients, args.requests, GetPages(["/healthz"]), clients)
            )
            pages = asyncio.run(run_clients(urls, clients, args.requests, GetPages(PAGES), clients))
            cycle = asyncio.run(
                run_clients(urls, clients, args.requests // 2, QuestionCycle(first[1]), clients)
            )
            ratio = _p95(pages) / _p95(base) if _p95(base) else 0
            rows.append(base.row(f"baseline /healthz, {clients} clients"))
            rows.append(
                pages.row(
                    f"victim pages GET, {clients} clients",
                    f"p95 {ratio:.1f}x baseline"
                    + ("; target p95 <= 100 ms, 0 errors" if clients == 50 else ""),
                )
            )
            rows.append(cycle.row(f"question GET+POST, {clients} clients"))

        in_process = _match_in_process(codes, bodies)
        for clients in (2, 8):
            match = asyncio.run(
                run_clients(urls, clients, args.match_requests, Match(token, bodies), clients)
            )
            per_process = 100 * len(match.latencies) / match.seconds / len(urls)
            rows.append(
                match.row(
                    f"match API, 100 hashes, {clients} clients",
                    f"{per_process:,.0f} hashes/s per process ({per_process / in_process:.2f}x "
                    f"in-process {in_process:,.0f}/s); target >= 2,000, p99 <= 250 ms",
                )
            )
        print(
            f"\nload average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores; "
            f"{args.threads} threads per web process; bank {args.bank:,}"
        )
        print("| run | requests | errors | req/s | p50 ms | p95 ms | p99 ms | notes |")
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(rows))
        print("\n| process | RSS MB |\n|---|---|")
        for number, web in enumerate(webs, 1):
            print(f"| web {number} (index of {args.bank:,} loaded) | {rss_mb(web.pid):.0f} |")
        print(f"| worker | {rss_mb(worker.pid):.0f} |")
    finally:
        for process in [*webs, worker]:
            process.send_signal(signal.SIGTERM)
        for process in [*webs, worker]:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(args.postgres, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def _p95(sample: Sample) -> float:
    lat = sorted(sample.latencies)
    return lat[int(0.95 * (len(lat) - 1))] if lat else 0.0


def _match_in_process(codes: np.ndarray, bodies: list[dict[str, object]]) -> float:
    """Hashes/s of the same index, in this process, with no HTTP: the API's ceiling."""
    from dontpay.domain.signals.index import PdqIndex

    index = PdqIndex()
    index.add(np.arange(len(codes)), codes)
    queries = [s["value"] for b in bodies for s in b["signals"]]  # type: ignore[attr-defined]
    packed = np.frombuffer(bytes.fromhex("".join(queries)), dtype=np.uint8).reshape(-1, 32)
    index.search_arrays(packed[:100])  # compile
    started = time.perf_counter()
    for start in range(0, len(packed), 100):
        index.search_arrays(packed[start : start + 100])
    return len(packed) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
