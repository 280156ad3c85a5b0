"""Signal types: each kind of hash names itself, checks its text form and compares two values.

A new type is one new class added to `SIGNAL_TYPES`; its `examples` are picked up by the test
suite, so it is tested the moment it exists.
"""

from abc import ABC, abstractmethod
from typing import ClassVar

from .pdq import PDQ_MATCH_DISTANCE, InvalidSignal, hamming_distance, parse_pdq
from .vpdq import features_from_lines, features_to_lines, match_video


class SignalType(ABC):
    """One kind of signal; values travel as text and are compared by `distance`.

    Two values match when their distance is at most `match_distance`.
    """

    name: ClassVar[str]
    match_distance: ClassVar[int]

    @abstractmethod
    def validate(self, value: str) -> str:
        """The value in canonical form, or `InvalidSignal` saying what is wrong with it."""

    @abstractmethod
    def distance(self, a: str, b: str) -> int:
        """How far apart two valid values are; 0 for the same."""

    @abstractmethod
    def examples(self) -> list[str]:
        """Valid values in canonical form, for tests and documentation."""


class PdqSignal(SignalType):
    """PDQ image hashes: 64 hex digits, compared by the number of differing bits."""

    name = "pdq"
    match_distance = PDQ_MATCH_DISTANCE

    def validate(self, value: str) -> str:
        return parse_pdq(value)

    def distance(self, a: str, b: str) -> int:
        return hamming_distance(a, b)

    def examples(self) -> list[str]:
        return [
            # The reference bridge photograph, and a labelme street scene.
            "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22",
            "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940",
            "0" * 64,
        ]


class VpdqSignal(SignalType):
    """vPDQ video hashes: feature lines ``frame_number,quality,hash,timestamp``.

    The distance is the percentage of frames, on the worse-matched side, with no counterpart
    in the other video by vPDQ's rule; 20 is vPDQ's usual 80 % match on both sides.
    """

    name = "vpdq"
    match_distance = 20

    def validate(self, value: str) -> str:
        return "\n".join(features_to_lines(features_from_lines(value.splitlines())))

    def distance(self, a: str, b: str) -> int:
        match = match_video(
            features_from_lines(a.splitlines()), features_from_lines(b.splitlines())
        )
        return round(100 * (1 - min(match.query_share, match.bank_share)))

    def examples(self) -> list[str]:
        return [
            "0,100,f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,0.000\n"
            "30,100,cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940,1.000",
            "0,87,1f811b9d267fbc6693c0c7f30e041f9df49b836303e10f067fcdfc12c02d01f9,0.000",
        ]


SIGNAL_TYPES: dict[str, SignalType] = {
    signal.name: signal for signal in (PdqSignal(), VpdqSignal())
}


def signal_type(name: str) -> SignalType:
    """The signal type called `name`, or `InvalidSignal` listing the known ones."""
    try:
        return SIGNAL_TYPES[name]
    except KeyError:
        known = ", ".join(sorted(SIGNAL_TYPES))
        raise InvalidSignal(f"unknown signal type {name!r}; known: {known}") from None
