"""Indicator extraction on hostile text: time must grow linearly with the length.

Claim: `find_indicators` on any text built to slow it (each fragment of
`tests/domain/indicators/hostile_texts.py` repeated, and random mixtures of them) grows at most
linearly from 12,000 to 48,000 to 200,000 characters, and takes under 1 s of CPU at 48,000 (the
web path allows 50,000 characters per field). The baseline is one plain linear regex scan of the
same text (`re.finditer(r"[@$]?\\w+", text)`: every word, the least work that reads the text);
the table gives our time, the baseline's, their ratio, and our growth per 4x of text.

    uv run python benchmarks/indicators_hostile.py [--lengths 12000,48000,200000] [--only NAME]
"""

import argparse
import math
import os
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.domain.indicators.hostile_texts import FRAGMENTS, mixed_text, repeated_text

from dontpay.domain.indicators import find_indicators

BASELINE = re.compile(r"[@$]?\w+")
TARGET_SECONDS_AT_48K = 1.0
TARGET_GROWTH = 8.0  # per 4x of text: linear is 4, quadratic 16


def cpu(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(text)
        best = min(best, time.process_time() - started)
    return max(best, 1e-4)


def baseline(text: str) -> int:
    return sum(1 for _ in BASELINE.finditer(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="12000,48000,200000")
    parser.add_argument("--only", help="one fragment name")
    arguments = parser.parse_args()
    lengths = [int(length) for length in arguments.lengths.split(",")]
    cases: list[tuple[str, Callable[[int], str]]] = [
        (name, lambda n, f=fragment: repeated_text(f, n)) for name, fragment in FRAGMENTS.items()
    ]
    cases += [(f"mixed (seed {seed})", lambda n, s=seed: mixed_text(n, s)) for seed in (1, 2, 3)]
    if arguments.only:
        cases = [case for case in cases if case[0] == arguments.only]
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"# load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    header = " | ".join(f"{n // 1000}k ours ms | {n // 1000}k base ms | ratio" for n in lengths)
    print(f"| text | {header} | growth per 4x |")
    print("|---" * (2 + 3 * len(lengths)) + "|")
    worst_growth, worst_48k = 0.0, 0.0
    for name, make in cases:
        cells, ours = [], []
        for length in lengths:
            text = make(length)
            mine, base = cpu(find_indicators, text), cpu(baseline, text)
            ours.append(mine)
            cells.append(f"{mine * 1000:,.1f} | {base * 1000:,.1f} | {mine / base:,.0f}")
            if length == 48_000:
                worst_48k = max(worst_48k, mine)
        # Growth normalised to a 4x step: (t2/t1) ** (log 4 / log(n2/n1)).
        growth = (ours[-1] / ours[0]) ** (math.log(4) / math.log(lengths[-1] / lengths[0]))
        worst_growth = max(worst_growth, growth)
        print(f"| {name} | {' | '.join(cells)} | {growth:.1f} |")
    print()
    print(f"worst growth per 4x: {worst_growth:.1f} (target < {TARGET_GROWTH}, linear = 4)")
    print(f"worst CPU at 48k: {worst_48k:.3f} s (target < {TARGET_SECONDS_AT_48K} s)")
    ok = worst_growth < TARGET_GROWTH and worst_48k < TARGET_SECONDS_AT_48K
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
