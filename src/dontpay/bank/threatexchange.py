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
from .submissions import NewSubmission, analyse_bank, store_signal_stream

#: A signal with a quality we do not know: threatexchange files do not carry one for PDQ.
ImportedSignal = tuple[str, str, int | None]


#: Bad lines named in an error, at most; the rest are counted.
MAX_NAMED_PROBLEMS = 100


class InvalidSignalFile(ValueError):
    """A signal file with lines we cannot read; `problems` names each (the first
    `MAX_NAMED_PROBLEMS`, then how many more) by line number."""

    def __init__(self, problems: list[str], more: int = 0) -> None:
        self.problems = problems + ([f"and {more} more line(s)"] if more else [])
        count = len(problems) + more
        shown = "; ".join(problems[:5]) + ("; …" if count > 5 else "")
        super().__init__(f"{count} line(s) cannot be read: {shown}")


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
    and PIN like any other.

    The file is read once, a chunk at a time, each chunk stored as it is read, all in one
    transaction: memory stays bounded whatever the file's size, and a malformed line, even the
    last, stores nothing (`InvalidSignalFile`). The bank's tables are analysed afterwards, so
    the database plans its queries for their new size.
    """
    reader = SignalFileReader(lines)
    submission = store_signal_stream(reader.signals(), Submission.IMPORT)
    analyse_bank()
    return ImportedFile(submission, reader.count, dict(reader.skipped))


def export_lines(entries: Iterable[BankEntry]) -> Iterator[str]:
    """One line (without newline) for each entry."""
    for entry in entries:
        if entry.signal_type == BankEntry.PDQ:
            yield f"pdq {entry.value}"
        else:
            features = features_from_lines(entry.value.splitlines())
            yield f"vpdq {json.dumps([_compact(feature) for feature in features])}"


class SignalFileReader:
    """Reads the pdq and vpdq signals of a file as it goes, counting what it skips."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.count = 0
        self.skipped: Counter[str] = Counter()

    def signals(self) -> Iterator[ImportedSignal]:
        """The signals in file order. Once a line is malformed no more come: the rest of the
        file is checked, and `InvalidSignalFile` names the bad lines at the end, as it does
        when the file holds no pdq or vpdq signal at all."""
        problems: list[str] = []
        more_problems = 0
        for number, line in enumerate(self._lines, start=1):
            try:
                signal = self._signal(line)
            except InvalidSignal as problem:
                if len(problems) < MAX_NAMED_PROBLEMS:
                    problems.append(f"line {number}: {problem}")
                else:
                    more_problems += 1
                continue
            if signal is None:
                continue
            self.count += 1
            if not problems:
                yield signal
        if problems:
            raise InvalidSignalFile(problems, more_problems)
        if not self.count:
            raise InvalidSignalFile(["the file holds no pdq or vpdq signals"])

    def _signal(self, line: str) -> ImportedSignal | None:
        kind, _, value = line.strip().partition(" ")
        if kind == BankEntry.PDQ:
            return kind, check_real_image_pdq(parse_pdq(value)), None
        if kind == BankEntry.VPDQ:
            features = _features_from_json(value)
            quality = round(sum(f.quality for f in features) / len(features))
            return kind, "\n".join(features_to_lines(features)), quality
        if kind:
            self.skipped[kind] += 1
        return None


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
