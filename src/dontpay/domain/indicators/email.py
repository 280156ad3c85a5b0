"""Email addresses, lower-cased, including the usual obfuscations (`name [at] gmail [dot] com`).

In free text every address must end in a known public suffix (tldextract's offline snapshot), so
that image names such as `photo@2x.jpg` are not addresses; the spelled-out form
`name at gmail dot com` also needs at least one ` dot `, so that ordinary sentences ("meet at
noon") are never addresses. Local parts follow RFC 5322 and RFC 6531 as `email-validator` reads
them (`o'brien+x@…`, `ünïcode@exämple.de`); an address is taken whole or not at all.
"""

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from .common_words import is_common_word
from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .lookalikes import latin_lookalikes
from .url import has_public_suffix, registrable_domain

# A plain address is found from its "@": the domain by pattern (IDN labels included), the local
# part by reading back over every character RFC 5322 and RFC 6531 allow in one (the specials
# `!#$%&'*+-/=?^_`{|}~`, letters and digits of any script) and the backslash, which is only
# allowed quoted. Reading the whole run means a local part is never cut short: `o'brien@…` is
# not `brien@…`, and `user\name@…` is no address at all rather than `name@…`.
_DOMAIN = re.compile(r"@(?P<domain>(?:[^\W_][\w-]{0,62}\.)+[^\W\d_]{2,63})(?![\w-])")
_LOCAL_SPECIALS = frozenset("!#$%&'*+-/=?^_`{|}~.\\")
#: Specials that, leading a local part, are far more often the text's own punctuation
#: ('quoted', *bold*, ~struck~) than part of the address.
_WRAPPING = frozenset("'`*~^!#$%&/=?{|}")
_MAX_LOCAL = 64

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})"
# Spelled-out forms start only where no local-part character comes before, for the same reason.
_START = r"(?<![\w.!#$%&'*+/=?^`{|}~\\-])"


def _bracketed(word: str) -> str:
    return rf"\s*(?:\[\s*{word}\s*\]|\(\s*{word}\s*\)|\{{\s*{word}\s*\}}|<\s*{word}\s*>)\s*"


_AT, _DOT = _bracketed("(?:at|@)"), _bracketed(r"(?:dot|\.)")
#: `name @ gmail . com`: an "@" set apart by spaces, and dots that may be too.
#: A space before the "@" alone is not enough: "on insta @some.name" is a handle.
_SPACED_AT, _SPACED_DOT = r"(?:[ \t]*@[ \t]+)", r"[ \t]*\.[ \t]*"
_OBFUSCATED = (
    rf"{_START}(?P<local>{_LOCAL})(?:{_AT}(?P<domain>{_LABEL}(?:(?:{_DOT}|\.){_LABEL})+)"
    rf"|{_SPACED_AT}(?P<spaced_domain>{_LABEL}(?:{_SPACED_DOT}{_LABEL})+))(?![\w-])"
)
#: `name at gmail.com`, without a spelt-out dot, only for the big webmail providers: "look at
#: example.com" is a sentence, "jo.b99 at gmail.com" an address.
_PROVIDER = (
    r"(?:gmail|googlemail|hotmail|outlook|live|msn|yahoo|ymail|icloud|me|aol|protonmail|proton"
    r"|pm|gmx|mail|yandex|zoho|tutanota|tuta)(?:\.[A-Za-z]{2,3}){1,2}"
)
_AT_PROVIDER = rf"{_START}(?P<plocal>{_LOCAL})\s+at\s+(?P<provider>{_PROVIDER})(?![\w-])"
#: `name at gmail`, `name@gmail`: providers whose address has one suffix everywhere (`.com`).
_DOT_COM_PROVIDERS = r"(?:gmail|googlemail|icloud|outlook|protonmail)"
_AT_DOT_COM_PROVIDER = (
    rf"{_START}(?P<clocal>{_LOCAL})(?:\s+at\s+|\s*@\s*|{_AT})"
    rf"(?P<dotcom>{_DOT_COM_PROVIDERS})(?![\w@-]|\.\w)"
)
_SPELLED = (
    rf"{_START}(?P<slocal>{_LOCAL})\s+at\s+"
    rf"(?P<sdomain>{_LABEL}(?:(?:\s+dot\s+|\.){_LABEL})*\s+dot\s+[A-Za-z]{{2,63}})(?![\w-])"
)
_WRITTEN_OUT = re.compile(
    f"{_OBFUSCATED}|{_SPELLED}|{_AT_PROVIDER}|{_AT_DOT_COM_PROVIDER}", re.IGNORECASE
)
_DOT_WORD = re.compile(rf"{_DOT}|\s+dot\s+|{_SPACED_DOT}", re.IGNORECASE)


#: Webmail providers whose addresses are ASCII only: a look-alike letter of another script in
#: one (john@gmail.com written with a Cyrillic o and a) can only be a disguise. Other domains
#: keep their letters, since an address or a host in another script is a different one.
_ASCII_ONLY_PROVIDERS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "live.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "protonmail.com", "proton.me",
        "aol.com",
    }
)  # fmt: skip


def _undisguised(address: str) -> str:
    """`address` with look-alike letters made ASCII if it is at an ASCII-only provider."""
    if address.isascii():
        return address
    plain = latin_lookalikes(address)
    return plain if plain.rpartition("@")[2].lower() in _ASCII_ONLY_PROVIDERS else address


@lru_cache(maxsize=4096)
def canonical_email(address: str) -> str:
    address = _undisguised(address)
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as problem:
        raise InvalidIndicator(f"{address!r} is not an email address ({problem})") from None
    return checked.normalized.lower()


def _is_local_character(character: str) -> bool:
    return (
        character.isalnum()
        or character in _LOCAL_SPECIALS
        or unicodedata.category(character).startswith("M")
    )


def _plain_addresses(text: str) -> Iterator[tuple[str, tuple[int, int]]]:
    """(address as written, span) for each `local@domain` whose local part is whole."""
    for match in _DOMAIN.finditer(text):
        at = start = match.start()
        while start > 0 and at - start <= _MAX_LOCAL and _is_local_character(text[start - 1]):
            start -= 1
        while start < at and text[start] in _WRAPPING:
            start += 1
        local = text[start:at]
        if not local or at - start > _MAX_LOCAL or "\\" in local:
            continue  # too long to be a local part, or not one: never a shorter address
        if has_public_suffix(match["domain"]):
            yield f"{local}@{match['domain']}", (start, match.end())


def _written_out_address(match: re.Match[str]) -> str | None:
    """The plain address a spelled-out match means, or None without a known public suffix."""
    local = match["local"] or match["slocal"] or match["plocal"] or match["clocal"]
    unmarked = (
        match["spaced_domain"]
        or match["provider"]
        or (match["dotcom"] and f"{match['dotcom']}.com")
    )
    if unmarked and is_common_word(local):
        return None  # "email me @ gmail . com", "look at gmail.com": no mailbox named
    domain = _DOT_WORD.sub(".", match["domain"] or match["sdomain"] or unmarked)
    return f"{local}@{domain}" if has_public_suffix(domain) else None


class EmailFamily(IndicatorFamily):
    type = "email"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        found: list[tuple[str | None, tuple[int, int]]] = []
        if "@" in text:
            found += _plain_addresses(text)
        if re.search(r"\bat\b|@", text, re.IGNORECASE):
            found += ((_written_out_address(m), m.span()) for m in _WRITTEN_OUT.finditer(text))
        for address, span in found:
            if address is None:
                continue
            try:
                yield Indicator(self.type, canonical_email(address), span)
            except InvalidIndicator:
                continue

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        written = value.strip()
        if written.lower().startswith("mailto:"):
            written = written[len("mailto:") :].split("?", 1)[0]
        match = _WRITTEN_OUT.fullmatch(written)
        address = _written_out_address(match) if match else written
        return Indicator(self.type, canonical_email(address or written), (0, len(value)))

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        return {"domain": registrable_domain(value.rpartition("@")[2])}

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (EnrichmentExample("jo@mail.example.co.uk", {"domain": "example.co.uk"}),)

    def examples(self) -> tuple[Example, ...]:
        key = "email::some.name@gmail.com"
        return (
            Example("email Some.Name@Gmail.com.", (key,)),
            Example("some.name [at] gmail [dot] com", (key,)),
            Example("write to some.name(at)gmail(dot)com", (key,)),
            Example("some.name at gmail dot com", (key,)),
            Example('<a href="mailto:Some.Name@gmail.com?subject=hi">me</a>', (key,)),
            Example("meet at noon, look at this dot, @gmail.com and name@localhost"),
            Example("photo@2x.jpg logo@3x.webp icon@2x.png"),
            Example(
                "write to O'Brien+x@mail-example.co.uk, not user\\name@example.com",
                ("email::o'brien+x@mail-example.co.uk",),
            ),
            Example("'ünïcode@exämple.de'", ("email::ünïcode@exämple.de",)),
        )
