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
from functools import cache, lru_cache

import pycountry

from .common_words import common_words
from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .lookalikes import latin_lookalikes, leet_parts, leet_pattern, written_as_word
from .phone import canonical_phone
from .platforms import PLATFORM_BY_WORD, PLATFORMS, WORDS, check_username
from .profile_urls import handle_from_profile_url, profile_urls
from .url import has_public_suffix


def _alternation(words: list[str]) -> str:
    """Words (as `leet_pattern`s) grouped by their first letter's pattern, so the regex engine
    tries one group per word start."""
    by_initial: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        initial, rest = leet_parts(word)
        by_initial.setdefault(initial, []).append(rest)
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in by_initial.items())


#: The platform words as the handle finder sees them: through `latin_lookalikes`, like the text.
_PLATFORM_BY_LOOKALIKE = {latin_lookalikes(word): name for word, name in PLATFORM_BY_WORD.items()}
_LOOKALIKE_WORDS = [latin_lookalikes(word) for words in WORDS.values() for word in words]
_WORD = _alternation(_LOOKALIKE_WORDS)
_BEFORE_WORD = r"(?<![\w$@])"
_NAME = r"(?:live:\.?)?[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?"
_NAME_END = r"(?![\w@]|\.\w)"
# Labels and names stay on one line: "instagram\n@x" is two unrelated lines.
#: A noun after the platform word ("snap username"), or a possessive people write after it
#: ("ig ko", Tagalog; "ig aku", Indonesian).
_LABEL_NOUN = r"(?:[ \t]+(?:user[ \t]?name|handle|name|id|account|acc|tag|ник|nick|ko|aku))?"
#: "my" and "is" in the languages people most often write to us in besides English.
_MY = latin_lookalikes(r"(?:my|mi|mon|ma|mein|meine|meu|minha|mio|mera|meri|benim|мой|моя)")
_IS = latin_lookalikes(r"(?:is|its|it's|es|est|c'est|ist|é|è|eh|hai|jest|это|-)")
#: Between a platform word and a name with nothing to mark it: "is" (in any of those
#: languages), "me at", "at" or "@ ".
_BEFORE_SHAPED_NAME = rf"(?:[ \t]+(?:{_IS}|me(?:[ \t]+(?:at|on))?|at|@))?"
#: Between a platform and a name: a colon, `=`, an arrow, or a dash (hyphen, en or em dash).
_SEPARATOR = r"(?:[ \t]*(?::|=|->|=>|→|➡|➜|⇒|▶|👉|>>|»|\|)|[ \t]+[-\u2013\u2014][ \t]+)"
_LABELLED = re.compile(
    rf"(?:(?<!\w){_MY}[ \t]+(?P<my>{_WORD}){_LABEL_NOUN}[ \t]+{_IS}[ \t]+[@$]?"
    rf"|{_BEFORE_WORD}(?P<word>{_WORD}){_LABEL_NOUN}(?:{_SEPARATOR}[ \t]*[@$]?|[ \t]*[@$]))"
    rf"(?P<name>{_NAME}){_NAME_END}",
    re.IGNORECASE,
)
#: A name in brackets or quotes straight after the platform: "skype (mia.x85)", "snap 'lucy'".
_BRACKETED = re.compile(
    rf"{_BEFORE_WORD}(?P<word>{_WORD}){_LABEL_NOUN}{_SEPARATOR}?"
    rf"[ \t]*[(\[{{<\"'\u201c\u2018«][ \t]*[@$]?(?P<name>{_NAME})[ \t]*[)\]}}>\"'\u201d\u2019»]",
    re.IGNORECASE,
)
#: A name with nothing but a space between it and the platform, either way round ("add me on
#: snap lucy_x99", "lucy_x99 on snap"): taken only if its shape says handle (`_shaped_like_handle`).
_SHORT_NAME = r"[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9_])?"
_PLATFORM_THEN_NAME = re.compile(
    rf"{_BEFORE_WORD}(?P<word>{_WORD}){_LABEL_NOUN}{_BEFORE_SHAPED_NAME}[ \t]+"
    rf"(?P<name>{_NAME}){_NAME_END}",
    re.IGNORECASE,
)
_NAME_THEN_PLATFORM = re.compile(
    rf"(?<![\w.@$-])(?P<name>{_SHORT_NAME})"
    rf"(?:[ \t]+(?:on|in|at|via)(?:[ \t]+{_MY})?[ \t]+|[ \t]*\([ \t]*)(?P<word>{_WORD})(?![\w@])",
    re.IGNORECASE,
)
_AT_NAME = re.compile(rf"(?<![\w@.$])@(?P<name>{_NAME}){_NAME_END}")
_PLATFORM_WORD = re.compile(rf"{_BEFORE_WORD}(?:{_WORD})(?!\w)", re.IGNORECASE)
_CASHTAG = re.compile(r"(?<![\w$])\$(?P<name>[A-Za-z][A-Za-z0-9_]{0,19})(?![\w$])")
_CRYPTO_TICKERS = frozenset(["usdt", "usdc", "btc", "eth"])
_NEARBY_BEFORE, _NEARBY_AFTER = 40, 25
#: Text speak written with digits, never a name written with no "@" ("snap l8r", "ig gr8 pics").
_TEXT_SPEAK = frozenset(
    [
        "gr8", "l8", "l8r", "m8", "m8s", "b4", "h8", "w8", "str8", "sk8", "any1", "some1", "no1",
        "every1", "ne1", "2day", "2nite", "4ever",
    ]
)  # fmt: skip
#: Shapes that carry a digit or a dot but are not names: a time or amount (`10pm`, `2nite`), a
#: multiplier or version (`x2`, `v3`), an abbreviation (`e.g.`, `a.m`).
_NOT_A_NAME_SHAPE = re.compile(r"\d.*|[a-z]\d{1,2}|(?:[a-z]{1,2}\.)+[a-z]{0,2}", re.IGNORECASE)


@cache
def _leet_words() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(leet_pattern(latin_lookalikes(word)), re.IGNORECASE), platform)
        for platform, words in WORDS.items()
        for word in words
    )


@lru_cache(maxsize=1024)
def _platform_of(written: str) -> str | None:
    """The platform a platform word names, however it was written; None if it is a number
    that only happens to match (`7313` for `tele`)."""
    plain = re.sub(r"\s", "", written.lower())
    if plain in _PLATFORM_BY_LOOKALIKE:
        return _PLATFORM_BY_LOOKALIKE[plain]
    if not written_as_word(written):
        return None
    return next((name for pattern, name in _leet_words() if pattern.fullmatch(written)), None)


def _nearest_platform(text: str, start: int, end: int) -> str | None:
    """The platform word closest to text[start:end] on the same line, within a few words."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    window_start = max(line_start, start - _NEARBY_BEFORE)
    window_end = min(len(text) if line_end == -1 else line_end, end + _NEARBY_AFTER)
    best: tuple[int, str] | None = None
    for word in _PLATFORM_WORD.finditer(text, window_start, window_end):
        distance = start - word.end() if word.end() <= start else word.start() - end
        platform = _platform_of(word[0])
        if platform and distance >= 0 and (best is None or distance < best[0]):
            best = (distance, platform)
    return best[1] if best else None


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


def _shaped_like_handle(name: str) -> bool:
    """Whether a name written with no label, `@` or brackets still reads as a username: it holds
    a digit, `_` or `.`, has letters, and is not a time, amount, abbreviation or domain."""
    lowered = name.lower()
    return (
        any(character.isdigit() or character in "._" for character in lowered)
        and sum(character.isalpha() for character in lowered) >= 2
        and not _NOT_A_NAME_SHAPE.fullmatch(lowered)
        and lowered not in _TEXT_SPEAK
        and not ("." in lowered and has_public_suffix(lowered))
    )


def _labelled_handles(text: str) -> Iterator[Indicator | None]:
    for match in _LABELLED.finditer(text):
        marked = text[match.start("name") - 1] in "@$"
        if not marked and match["name"].lower() in common_words():
            continue
        platform = _platform_of(match["my"] or match["word"])
        if platform:
            yield _handle(platform, match["name"], match.span("name"))
    for match in _BRACKETED.finditer(text):
        platform = _platform_of(match["word"])
        if platform and match["name"].lower() not in common_words():
            yield _handle(platform, match["name"], match.span("name"))
    for pattern in (_PLATFORM_THEN_NAME, _NAME_THEN_PLATFORM):
        for match in pattern.finditer(text):
            platform = _platform_of(match["word"])
            if platform and _shaped_like_handle(match["name"]):
                yield _handle(platform, match["name"], match.span("name"))


def _text_handles(text: str) -> Iterator[Indicator | None]:
    yield from _labelled_handles(text)
    if "@" in text:
        for match in _AT_NAME.finditer(text):
            nearby = _nearest_platform(text, match.start(), match.end())
            if nearby:
                yield _handle(nearby, match["name"], match.span())
    if "$" in text:
        for match in _CASHTAG.finditer(text):
            if match["name"].lower() in _not_cashtags() or _platform_of(match[0]):
                continue  # a currency, a crypto ticker, or a platform in leetspeak (`$nap`)
            yield _handle("cashapp", match["name"], match.span())


#: Where each platform shows an account, for analysts to type in (pages never link to it).
PROFILE_ADDRESSES: dict[str, str] = {
    "instagram": "https://www.instagram.com/{}",
    "snapchat": "https://www.snapchat.com/add/{}",
    "facebook": "https://www.facebook.com/{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "x": "https://x.com/{}",
    "telegram": "https://t.me/{}",
    "whatsapp": "https://wa.me/{}",
    "paypal": "https://paypal.me/{}",
    "cashapp": "https://cash.app/${}",
    "venmo": "https://venmo.com/u/{}",
    "revolut": "https://revolut.me/{}",
}


class HandleFamily(IndicatorFamily):
    type = "handle"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        for platform, name, span in profile_urls(text):
            yield Indicator(self.type, name, span, platform=platform)
        # Usernames are ASCII: a look-alike letter in one, or in a platform word, is a disguise.
        lookalikes = latin_lookalikes(text)
        yield from (handle for handle in _text_handles(lookalikes) if handle is not None)

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
            name = check_username(
                platform, latin_lookalikes(written).removeprefix("@").removeprefix("$")
            )
        return Indicator(self.type, name, (0, len(value)), platform=platform)

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        address = PROFILE_ADDRESSES.get(qualifier or "")
        if qualifier == "discord" and value.isdigit():
            address = "https://discord.com/users/{}"
        return {"profile": address.format(value.lstrip("+")) if address else ""}

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (
            EnrichmentExample(
                "some.name", {"profile": "https://www.tiktok.com/@some.name"}, qualifier="tiktok"
            ),
            EnrichmentExample(
                "+447911123456", {"profile": "https://wa.me/447911123456"}, qualifier="whatsapp"
            ),
        )

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
