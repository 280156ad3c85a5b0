"""The shape every indicator family shares, so that a new family is one new module.

A family names its type, finds candidates in free text (with character spans), canonicalises one
value typed into a structured field, and declares `examples()` that the test suite runs for it.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from .indicator import Indicator


@dataclass(frozen=True)
class Example:
    """A text and exactly the keys `find_indicators(text, region)` must return for it, in order."""

    text: str
    keys: tuple[str, ...] = ()
    region: str = "GB"


class IndicatorFamily(ABC):
    """One kind of indicator (phone, email, handle…)."""

    type: ClassVar[str]

    @abstractmethod
    def find(self, text: str, region: str) -> Iterator[Indicator]:
        """Every valid candidate in `text`; the caller resolves overlaps between families."""

    @abstractmethod
    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        """The canonical form of one value on its own; raises `InvalidIndicator` saying why not."""

    @abstractmethod
    def examples(self) -> tuple[Example, ...]:
        """Texts with the keys they yield, including texts that yield nothing of this family."""
