"""Phone numbers, canonical in E.164 (`+447911123456`), valid by libphonenumber's metadata."""

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import (
    Leniency,
    NumberParseException,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
)

from .countries import country_label
from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator

# The matcher already skips most dates; these shapes are dates whatever the region's numbering.
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
# libphonenumber's matcher costs a fraction of a millisecond per candidate, so it runs only on
# runs of digits long enough to be a number, once per distinct run (with one character either
# side, which it needs to refuse amounts such as "£5000000").
_DIGIT_RUN = re.compile(r"[+(]?\d(?:[ \t().\-/]{0,3}\d)*\)?")
_MIN_DIGITS = 6
#: Marks people put between digits so that a filter does not see a number ("07911_123_456"):
#: read as spaces, which keeps every span where it is.
_DIGIT_MARKS = str.maketrans(dict.fromkeys("_*|•·~", " "))


#: Letters typed for the digits they look like, inside a run that is mostly digits already
#: ("O7911 l23456"): at least seven characters and five real digits, so words never change.
_LETTERED_DIGITS = re.compile(r"(?<![A-Za-z0-9])[0-9OolI](?:[ .\-]?[0-9OolI]){6,}(?![A-Za-z0-9])")
_LETTER_DIGITS = str.maketrans("OolI", "0011")
_MIN_REAL_DIGITS = 5


def _digits_for_letters(text: str) -> str:
    """`text` with O/o/l/I read as 0/1 in runs that are mostly digits; same length."""
    if not any(letter in text for letter in "OolI"):
        return text
    pieces, position = [], 0
    for run in _LETTERED_DIGITS.finditer(text):
        if sum(character.isdigit() for character in run[0]) >= _MIN_REAL_DIGITS:
            pieces += [text[position : run.start()], run[0].translate(_LETTER_DIGITS)]
            position = run.end()
    return "".join(pieces) + text[position:] if pieces else text


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def canonical_phone(value: str, region: str) -> str:
    """E.164 for a number written any usual way; a national number is read in `region`."""
    try:
        number = phonenumbers.parse(_digits_for_letters(value).translate(_DIGIT_MARKS), region)
    except NumberParseException as problem:
        raise InvalidIndicator(f"{value!r} is not a phone number ({problem._msg})") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIndicator(f"{value!r} is not a valid phone number in {region} or abroad")
    return e164(number)


#: Ofcom's numbers for TV and radio drama (and for examples like ours): 1,000 numbers from each
#: of these E.164 prefixes, none of which can ever be anyone's real number. Some are not valid
#: to libphonenumber at all (07700 900xxx, 01632 960xxx), so they are never indexed.
DRAMA_RANGES: tuple[str, ...] = (
    "+441134960",  # Leeds
    "+441144960",  # Sheffield
    "+441154960",  # Nottingham
    "+441164960",  # Leicester
    "+441174960",  # Bristol
    "+441184960",  # Reading
    "+441214960",  # Birmingham
    "+441314960",  # Edinburgh
    "+441414960",  # Glasgow
    "+441514960",  # Liverpool
    "+441614960",  # Manchester
    "+441914980",  # Tyneside, Durham and Sunderland
    "+442079460",  # London
    "+442896496",  # Northern Ireland
    "+442920180",  # Cardiff
    "+441632960",  # no area
    "+443069990",  # UK-wide
    "+447700900",  # mobile
    "+448081570",  # freephone
    "+449098790",  # premium rate
)


def drama_number(value: str, region: str) -> str | None:
    """The number in E.164 if `value` is one of Ofcom's fictional drama numbers, else None."""
    try:
        number = phonenumbers.parse(value, region)
    except NumberParseException:
        return None
    written = e164(number)
    is_drama = any(written.startswith(prefix) for prefix in DRAMA_RANGES)
    return written if is_drama and len(written) == 13 else None


@lru_cache(maxsize=4096)
def _phones_in(window: str, region: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (match.start, match.end, e164(match.number))
        for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=Leniency.VALID)
        if not _DATE.fullmatch(match.raw_string.strip("()[] "))
    )


#: libphonenumber's number types, in words an analyst uses.
NUMBER_TYPES: dict[int, str] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed line",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed line or mobile",
    PhoneNumberType.TOLL_FREE: "freephone",
    PhoneNumberType.PREMIUM_RATE: "premium rate",
    PhoneNumberType.SHARED_COST: "shared cost",
    PhoneNumberType.VOIP: "VoIP",
    PhoneNumberType.PERSONAL_NUMBER: "personal number (forwarded)",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "company number (UAN)",
    PhoneNumberType.VOICEMAIL: "voicemail",
}


def phone_enrichment(value: str) -> dict[str, str]:
    """Type, country, area and original carrier of an E.164 number, from libphonenumber's
    metadata: the carrier is the one the number range was allocated to, which a ported number
    has left.

    The area and carrier tables are imported here, when a number is first described: they hold
    about 150 MB that a worker or a web process serving only victims should not carry."""
    from phonenumbers import carrier, geocoder

    number = phonenumbers.parse(value, None)
    region = phonenumbers.region_code_for_number(number) or ""
    country = country_label(region) if region else ""
    area = geocoder.description_for_number(number, "en")
    return {
        "kind": NUMBER_TYPES.get(phonenumbers.number_type(number), ""),
        "country": country,
        "location": area if area and area not in country else "",
        "carrier": carrier.name_for_number(number, "en"),
    }


class PhoneFamily(IndicatorFamily):
    type = "phone"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        text = _digits_for_letters(text).translate(_DIGIT_MARKS)
        for run in _DIGIT_RUN.finditer(text):
            if sum(character.isdigit() for character in run[0]) < _MIN_DIGITS:
                continue
            start, end = max(0, run.start() - 1), min(len(text), run.end() + 1)
            for found_start, found_end, number in _phones_in(text[start:end], region):
                yield Indicator(self.type, number, (start + found_start, start + found_end))

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        return Indicator(self.type, canonical_phone(value, region), (0, len(value)))

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        try:
            return phone_enrichment(value)
        except NumberParseException:
            return {}

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (
            EnrichmentExample(
                "+2348036910859", {"kind": "mobile", "country": "Nigeria (NG)", "carrier": "MTN"}
            ),
            EnrichmentExample(
                "+442079460123",
                {"kind": "fixed line", "country": "United Kingdom (GB)", "location": "London"},
            ),
            EnrichmentExample("+445600123456", {"kind": "VoIP"}),
        )

    def examples(self) -> tuple[Example, ...]:
        uk = "phone::+447911123456"
        return (
            Example("text me on +44 7911 123456 now", (uk,)),
            Example("07911123456 or 447911123456", (uk,)),
            Example("call 0 7 9 1 1 1 2 3 4 5 6 tonight", (uk,)),
            Example("ring (202) 555-0143.", ("phone::+12025550143",), region="US"),
            Example("pay £500 by 12/03/2024 or 2024-03-12 at 23:15, CRN 1234567"),
            Example("the number 07911 12345 is one digit short"),
        )
