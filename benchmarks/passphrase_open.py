"""Opening a record with its passphrase: what the passphrase wrapping costs a sign-in, and so
what each guess costs an attacker.

Claim: unwrapping a record's data key with argon2id (RFC 9106's second setting: 64 MiB,
3 passes, 4 lanes) costs one sign-in no more than 2x what checking the passphrase with
Django's Argon2 password hasher cost before records were wrapped (the named baseline,
`check_password` with Django's defaults: 100 MiB, 2 passes, 8 lanes). The table also shows the
memory each guess costs someone trying passphrases against a stolen database. A wrong
passphrase must cost the same as a right one, so timing does not tell them apart. Each side
runs `--runs` times, interleaved; the median counts.

    uv run python benchmarks/passphrase_open.py [--runs 15]
"""

import argparse
import contextlib
import os
import platform
import statistics
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password  # noqa: E402

from dontpay.domain.custody import (  # noqa: E402
    WrongPassphrase,
    new_data_key,
    unwrap_for_owner,
    wrap_for_owner,
)
from dontpay.domain.custody.owner_key import MEMORY_COST_KIB  # noqa: E402

TARGET_RATIO = 2.0
PASSPHRASE = "K7QF2MXA93TDPW4R"  # noqa: S105 - a made-up example
REFERENCE = "DP-7F3K-9QX2"


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    hashed = make_password(PASSPHRASE)
    wrapped = wrap_for_owner(new_data_key(), PASSPHRASE, REFERENCE)

    def wrong() -> None:
        with contextlib.suppress(WrongPassphrase):
            unwrap_for_owner(wrapped, "WRONGWRONGWRONG1", REFERENCE)

    def right() -> None:
        unwrap_for_owner(wrapped, PASSPHRASE, REFERENCE)

    def before() -> None:
        check_password(PASSPHRASE, hashed)

    half = max(1, args.runs // 2)
    rows = [  # interleaved halves, so load changes hit every side alike
        tuple(median_seconds(work, half) for work in (before, right, wrong)) for _ in range(2)
    ]
    baseline, ours, wrong_guess = (statistics.median(row[n] for row in rows) for n in range(3))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'':38} {'seconds':>8} {'memory/guess':>13} {'ratio':>6}")
    for name, seconds, memory in (
        ("baseline: Django check_password", baseline, Argon2PasswordHasher.memory_cost),
        ("ours: unwrap with the passphrase", ours, MEMORY_COST_KIB),
        ("ours: a wrong passphrase", wrong_guess, MEMORY_COST_KIB),
    ):
        print(f"{name:38} {seconds:8.3f} {memory // 1024:10} MiB {seconds / baseline:6.2f}")
    verdict = "met" if ours / baseline <= TARGET_RATIO else "missed"
    print(f"target: ours <= {TARGET_RATIO}x baseline: {verdict}")
    print(f"a wrong passphrase costs {wrong_guess / ours:.2f} of a right one")


if __name__ == "__main__":
    main()
