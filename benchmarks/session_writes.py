"""The question flow on SQLite, with sessions written only when they change, compared with
sessions written on every request (Django's ``SESSION_SAVE_EVERY_REQUEST``, as before).

Claim: at 10 clients the question cycle (GET a question, POST an answer) writes the session
once instead of twice, and its p99 falls accordingly; the victim's session still expires at
most two hours after the last request.

Two `dontpay serve` processes on two fresh SQLite databases, identical but for that one
setting, are measured in turns (ours, baseline, ours, …) by an asyncio client on loopback, each
round with the same number of requests; `/healthz` through our server is the floor. Session
writes are counted by an SQLite trigger on the session table, so the count is the database's
own. Every round's percentiles and the load average beside them are printed, then their median.

    uv run python benchmarks/session_writes.py [--clients 2,10] [--rounds 3] [--cycles 400]
"""

# ruff: noqa: S603 - the only programs started are this checkout's own `dontpay` commands

import argparse
import asyncio
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_load import (
    _FIRST_QUESTION,
    DONTPAY,
    ROOT,
    GetPages,
    QuestionCycle,
    Sample,
    free_port,
    rss_mb,
    run_clients,
    wait_for,
)

EVERY_REQUEST_SETTINGS = "from dontpay.site.settings import *  # noqa\n" + (
    "SESSION_SAVE_EVERY_REQUEST = True\n"
)
COUNT_WRITES = """
CREATE TABLE IF NOT EXISTS bench_session_writes (n INTEGER NOT NULL);
INSERT INTO bench_session_writes VALUES (0);
CREATE TRIGGER bench_session_insert AFTER INSERT ON django_session
  BEGIN UPDATE bench_session_writes SET n = n + 1; END;
CREATE TRIGGER bench_session_update AFTER UPDATE ON django_session
  BEGIN UPDATE bench_session_writes SET n = n + 1; END;
"""


class Server:
    """One `dontpay serve` on its own SQLite database, its session writes counted."""

    def __init__(self, name: str, directory: Path, settings_module: str | None) -> None:
        self.name, self.database = name, directory / "dontpay.sqlite3"
        self.env = {
            **os.environ,
            "DONTPAY_DATA_DIR": str(directory),
            "PYTHONPATH": os.pathsep.join([str(directory.parent), str(ROOT)]),
        }
        self.env.pop("DATABASE_URL", None)
        if settings_module:
            self.env["DJANGO_SETTINGS_MODULE"] = settings_module
        subprocess.run([*DONTPAY, "migrate", "-v0"], env=self.env, check=True, cwd=ROOT)
        with sqlite3.connect(self.database) as db:
            db.executescript(COUNT_WRITES)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [*DONTPAY, "serve", "--port", str(port)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.url, self.process)

    def session_writes(self) -> int:
        with sqlite3.connect(self.database) as db:
            return int(db.execute("SELECT n FROM bench_session_writes").fetchone()[0])

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def percentiles(sample: Sample) -> tuple[float, float, float]:
    lat = sorted(sample.latencies) or [0.0]
    return tuple(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 for p in (0.5, 0.95, 0.99))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="2,10")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cycles", type=int, default=400, help="question cycles per round")
    args = parser.parse_args()

    top = Path(tempfile.mkdtemp(prefix="dontpay-sessions-"))
    (top / "every_request_settings.py").write_text(EVERY_REQUEST_SETTINGS)
    ours = Server("ours: written when changed", top / "ours", None)
    baseline = Server("baseline: written every request", top / "every", "every_request_settings")
    try:
        first = _FIRST_QUESTION.search(httpx.get(f"{ours.url}/").text)
        if not first:
            raise RuntimeError("the start page links to no question")
        idle_rss = rss_mb(ours.process.pid)
        print(
            "| clients | server | round | cycles/s | p50 ms | p95 ms | p99 ms | "
            "session writes per cycle | errors | load avg (1 min) |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        summary: list[str] = []
        for clients in [int(n) for n in args.clients.split(",")]:
            results: dict[str, list[tuple[float, float, float, float]]] = {}
            for number in range(1, args.rounds + 1):
                floor = asyncio.run(
                    run_clients([ours.url], clients, args.cycles, GetPages(["/healthz"]), clients)
                )
                p50, p95, p99 = percentiles(floor)
                print(
                    f"| {clients} | floor: /healthz | {number} | "
                    f"{len(floor.latencies) / floor.seconds:,.0f} | {p50:.1f} | {p95:.1f} | "
                    f"{p99:.1f} | | {floor.errors} | {os.getloadavg()[0]:.1f} |"
                )
                for server in (ours, baseline):
                    before = server.session_writes()
                    sample = asyncio.run(
                        run_clients(
                            [server.url], clients, args.cycles, QuestionCycle(first[1]), clients
                        )
                    )
                    writes = (server.session_writes() - before) / max(1, len(sample.latencies))
                    p50, p95, p99 = percentiles(sample)
                    rate = len(sample.latencies) / sample.seconds
                    results.setdefault(server.name, []).append((p50, p95, p99, writes))
                    print(
                        f"| {clients} | {server.name} | {number} | {rate:,.0f} | {p50:.1f} | "
                        f"{p95:.1f} | {p99:.1f} | {writes:.2f} | {sample.errors} | "
                        f"{os.getloadavg()[0]:.1f} |"
                    )
            medians = {
                name: [statistics.median(r[i] for r in rounds) for i in range(4)]
                for name, rounds in results.items()
            }
            ours_p99, base_p99 = medians[ours.name][2], medians[baseline.name][2]
            summary.append(
                f"| {clients} | {medians[ours.name][0]:.1f} / {medians[baseline.name][0]:.1f} | "
                f"{ours_p99:.1f} / {base_p99:.1f} | {ours_p99 / base_p99:.2f}x | "
                f"{medians[ours.name][3]:.2f} / {medians[baseline.name][3]:.2f} |"
            )
        print(
            f"\nmedian of {args.rounds} rounds, ours / baseline; {os.cpu_count()} cores, "
            f"load average now {os.getloadavg()[0]:.1f}"
        )
        print("| clients | p50 ms | p99 ms | p99 ratio | session writes per cycle |")
        print("|---|---|---|---|---|")
        print("\n".join(summary))
        print(
            f"\nour web process RSS: {idle_rss:.0f} MB after its first page, "
            f"{rss_mb(ours.process.pid):.0f} MB after the load"
        )
    finally:
        ours.stop()
        baseline.stop()
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
