"""Finding every indicator in a text, and canonicalising one typed value.

Where candidates of different families overlap, the longest wins (a profile link over the name in
it, an email over its domain, a URL over the digits in its query), and on equal spans the order of
`TYPES` decides (a profile link is a handle, not a url). One exception keeps evidence that matters:
a crypto address inside a blockchain-explorer URL is reported as well as the URL.
"""

from dataclasses import replace

import phonenumbers

from .bank_account import BankAccountFamily
from .crypto import CryptoAddressFamily
from .email import EmailFamily
from .family import IndicatorFamily
from .handle import HandleFamily
from .iban import IbanFamily
from .indicator import Indicator, InvalidIndicator
from .phone import PhoneFamily
from .plain_text import plain_text
from .url import UrlFamily

FAMILIES: tuple[IndicatorFamily, ...] = (
    PhoneFamily(),
    EmailFamily(),
    HandleFamily(),
    CryptoAddressFamily(),
    IbanFamily(),
    BankAccountFamily(),
    UrlFamily(),
)
TYPES: tuple[str, ...] = tuple(family.type for family in FAMILIES)
FAMILY_BY_TYPE = {family.type: family for family in FAMILIES}
_ORDER = {name: position for position, name in enumerate(TYPES)}
_MAY_NEST = {("url", "crypto_address")}


def checked_region(region: str) -> str:
    """The region code in upper case, or `InvalidIndicator` if libphonenumber does not know it."""
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidIndicator(f"region: {region!r} is not an ISO 3166 alpha-2 region we know")
    return code


class _Occupied:
    """Which characters of a text the kept indicators cover, by family kind.

    Checking and marking a span costs its length (in C), so resolving every overlap stays linear
    in the text however many candidates it holds; comparing each candidate with every kept one
    was quadratic (a text of 16,000 `$a` cashtags took seconds).
    """

    def __init__(self, length: int) -> None:
        self._by_type = {name: bytearray(length) for name in TYPES}

    def clashes(self, candidate: Indicator) -> bool:
        start, end = candidate.span
        return any(
            covered.find(1, start, end) != -1
            for kept_type, covered in self._by_type.items()
            if (kept_type, candidate.type) not in _MAY_NEST
        )

    def keep(self, indicator: Indicator) -> None:
        start, end = indicator.span
        self._by_type[indicator.type][start:end] = b"\x01" * (end - start)


def find_indicators(text: str, region: str = "GB") -> list[Indicator]:
    """Every distinct canonical indicator in text (one per key, earliest span), in text order.

    The families read the text as a moderator would (`plain_text`: invisible characters dropped,
    fullwidth letters and digits made plain, numbers written in words turned into digits); each
    span points at the place in `text` where the indicator was written."""
    region = checked_region(region)
    plain = plain_text(text)
    candidates = sorted(
        (found for family in FAMILIES for found in family.find(plain.text, region)),
        key=lambda found: (found.span[0] - found.span[1], _ORDER[found.type], found.span[0]),
    )
    occupied = _Occupied(len(plain.text))
    kept: list[Indicator] = []
    for candidate in candidates:
        if not occupied.clashes(candidate):
            occupied.keep(candidate)
            kept.append(candidate)
    first_by_key: dict[str, Indicator] = {}
    for indicator in sorted(kept, key=lambda found: found.span):
        first_by_key.setdefault(
            indicator.key, replace(indicator, span=plain.source_span(indicator.span))
        )
    return list(first_by_key.values())


def canonical_indicator(
    type: str, value: str, *, platform: str | None = None, region: str = "GB"
) -> Indicator:
    """Canonicalise one value typed into a structured field; `InvalidIndicator` says why not."""
    family = FAMILY_BY_TYPE.get(type)
    if family is None:
        raise InvalidIndicator(
            f"type: {type!r} is not an indicator type; allowed: {', '.join(TYPES)}"
        )
    if platform is not None and type != "handle":
        raise InvalidIndicator(f"platform: only a handle has a platform, not a {type}")
    written = plain_text(value).text
    if not written.strip():
        raise InvalidIndicator(f"{type}: the value is empty")
    found = family.canonical(written, platform=platform, region=checked_region(region))
    return replace(found, span=(0, len(value)))
