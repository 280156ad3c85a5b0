"""Account names on platforms, as `platform` + lower-case name (`instagram` + `some.name`).

Found three ways: a profile link (`instagram.com/Some.Name`), a labelled name (`snap: name`,
`my discord is name`, `telegram @name`), or an `@name` with a platform word close by on the same
line ("add me on insta @some.name"). A bare `$cashtag` is a Cash App handle. An `@name` with no
platform word near it is left alone: we cannot tell whose account it is.

After a label, a plain common English word is not a handle ("my snap is gone", "IG: the guy…"),
unless it is written `@word` or `$word`. A `$` before an ISO 4217 currency code (`$GBP`) or a
crypto ticker is not a cashtag.
"""

import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

import pycountry

from .family import Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .phone import canonical_phone
from .platforms import PLATFORM_BY_WORD, PLATFORMS, WORDS, check_username
from .profile_urls import handle_from_profile_url, profile_urls


def _alternation(words: list[str]) -> str:
    """Words grouped by first letter, so the regex engine tries one group per word start."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_initial.setdefault(word[0], []).append(re.escape(word[1:]).replace(r"\ ", r"\s?"))
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in by_initial.items())


_WORD = _alternation([word for words in WORDS.values() for word in words])
_NAME = r"(?:live:\.?)?[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?"
# Labels and names stay on one line: "instagram\n@x" is two unrelated lines.
_LABEL_NOUN = r"(?:[ \t]+(?:user[ \t]?name|handle|name|id|account|acc|tag))?"
_LABELLED = re.compile(
    rf"(?:\bmy[ \t]+(?P<my>{_WORD}){_LABEL_NOUN}[ \t]+is[ \t]+[@$]?"
    rf"|\b(?P<word>{_WORD}){_LABEL_NOUN}"
    rf"(?:(?:[ \t]*[:=]|[ \t]+-[ \t]+|[ \t]*->)[ \t]*[@$]?|[ \t]*[@$]))"
    rf"(?P<name>{_NAME})(?![\w@]|\.\w)",
    re.IGNORECASE,
)
_AT_NAME = re.compile(rf"(?<![\w@.$])@(?P<name>{_NAME})(?![\w@]|\.\w)")
_PLATFORM_WORD = re.compile(rf"\b(?:{_WORD})\b", re.IGNORECASE)
_CASHTAG = re.compile(r"(?<![\w$])\$(?P<name>[A-Za-z][A-Za-z0-9_]{0,19})(?![\w$])")
_CRYPTO_TICKERS = frozenset(["usdt", "usdc", "btc", "eth"])
_NEARBY_BEFORE, _NEARBY_AFTER = 40, 25


def _platform_of(word: str) -> str:
    return PLATFORM_BY_WORD[re.sub(r"\s", "", word.lower())]


def _nearest_platform(text: str, start: int, end: int) -> str | None:
    """The platform word closest to text[start:end] on the same line, within a few words."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    window_start = max(line_start, start - _NEARBY_BEFORE)
    window_end = min(len(text) if line_end == -1 else line_end, end + _NEARBY_AFTER)
    best: tuple[int, str] | None = None
    for word in _PLATFORM_WORD.finditer(text, window_start, window_end):
        distance = start - word.end() if word.end() <= start else word.start() - end
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, _platform_of(word[0]))
    return best[1] if best else None


@cache
def _common_words() -> frozenset[str]:
    """The words of `common_words.txt`, which say why they are there."""
    listed = files(__package__).joinpath("common_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in listed.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def _not_cashtags() -> frozenset[str]:
    """Every ISO 4217 alphabetic code (pycountry's copy of the standard) and the crypto tickers."""
    return frozenset(currency.alpha_3.lower() for currency in pycountry.currencies) | (
        _CRYPTO_TICKERS
    )


def _handle(platform: str, name: str, span: tuple[int, int]) -> Indicator | None:
    if platform == "whatsapp":
        return None  # a WhatsApp account is its phone number, found as a phone
    try:
        return Indicator("handle", check_username(platform, name), span, platform=platform)
    except InvalidIndicator:
        return None


def _text_handles(text: str) -> Iterator[Indicator | None]:
    for match in _LABELLED.finditer(text):
        marked = text[match.start("name") - 1] in "@$"
        if not marked and match["name"].lower() in _common_words():
            continue
        platform = _platform_of(match["my"] or match["word"])
        yield _handle(platform, match["name"], match.span("name"))
    if "@" in text:
        for match in _AT_NAME.finditer(text):
            nearby = _nearest_platform(text, match.start(), match.end())
            if nearby:
                yield _handle(nearby, match["name"], match.span())
    if "$" in text:
        for match in _CASHTAG.finditer(text):
            if match["name"].lower() not in _not_cashtags():
                yield _handle("cashapp", match["name"], match.span())


class HandleFamily(IndicatorFamily):
    type = "handle"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        for platform, name, span in profile_urls(text):
            yield Indicator(self.type, name, span, platform=platform)
        yield from (handle for handle in _text_handles(text) if handle is not None)

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        if platform not in PLATFORMS:
            raise InvalidIndicator(
                f"platform: {platform!r} is not one we know; allowed: {', '.join(PLATFORMS)}"
            )
        written = value.strip()
        if "/" in written:
            linked, name = handle_from_profile_url(written)
            if linked != platform:
                raise InvalidIndicator(f"{value!r} is a {linked} link, not {platform}")
        elif platform == "whatsapp":
            name = canonical_phone(written, region)
        else:
            name = check_username(platform, written.removeprefix("@").removeprefix("$"))
        return Indicator(self.type, name, (0, len(value)), platform=platform)

    def examples(self) -> tuple[Example, ...]:
        insta = "handle:instagram:some.name"
        return (
            Example("add me on insta @Some.Name", (insta,)),
            Example("https://www.instagram.com/Some.Name/?igshid=x", (insta,)),
            Example("snap: dirty_dan22, sc: dirty_dan22", ("handle:snapchat:dirty_dan22",)),
            Example("my discord is night.owl", ("handle:discord:night.owl",)),
            Example("telegram @Night_Owl99 or t.me/night_owl99", ("handle:telegram:night_owl99",)),
            Example(
                "whatsapp me: https://wa.me/447911123456",
                ("handle:whatsapp:+447911123456",),
            ),
            Example(
                "pay $JaneDoe22 or paypal.me/janedoe/50 or revolut.me/jd99",
                ("handle:cashapp:janedoe22", "handle:paypal:janedoe", "handle:revolut:jd99"),
            ),
            Example(
                "tiktok.com/@some.name/video/1, x.com/home, instagram.com/explore, discord.gg/abc",
                ("handle:tiktok:some.name",),
            ),
            Example("thanks @everyone, send $500 or $1,000 USD"),
        )
