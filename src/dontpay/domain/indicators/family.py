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


@dataclass(frozen=True)
class EnrichmentExample:
    """A canonical value (and its platform or network) and fields `enrich` must return."""

    value: str
    fields: dict[str, str]
    qualifier: str | None = None


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

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        """What a canonical value is, from data shipped with our libraries (never fetched):
        keys from `enrichment.FIELDS`. Empty where nothing more is known offline."""
        return {}

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        """Canonical values with (some of) what `enrich` must say about them."""
        return ()
