"""Indicators: phone numbers, emails, handles, wallets, bank accounts and links found in reports.

Each family lives in its own module and turns the many spellings of one thing into one canonical
value, so that reports made by different people about the same group can be linked by `key`.
"""

from .enrichment import FIELDS as ENRICHMENT_FIELDS
from .enrichment import described, enrichment
from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .platforms import PLATFORMS
from .scan import FAMILIES, TYPES, canonical_indicator, find_indicators

__all__ = [
    "ENRICHMENT_FIELDS",
    "FAMILIES",
    "PLATFORMS",
    "TYPES",
    "EnrichmentExample",
    "Example",
    "Indicator",
    "IndicatorFamily",
    "InvalidIndicator",
    "canonical_indicator",
    "described",
    "enrichment",
    "find_indicators",
]
