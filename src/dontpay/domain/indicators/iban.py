"""International bank account numbers: compact, upper case, checksum verified by schwifty.

People write IBANs in groups of four; the expected length for the country says where the IBAN
ends, so the words after it are never swallowed.
"""

import re
from collections.abc import Iterator

from schwifty import IBAN, registry
from schwifty.exceptions import SchwiftyException

from .countries import country_label
from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator

_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ .\-]?[A-Za-z0-9])")
#: Between groups of four: a space, or a dash or dot written to slip past a filter.
_GROUP_SEPARATORS = " -."


def _iban_length(country_code: str) -> int | None:
    try:
        return int(registry.get_iban_spec(country_code.upper()).iban_length)
    except (KeyError, SchwiftyException):
        return None


def canonical_iban(value: str) -> str:
    try:
        return str(IBAN(re.sub(r"(?<=[A-Za-z0-9])[.\-](?=[A-Za-z0-9])", " ", value)).compact)
    except SchwiftyException as problem:
        raise InvalidIndicator(f"{value!r} is not a valid IBAN ({problem})") from None


def _iban_end(text: str, start: int, length: int) -> int | None:
    """The end of an IBAN of `length` characters written from `start`, with one space, dash or
    dot allowed between groups of four."""
    position, collected = start, 0
    while collected < length and position < len(text):
        if text[position].isascii() and text[position].isalnum():
            collected += 1
        elif not (text[position] in _GROUP_SEPARATORS and collected % 4 == 0 and collected):
            return None
        position += 1
    at_boundary = position == len(text) or not text[position].isalnum()
    return position if collected == length and at_boundary else None


class IbanFamily(IndicatorFamily):
    type = "iban"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        for match in _START.finditer(text):
            length = _iban_length(match[0][:2])
            end = _iban_end(text, match.start(), length) if length else None
            if end is None:
                continue
            try:
                yield Indicator(
                    self.type, canonical_iban(text[match.start() : end]), (match.start(), end)
                )
            except InvalidIndicator:
                continue

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        return Indicator(self.type, canonical_iban(value.strip()), (0, len(value)))

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        """Country, and the bank and BIC where schwifty's bank registry knows the bank code."""
        try:
            iban = IBAN(value)
        except SchwiftyException:
            return {}
        bank = iban.bank
        return {
            "country": country_label(iban.country_code),
            "bank": str(bank.name) if bank else "",
            "bic": str(iban.bic) if iban.bic else "",
        }

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (
            # "XXX" is not a placeholder: ISO 9362 gives a bank's head office the branch code XXX,
            # and schwifty's registry holds Commerzbank's BIC in that eleven-character form.
            EnrichmentExample(
                "DE89370400440532013000",
                {"country": "Germany (DE)", "bank": "Commerzbank", "bic": "COBADEFFXXX"},
            ),
            EnrichmentExample("GB82WEST12345698765432", {"country": "United Kingdom (GB)"}),
        )

    def examples(self) -> tuple[Example, ...]:
        gb = "iban::GB82WEST12345698765432"
        return (
            Example("IBAN GB82 WEST 1234 5698 7654 32 thanks", (gb,)),
            Example("iban: gb82west12345698765432.", (gb,)),
            Example("DE89 3704 0044 0532 0130 00", ("iban::DE89370400440532013000",)),
            Example("GB83 WEST 1234 5698 7654 32 and GB82 WEST 1234 5698 7654"),
        )
