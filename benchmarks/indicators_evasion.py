"""Indicators written to dodge filters: precision and recall over canonical keys.

Claim: on the evaluation set of evasive messages (`tests/fixtures/evasions/evaluation.yaml`:
handles after a bare platform word or in brackets, leetspeak and look-alike letters, spaced,
dotted and spelt-out phone numbers, "at"/"dot" addresses, platform words in other languages, and
messages that only look like they hold one), `find_indicators` reaches precision >= 0.98 and
recall >= 0.95 over the canonical keys. The baseline is the extractor as it was before it read
evasions (`src/dontpay/domain/indicators` at commit `BASELINE_COMMIT`, loaded from git in the same
run). The development set, which the rules were written against, is reported beside it.

    uv run python benchmarks/indicators_evasion.py [--baseline-commit SHA] [--show-misses]
"""

# ruff: noqa: S603, S607 - the only program started is git, to read this checkout's own history

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dontpay.domain.indicators import find_indicators  # noqa: E402

#: The last commit before the extractor read evasions.
BASELINE_COMMIT = "5bcaf1e"
SETS = ("evaluation", "development")
TARGET_PRECISION, TARGET_RECALL = 0.98, 0.95
PACKAGE = "src/dontpay/domain/indicators"

Extractor = Callable[[str, str], list[Any]]


def load_messages(name: str) -> list[dict[str, Any]]:
    path = ROOT / "tests" / "fixtures" / "evasions" / f"{name}.yaml"
    messages: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    return messages


def baseline_extractor(commit: str, folder: Path) -> Extractor:
    """`find_indicators` as it was at `commit`, imported as a package of its own."""
    package = folder / "baseline_indicators"
    package.mkdir()
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", commit, f"{PACKAGE}/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for path in listed:
        content = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:{path}"], check=True, capture_output=True
        ).stdout
        (package / Path(path).name).write_bytes(content)
    sys.path.insert(0, str(folder))
    module = importlib.import_module("baseline_indicators")
    extractor: Extractor = module.find_indicators
    return extractor


def score(extract: Extractor, messages: list[dict[str, Any]]) -> tuple[float, float, list[str]]:
    """Micro-averaged precision and recall over keys, and the messages that were wrong."""
    found_right = found_total = expected_total = 0
    misses = []
    for message in messages:
        expected = set(message.get("keys") or [])
        found = {item.key for item in extract(message["text"], message.get("region", "GB"))}
        found_right += len(found & expected)
        found_total += len(found)
        expected_total += len(expected)
        if found != expected:
            misses.append(
                f"{message['text']!r}: missed {expected - found}, extra {found - expected}"
            )
    precision = found_right / found_total if found_total else 1.0
    recall = found_right / expected_total if expected_total else 1.0
    return precision, recall, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-commit", default=BASELINE_COMMIT)
    parser.add_argument("--show-misses", action="store_true")
    arguments = parser.parse_args()
    print(f"# load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        baseline = baseline_extractor(arguments.baseline_commit, Path(folder))
        print(
            "| set | messages | keys | baseline precision | baseline recall "
            "| precision | recall | recall ratio to baseline |"
        )
        print("|---|---|---|---|---|---|---|---|")
        verdict, all_misses = True, []
        for name in SETS:
            messages = load_messages(name)
            keys = sum(len(message.get("keys") or []) for message in messages)
            base_precision, base_recall, _ = score(baseline, messages)
            precision, recall, misses = score(find_indicators, messages)
            ratio = recall / base_recall if base_recall else float("inf")
            print(
                f"| {name} | {len(messages)} | {keys} | {base_precision:.3f} | {base_recall:.3f} "
                f"| {precision:.3f} | {recall:.3f} | {ratio:.1f} |"
            )
            all_misses += [f"{name}: {miss}" for miss in misses]
            if name == "evaluation":
                verdict = precision >= TARGET_PRECISION and recall >= TARGET_RECALL
    print()
    print(
        f"target on the evaluation set: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}"
    )
    if arguments.show_misses:
        print("\n".join(all_misses))
    print("PASS" if verdict else "FAIL")
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
