"""Why a value someone searches for is not an indicator, in words an analyst can act on.

A report can mention a value that links nothing because it is not usable: a fictional drama
number, a phone number one digit short, a wallet with a bad checksum. A search that finds
nothing should say so, rather than "no report mentions it".
"""

import re
from dataclasses import dataclass

from .indicator import Indicator, InvalidIndicator
from .phone import drama_number
from .scan import TYPES, canonical_indicator, find_indicators

FICTIONAL = "fictional"
INVALID = "invalid"

_PHONE_LIKE = re.compile(r"^[+(]?[\d\s().\-/]{6,}$")
_BANK_LIKE = re.compile(r"^\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s,;/]+\d{6,8}$")


@dataclass(frozen=True)
class NotIndexed:
    """A reading of the query that could not become an indicator, and why."""

    type: str
    reason: str  # FICTIONAL or INVALID
    message: str


@dataclass(frozen=True)
class QueryReading:
    """What a search query is: the indicators it canonicalises to, or why it is none."""

    indicators: tuple[Indicator, ...]
    not_indexed: tuple[NotIndexed, ...]


def read_query(query: str, region: str = "GB") -> QueryReading:
    """Every indicator `query` reads as (handles need a platform, so are left to the caller);
    if it reads as none, the likeliest reasons it is not one."""
    found = {indicator.key: indicator for indicator in find_indicators(query, region)}
    problems: dict[str, str] = {}
    for type in TYPES:
        if type == "handle":
            continue
        try:
            indicator = canonical_indicator(type, query, region=region)
        except InvalidIndicator as problem:
            problems[type] = str(problem)
        else:
            found.setdefault(indicator.key, indicator)
    if found:
        return QueryReading(tuple(found.values()), ())
    fictional = drama_number(query, region)
    if fictional:
        message = (
            f"{fictional} is in Ofcom's range of fictional numbers for TV and radio drama: it "
            "cannot be anyone's real number, so it is never indexed and links no reports."
        )
        return QueryReading((), (NotIndexed("phone", FICTIONAL, message),))
    likely = [type for type in _likely_types(query) if type in problems]
    return QueryReading(
        (), tuple(NotIndexed(type, INVALID, _sentence(problems[type])) for type in likely)
    )


def _likely_types(query: str) -> list[str]:
    """The indicator types a query looks like it was meant to be, most likely first."""
    text = query.strip()
    if "@" in text and " " not in text:
        return ["email"]
    if _BANK_LIKE.match(text):
        return ["bank_account", "phone"]
    if _PHONE_LIKE.match(text):
        return ["phone"]
    if text.lower().startswith(("http:", "https:", "www.")):
        return ["url"]
    if re.fullmatch(r"[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{10,}", text):
        return ["iban"]
    if re.fullmatch(r"(bc1|[13]|0x|T)[A-Za-z0-9]{20,}", text):
        return ["crypto_address"]
    return []


def _sentence(message: str) -> str:
    message = message[0].upper() + message[1:] if message else message
    return message if message.endswith(".") else f"{message}, so it is never indexed."
