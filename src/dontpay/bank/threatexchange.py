"""The bank as a python-threatexchange signal file, and back.

The format is the one the ``threatexchange`` CLI reads as a ``local_file`` collaboration and
prints with ``threatexchange dataset --print-signals --print-signals-only``: one signal a line,
``<signal type> <signal>``. We read and write two types:

* ``pdq <64 hex digits>``
* ``vpdq <JSON list of "pdq hex,quality,timestamp" strings>`` — python-threatexchange's
  ``VPDQSignal`` form, which has no frame numbers: frames are numbered by position on import.

Blank lines are skipped; lines of other types (md5, url, …) are counted and skipped.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dontpay.domain.bounded_json import load_json
from dontpay.domain.signals import (
    InvalidSignal,
    VpdqFeature,
    check_real_image_pdq,
    features_to_lines,
    parse_pdq,
)
from dontpay.domain.signals.vpdq import features_from_lines

from .models import BankEntry, Submission
from .submissions import NewSubmission, store_signals

#: A signal with a quality we do not know: threatexchange files do not carry one for PDQ.
ImportedSignal = tuple[str, str, int | None]


class InvalidSignalFile(ValueError):
    """A signal file with lines we cannot read; `problems` names each by line number."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        super().__init__(f"{len(problems)} line(s) cannot be read: {shown}")


@dataclass(frozen=True)
class SignalFile:
    """The signals read from a file, and how many lines of each other type were skipped."""

    signals: list[ImportedSignal]
    skipped: dict[str, int]


@dataclass(frozen=True)
class ImportedFile:
    """The submission an import made, how many signals it held, and what was skipped."""

    submission: NewSubmission
    imported: int
    skipped: dict[str, int]


def live_entries() -> Iterator[BankEntry]:
    """Every live entry, oldest first."""
    return BankEntry.objects.filter(live=True).order_by("id").iterator(chunk_size=2000)


def import_signal_file(lines: Iterable[str]) -> ImportedFile:
    """Add a file's signals to the bank as one submission, withdrawable with its case number
    and PIN like any other."""
    read = read_signal_file(lines)
    if not read.signals:
        raise InvalidSignalFile(["the file holds no pdq or vpdq signals"])
    return ImportedFile(
        store_signals(read.signals, Submission.IMPORT), len(read.signals), read.skipped
    )


def export_lines(entries: Iterable[BankEntry]) -> Iterator[str]:
    """One line (without newline) for each entry."""
    for entry in entries:
        if entry.signal_type == BankEntry.PDQ:
            yield f"pdq {entry.value}"
        else:
            features = features_from_lines(entry.value.splitlines())
            yield f"vpdq {json.dumps([_compact(feature) for feature in features])}"


def read_signal_file(lines: Iterable[str]) -> SignalFile:
    """The pdq and vpdq signals of a file; `InvalidSignalFile` if any of them is malformed."""
    signals: list[ImportedSignal] = []
    skipped: Counter[str] = Counter()
    problems = []
    for number, line in enumerate(lines, start=1):
        kind, _, value = line.strip().partition(" ")
        if not kind:
            continue
        try:
            if kind == BankEntry.PDQ:
                signals.append((kind, check_real_image_pdq(parse_pdq(value)), None))
            elif kind == BankEntry.VPDQ:
                features = _features_from_json(value)
                quality = round(sum(f.quality for f in features) / len(features))
                signals.append((kind, "\n".join(features_to_lines(features)), quality))
            else:
                skipped[kind] += 1
        except InvalidSignal as problem:
            problems.append(f"line {number}: {problem}")
    if problems:
        raise InvalidSignalFile(problems)
    return SignalFile(signals, dict(skipped))


def _compact(feature: VpdqFeature) -> str:
    return f"{feature.hash},{feature.quality},{feature.timestamp:.3f}"


def _features_from_json(text: str) -> list[VpdqFeature]:
    try:
        items = load_json(text)
    except ValueError:
        raise InvalidSignal("vpdq signal is not a JSON list") from None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise InvalidSignal('vpdq signal must be a JSON list of "hash,quality,timestamp"')
    lines = []
    for position, item in enumerate(items):
        fields = item.split(",")
        if len(fields) != 3:
            raise InvalidSignal(f"vpdq frame {position + 1} is not hash,quality,timestamp")
        pdq_hex, quality, timestamp = fields
        lines.append(f"{position},{quality},{pdq_hex},{timestamp}")
    return features_from_lines(lines)
