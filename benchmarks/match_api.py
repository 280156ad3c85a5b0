"""The match API's own cost: how much CPU a 100-hash `POST /api/v1/match` spends outside the index.

Claim: the server's overhead for a 100-hash request (everything but the index search:
middleware, token check, rate count, JSON parsing and validation, the change-log query,
serialisation) is at most **2x** the index search time of the same request, on SQLite and on
PostgreSQL.

Baseline, measured in the same requests: the CPU time spent inside `PdqIndex.search_arrays`
while each request ran (the index search itself, with the caches as a request leaves them).
Requests go through Django's WSGI handler in this process, exactly as the web server calls it,
one after another on one thread, so CPU time per request is what one web process spends, and
requests/s per process on one core is its inverse. Each database runs in its own process with
its own bank of `--bank` random hashes, imported with `dontpay bank import`'s code path; half of
each request's hashes are near copies of bank entries (10 bits flipped), half random.

    uv run python benchmarks/match_api.py [--bank 1000000] [--requests 300] [--rounds 5] \
        [--postgres URL]   # a PostgreSQL database the benchmark may empty
"""

import argparse
import io
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time

import numpy as np

TARGET = 2.0


def child(database_url: str | None, data_dir: str, bank: int, requests: int, rounds: int) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DONTPAY_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "dontpay.site.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from dontpay.bank.index import bank_index
    from dontpay.bank.threatexchange import import_signal_file
    from dontpay.bank.tokens import create_token

    settings.DONTPAY_API_RATE = 10**9  # measure the count, never refuse
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, (bank, 32), dtype=np.uint8)
    started = time.perf_counter()
    import_signal_file(f"pdq {code.tobytes().hex()}" for code in codes)
    loaded = time.perf_counter() - started
    secret = create_token("benchmark", ["match"]).secret

    flipped = np.unpackbits(codes[rng.choice(bank, 50, replace=False)], axis=1)
    for row in flipped:
        row[rng.choice(256, 10, replace=False)] ^= 1
    near = [code.tobytes().hex() for code in np.packbits(flipped, axis=1)]
    far = [code.tobytes().hex() for code in rng.integers(0, 256, (50, 32), dtype=np.uint8)]
    body = json.dumps({"signals": [{"type": "pdq", "value": v} for v in near + far]}).encode()
    app = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/match",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "HTTP_AUTHORIZATION": f"Bearer {secret}",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }

    def request() -> bytes:
        status = []
        answer = b"".join(
            app({**environ, "wsgi.input": io.BytesIO(body)}, lambda s, h: status.append(s))
        )
        if not status[0].startswith("200"):
            raise RuntimeError(f"{status[0]}: {answer[:300]!r}")
        return answer

    results = json.loads(request())["results"]
    assert all(result["matches"] for result in results[:50]), "a near copy was not found"
    images = bank_index()._images
    search = images.search_arrays
    spent = [0.0]

    def timed_search(*args: object, **options: object) -> object:
        before = time.process_time()
        try:
            return search(*args, **options)  # type: ignore[arg-type]
        finally:
            spent[0] += time.process_time() - before

    images.search_arrays = timed_search  # type: ignore[method-assign]
    for _ in range(50):
        request()
    rows = []
    for _ in range(rounds):
        spent[0] = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            request()
        cpu = (time.process_time() - cpu) / requests
        wall = (time.perf_counter() - wall) / requests
        rows.append((cpu, spent[0] / requests, wall))
    name = "PostgreSQL" if database_url else "SQLite"
    for label, pick in (("median", statistics.median), ("best", min)):
        cpu = pick(r[0] for r in rows)
        index = pick(r[1] for r in rows)
        wall = pick(r[2] for r in rows)
        overhead = cpu - index
        print(
            f"| {name} | {label} of {rounds} | {cpu * 1000:.2f} | {index * 1000:.2f} | "
            f"{overhead * 1000:.2f} | {overhead / index:.2f} | {1 / cpu:,.0f} | {1 / wall:,.0f} | "
            f"{'meets' if overhead / index <= TARGET else 'MISSES'} | {os.getloadavg()[0]:.2f} |",
            flush=True,
        )
    print(f"({name}: bank of {bank:,} imported in {loaded:.0f} s)", file=sys.stderr)
    call_command("flush", interactive=False, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", help="a PostgreSQL database URL the benchmark may empty")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(
        f"POST /api/v1/match, 100 hashes a request (50 near copies, 50 random), bank of "
        f"{args.bank:,}; {args.requests} requests a round; {os.cpu_count()} CPUs, "
        f"{platform.machine()}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    print(
        "| database | rounds | request CPU ms | index ms (baseline) | overhead ms | "
        f"overhead / index (target <= {TARGET:g}) | requests/s a process (CPU) | "
        "requests/s (wall) | | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        databases = [] if args.skip_sqlite else [None]
        databases += [args.postgres] if args.postgres else []
        for url in databases:
            process = spawn.Process(
                target=child, args=(url, folder, args.bank, args.requests, args.rounds)
            )
            process.start()
            process.join()
            if process.exitcode:
                raise SystemExit(f"the {url or 'SQLite'} run failed")


if __name__ == "__main__":
    main()
