"""Bank import at scale: `dontpay bank import` of a million-line signal file, in bounded memory.

Claims: a file of 1,000,000 PDQ lines imports on SQLite and on PostgreSQL as one submission
(atomic: all or nothing), and the memory the command needs does not grow with the file: its peak
RSS at 1,000,000 lines is within 50 MB of its peak at 100,000 (a one-line import shows what
the command costs before it reads anything). Withdrawing that submission works
too, and afterwards PostgreSQL reads the change log through its index.

Baseline, measured in the same run on the same database: the least work that puts the same file
into the bank table, in a process started the same way: read each line, check it is 64 hex
digits, compute its SHA-256 key, and insert (type, value, key) rows with `executemany` in one
transaction, with no lookup of existing entries, no submission, no change log and no chunking.
Ours does all of those, so the ratio of times says what they cost.

Each import runs as its own process (`python -m dontpay.site.cli bank import FILE --json`, as an
administrator would run it); time and peak RSS come from `wait4`. The database is emptied
(`dontpay flush`) before each step: give `--postgres` a database you can spare.

    uv run python benchmarks/bank_import.py [--lines 1000000] [--postgres URL] [--skip-sqlite]
"""

# ruff: noqa: S603 - the only programs started are this checkout's own Python and commands

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DONTPAY = [sys.executable, "-m", "dontpay.site.cli"]
BOUNDED_MB = 50


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mb: float
    output: str


def run(command: list[str], env: dict[str, str]) -> Run:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors)
        output = process.stdout.read().decode() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command[2:])} failed: {errors.read()[-2000:]!r}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def write_file(path: Path, lines: int, seed: int) -> Path:
    codes = np.random.default_rng(seed).integers(0, 256, (lines, 32), dtype=np.uint8)
    with path.open("w") as file:
        for code in codes:
            file.write(f"pdq {code.tobytes().hex()}\n")
    return path


def baseline(file: Path) -> None:
    """Runs in a child process: the least work that loads the file into the bank table."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    import dontpay.bank.management.commands.bank  # noqa: F401 - the same modules as ours

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    with transaction.atomic(), connection.cursor() as cursor, file.open() as lines:
        for line in lines:
            kind, _, value = line.strip().partition(" ")
            if len(bytes.fromhex(value)) != 32:
                raise ValueError(line)
            rows.append((kind, value, hashlib.sha256(value.encode()).hexdigest(), True, now))
        cursor.executemany(
            "INSERT INTO bank_bankentry (signal_type, value, value_digest, live, created_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def catch_up_plan(env: dict[str, str]) -> str:
    """The plan and time of a match's change-log query after everything was applied."""
    code = (
        "import django; django.setup()\n"
        "from dontpay.bank.index import changes_after\n"
        "from dontpay.bank.models import SignalChange\n"
        "last = SignalChange.objects.latest('id').pk\n"
        "print(changes_after(last).explain(analyze=True))"
    )
    plan = run([sys.executable, "-c", code], env).output
    lines = [line.strip() for line in plan.splitlines()]
    scans = [line.split("(")[0].strip("-> ") for line in lines if "Scan" in line]
    execution = [line for line in lines if line.startswith("Execution Time")]
    return f"{', '.join(scans)}; {execution[0] if execution else ''}"


def measure(name: str, env: dict[str, str], files: dict[int, Path]) -> list[str]:
    env = {**env, "DJANGO_SETTINGS_MODULE": "dontpay.site.settings"}
    run([*DONTPAY, "migrate", "-v0"], env)
    rows = []

    def fresh() -> None:
        run([*DONTPAY, "flush", "--no-input", "-v0"], env)

    largest = max(files)
    fresh()
    base = run([sys.executable, __file__, "--baseline-child", str(files[largest])], env)
    ours: dict[int, Run] = {}
    for lines, file in sorted(files.items()):
        fresh()
        ours[lines] = run([*DONTPAY, "bank", "import", str(file), "--json"], env)
        assert json.loads(ours[lines].output)["imported"] == lines
    imported = json.loads(ours[largest].output)
    withdraw = run(
        [*DONTPAY, "bank", "withdraw", imported["case_number"], "--pin", imported["pin"]], env
    )
    plan = catch_up_plan(env) if "postgres" in env.get("DATABASE_URL", "") else ""
    fresh()
    load = os.getloadavg()[0]
    rows.append(f"| {name} | baseline: bare executemany | {largest:,} | {base.seconds:.1f} | "
                f"{base.cpu:.1f} | {base.peak_mb:.0f} | 1.00 | load {load:.2f} |")  # fmt: skip
    for lines, result in sorted(ours.items()):
        ratio = f"{result.seconds / base.seconds:.2f}" if lines == largest else ""
        rows.append(
            f"| {name} | ours: dontpay bank import | {lines:,} | {result.seconds:.1f} | "
            f"{result.cpu:.1f} | {result.peak_mb:.0f} | {ratio} | |"
        )
    rows.append(
        f"| {name} | ours: dontpay bank withdraw (all {largest:,}) | {largest:,} | "
        f"{withdraw.seconds:.1f} | {withdraw.cpu:.1f} | {withdraw.peak_mb:.0f} | | {plan} |"
    )
    growth = ours[largest].peak_mb - ours[largest // 10].peak_mb
    verdict = "meets" if growth <= BOUNDED_MB else "MISSES"
    rows.append(
        f"| {name} | peak RSS growth from {largest // 10:,} to {largest:,} lines: {growth:+.0f} MB "
        f"(target <= {BOUNDED_MB} MB: {verdict}) | | | | | | |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="a PostgreSQL database URL the benchmark may empty")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--baseline-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        baseline(args.baseline_child)
        return
    print(
        f"{args.lines:,} random PDQ lines; {os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f} at start"
    )
    print("| database | run | lines | seconds | CPU s | peak RSS MB | time / baseline | notes |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        files = {
            lines: write_file(Path(folder) / f"{lines}.txt", lines, seed=lines)
            for lines in (1, args.lines // 10, args.lines)
        }
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        if not args.skip_sqlite:
            sqlite = {**env, "DONTPAY_DATA_DIR": str(Path(folder) / "data")}
            print("\n".join(measure("SQLite", sqlite, files)), flush=True)
        if args.postgres:
            postgres = {**env, "DATABASE_URL": args.postgres}
            postgres["DONTPAY_DATA_DIR"] = str(Path(folder) / "data-pg")
            print("\n".join(measure("PostgreSQL", postgres, files)), flush=True)


if __name__ == "__main__":
    main()
