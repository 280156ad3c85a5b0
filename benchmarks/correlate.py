"""Linking reports: clustering a national-scale index, and linking one new report into it.

Claims: (1) clustering 1,000,000 reports with about 5 indicators each (connected components
of the report-indicator incidence) takes at most 60 s and 4 GB, and recovers every planted
ring exactly; (2) linking one new report against that index (`link_report`: one query for the
reports sharing its indicators, one for their clusters, one update) takes at most 50 ms at the
99th percentile, on SQLite and on PostgreSQL. The baseline is the pairwise correlation table
that MISP-style tools store (one row per ordered pair of reports sharing a value), built on
100,000 of the same reports: its rows and build time against ours on the same reports.

Synthetic data: rings of 5 to 50 reports, each linked end to end through a chain of shared
values (member j mentions ring values j and j+1), about 2% of reports; the other reports draw
values at random from a pool ten times the number of mentions (so some share by chance, as
unrelated victims of one offender do), and a few values are shared by 300 reports each (the
common values an analyst is asked to check). Each phase runs in its own process, so its peak
memory (maximum resident set size) is its own.

    uv run python benchmarks/correlate.py [--reports 1000000] [--links 1000] [--skip-db]
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from dontpay.domain.correlate import linked_reports, pairwise_rows, pairwise_table

TARGET_SECONDS, TARGET_GB, TARGET_P99_MS = 60, 4, 50
PAIRWISE_REPORTS = 100_000
COMMON_VALUES, COMMON_SHARE = 10, 300
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
BENCH_DATABASE = "dontpay_bench"
GB = 1024**3


def synthetic_index(reports: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """(report ids, indicator ids, the planted rings' report ids); reports are 1..`reports`."""
    generator = np.random.default_rng(seed)
    rings: list[np.ndarray] = []
    report_rows: list[np.ndarray] = []
    indicator_rows: list[np.ndarray] = []
    next_report, ring_value = 1, 1
    unique_value = 10 * reports * 5 + 1  # values above the random pool, never shared
    while next_report <= reports // 50:
        size = int(generator.integers(5, 51))
        members = np.arange(next_report, next_report + size, dtype=np.int64)
        next_report += size
        rings.append(members)
        chain = ring_value + np.arange(size, dtype=np.int64)
        ring_value += size + 1
        extras = unique_value + np.arange(size * 3, dtype=np.int64)
        unique_value += size * 3
        report_rows += [members, members, np.repeat(members, 3)]
        indicator_rows += [-chain, -(chain + 1), extras]  # ring values: negative ids
    noise = np.arange(next_report, reports + 1, dtype=np.int64)
    counts = generator.integers(3, 8, noise.size)  # 3-7 values each, 5 on average
    noise_reports = np.repeat(noise, counts)
    noise_values = generator.integers(1, 10 * reports * 5, noise_reports.size, dtype=np.int64)
    common = generator.choice(noise_reports.size, COMMON_VALUES * COMMON_SHARE, replace=False)
    noise_values[common] = 10 * reports * 5 + 10**9 + np.arange(common.size) % COMMON_VALUES
    report_ids = np.concatenate([*report_rows, noise_reports])
    indicator_ids = np.concatenate([*indicator_rows, noise_values])
    # One row per distinct (report, indicator), as the index holds them.
    pairs = np.unique(np.stack([report_ids, indicator_ids], axis=1), axis=0)
    return pairs[:, 0].copy(), pairs[:, 1].copy(), rings


def rings_recovered(reports: np.ndarray, clusters: np.ndarray, rings: list[np.ndarray]) -> int:
    """How many planted rings are exactly one cluster (all members, nothing else)."""
    sizes = dict(zip(*np.unique(clusters, return_counts=True), strict=True))
    position = np.searchsorted(reports, np.concatenate(rings))
    labels = np.split(clusters[position], np.cumsum([ring.size for ring in rings])[:-1])
    return sum(
        1
        for ring, label in zip(rings, labels, strict=True)
        if (label == label[0]).all() and sizes[label[0]] == ring.size
    )


def phase_cluster(reports: int) -> dict[str, object]:
    report_ids, indicator_ids, rings = synthetic_index(reports)
    started = time.perf_counter()
    linked, clusters = linked_reports(report_ids, indicator_ids)
    seconds = time.perf_counter() - started
    return {
        "rows": int(report_ids.size),
        "seconds": seconds,
        "linked": int(linked.size),
        "clusters": int(np.unique(clusters).size),
        "rings": len(rings),
        "recovered": rings_recovered(linked, clusters, rings),
        "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def phase_pairwise(reports: int) -> dict[str, object]:
    report_ids, indicator_ids, _ = synthetic_index(reports)
    started = time.perf_counter()
    first, _second = pairwise_table(report_ids, indicator_ids)
    pairwise_seconds = time.perf_counter() - started
    started = time.perf_counter()
    linked_reports(report_ids, indicator_ids)
    ours_seconds = time.perf_counter() - started
    assert first.size == pairwise_rows(indicator_ids)
    return {
        "incidence_rows": int(report_ids.size),
        "pairwise_rows": int(first.size),
        "pairwise_seconds": pairwise_seconds,
        "ours_seconds": ours_seconds,
    }


def phase_database(reports: int, links: int, vendor: str) -> dict[str, object]:
    """Load the index into a throwaway database made by our migrations, then time linking."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from dontpay.cases.models import Report
    from dontpay.intel.linking import index_report, link_report

    call_command("migrate", verbosity=0, skip_checks=True)
    report_ids, indicator_ids, _ = synthetic_index(reports)
    linked, clusters = linked_reports(report_ids, indicator_ids)
    values, dense = np.unique(indicator_ids, return_inverse=True)
    started = time.perf_counter()
    _bulk_load(connection, vendor, reports, report_ids, dense + 1, values, linked, clusters)
    load_seconds = time.perf_counter() - started

    generator = np.random.default_rng(11)
    ring_values = [int(v) + 1 for v in np.flatnonzero(values < 0)]
    noise_values = np.flatnonzero(values > 0) + 1
    link_times, index_times = [], []
    from dontpay.domain.indicators import Indicator

    for number in range(2 * links):
        report = Report.objects.create(
            reference=f"N{number:011d}", passphrase_hash="", wrapped_key=b"", record=b""
        )
        chosen = [int(v) for v in generator.choice(noise_values, 3)]
        if number % 2:
            chosen.append(ring_values[int(generator.integers(len(ring_values)))])
        if number < links:
            # The report's rows are written as indexing writes them; only linking is timed.
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO intel_reportindicator (report_id, indicator_id, source, seen_at)"
                    " VALUES (%s, %s, 'record', CURRENT_TIMESTAMP)",
                    [(report.pk, value) for value in chosen],
                )
            started = time.perf_counter()
            link_report(report.pk)
            link_times.append(time.perf_counter() - started)
        else:
            found = [Indicator("crypto_address", f"w{v}", (0, 0), network="btc") for v in chosen]
            found.append(Indicator("email", f"new{number}@example.org", (0, 0)))
            started = time.perf_counter()
            index_report(report, "record", found)
            index_times.append(time.perf_counter() - started)
    return {
        "load_seconds": load_seconds,
        "link_p50_ms": 1000 * float(np.percentile(link_times, 50)),
        "link_p99_ms": 1000 * float(np.percentile(link_times, 99)),
        "index_p50_ms": 1000 * float(np.percentile(index_times, 50)),
        "index_p99_ms": 1000 * float(np.percentile(index_times, 99)),
    }


def _bulk_load(connection, vendor, reports, report_ids, indicator_pk, values, linked, clusters):  # type: ignore[no-untyped-def]
    """Fast bulk inserts: COPY on PostgreSQL, executemany in one transaction on SQLite."""
    now = "2026-01-01 00:00:00+00"
    tables = {
        "cases_report": (
            "id, reference, passphrase_hash, wrapped_key, record, jurisdiction, created_at,"
            " updated_at, head_signature",
            ((n, f"B{n:011d}", "", b"", b"", "GB", now, now, b"") for n in range(1, reports + 1)),
        ),
        "intel_indicator": (
            "id, type, qualifier, value, key, first_seen, report_count, warninglisted",
            (
                (n, "crypto_address", "btc", f"w{n}", f"crypto_address:btc:w{n}", now, 0, False)
                for n in range(1, values.size + 1)
            ),
        ),
        "intel_reportindicator": (
            "id, report_id, indicator_id, source, seen_at",
            (
                (n, r, i, "record", now)
                for n, (r, i) in enumerate(
                    zip(report_ids.tolist(), indicator_pk.tolist(), strict=True), 1
                )
            ),
        ),
        "intel_clustermembership": (
            "report_id, cluster",
            zip(linked.tolist(), clusters.tolist(), strict=True),
        ),
    }
    connection.ensure_connection()
    raw = connection.connection
    if vendor == "postgresql":
        with raw.cursor() as cursor:
            for table, (columns, rows) in tables.items():
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("cases_report", "intel_indicator", "intel_reportindicator"):
                restart = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: E501, S608 - our own table names
                cursor.execute(restart)
            cursor.execute("ANALYZE")
    else:
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute("BEGIN")
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" * len(columns.split(",")))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our tables
            raw.executemany(insert, rows)
        raw.commit()
        raw.execute("PRAGMA synchronous = FULL")
        raw.execute("ANALYZE")
        raw.commit()


def _child(phase: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, __file__, "--phase", phase, "--reports", str(args.reports)]
    command += ["--links", str(args.links)]
    done = subprocess.run(  # noqa: S603 - this script, with our own arguments
        command, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
        admin.execute(sql)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=1_000)
    parser.add_argument("--skip-db", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phases = {
            "cluster": lambda: phase_cluster(args.reports),
            "pairwise": lambda: phase_pairwise(min(args.reports, PAIRWISE_REPORTS)),
            "sqlite": lambda: phase_database(args.reports, args.links, "sqlite"),
            "postgresql": lambda: phase_database(args.reports, args.links, "postgresql"),
        }
        print(json.dumps(phases[args.phase]()))
        return

    cluster = _child("cluster", args, {})
    pairwise = _child("pairwise", args, {})
    databases: dict[str, dict[str, object]] = {}
    if not args.skip_db:
        with tempfile.TemporaryDirectory(prefix="dontpay-bench-") as work:
            base = {"DONTPAY_DATA_DIR": work, "DJANGO_SETTINGS_MODULE": "dontpay.site.settings"}
            sqlite = {**base, "DATABASE_URL": f"sqlite:///{Path(work) / 'bench.sqlite3'}"}
            databases["SQLite"] = _child("sqlite", args, sqlite)
            _postgres(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            _postgres(f"CREATE DATABASE {BENCH_DATABASE}")
            try:
                postgres = {**base, "DATABASE_URL": POSTGRES + BENCH_DATABASE}
                databases["PostgreSQL"] = _child("postgresql", args, postgres)
            finally:
                _postgres(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    _print_table(args, cluster, pairwise, databases)


def _print_table(args, cluster, pairwise, databases) -> None:  # type: ignore[no-untyped-def]
    print(
        f"{args.reports} reports, {cluster['rows']} report-indicator rows; {os.cpu_count()} CPUs, "
        f"{platform.machine()}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    seconds, peak = cluster["seconds"], cluster["peak_bytes"] / GB
    print("full clustering (connected components)")
    print(f"  time {seconds:.1f} s (target <= {TARGET_SECONDS} s: "
          f"{'meets' if seconds <= TARGET_SECONDS else 'MISSES'}); peak memory of the phase, "
          f"data included {peak:.2f} GB (target <= {TARGET_GB} GB: "
          f"{'meets' if peak <= TARGET_GB else 'MISSES'})")  # fmt: skip
    print(f"  {cluster['linked']} linked reports in {cluster['clusters']} clusters; planted "
          f"rings recovered exactly: {'yes' if cluster['recovered'] == cluster['rings'] else 'NO'}"
          f" ({cluster['recovered']} of {cluster['rings']})")  # fmt: skip
    reports = min(args.reports, PAIRWISE_REPORTS)
    print(f"baseline on {reports} of the reports: pairwise correlation table (MISP-style)")
    rows = pairwise["pairwise_rows"]
    print(f"  {'':34}{'rows':>12}{'seconds':>10}")
    print(f"  {'baseline: pairwise table':34}{rows:12}{pairwise['pairwise_seconds']:10.3f}")
    print(f"  {'ours: incidence + components':34}{pairwise['incidence_rows']:12}"
          f"{pairwise['ours_seconds']:10.3f}")  # fmt: skip
    print(
        f"  ratio rows baseline/ours: {rows / pairwise['incidence_rows']:.1f}; "
        f"time baseline/ours: {pairwise['pairwise_seconds'] / pairwise['ours_seconds']:.1f}"
    )
    if databases:
        print(f"linking one new report against the {args.reports}-report index, "
              f"{args.links} reports each")  # fmt: skip
        print(f"  {'':12}{'load s':>8}{'link p50 ms':>13}{'link p99 ms':>13}"
              f"{'index p50 ms':>14}{'index p99 ms':>14}"
              f"  target p99 <= {TARGET_P99_MS} ms")  # fmt: skip
        for name, result in databases.items():
            verdict = "meets" if result["link_p99_ms"] <= TARGET_P99_MS else "MISSES"
            print(f"  {name:12}{result['load_seconds']:8.0f}{result['link_p50_ms']:13.1f}"
                  f"{result['link_p99_ms']:13.1f}{result['index_p50_ms']:14.1f}"
                  f"{result['index_p99_ms']:14.1f}  {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
