"""Email addresses, lower-cased, including the usual obfuscations (`name [at] gmail [dot] com`).

In free text every address must end in a known public suffix (tldextract's offline snapshot), so
that image names such as `photo@2x.jpg` are not addresses; the spelled-out form
`name at gmail dot com` also needs at least one ` dot `, so that ordinary sentences ("meet at
noon") are never addresses.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from .family import Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .url import has_public_suffix

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})"
_PLAIN = rf"(?<![\w.%+-])(?P<plain>{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}})(?![\w-])"


def _bracketed(word: str) -> str:
    return rf"\s*(?:\[\s*{word}\s*\]|\(\s*{word}\s*\)|\{{\s*{word}\s*\}}|<\s*{word}\s*>)\s*"


_AT, _DOT = _bracketed("at"), _bracketed("dot")
_OBFUSCATED = (
    rf"(?<![\w.%+-])(?P<local>{_LOCAL}){_AT}(?P<domain>{_LABEL}(?:(?:{_DOT}|\.){_LABEL})+)(?![\w-])"
)
_SPELLED = (
    rf"(?<![\w.%+-])(?P<slocal>{_LOCAL})\s+at\s+"
    rf"(?P<sdomain>{_LABEL}(?:(?:\s+dot\s+|\.){_LABEL})*\s+dot\s+[A-Za-z]{{2,63}})(?![\w-])"
)
_EMAIL = re.compile(f"{_PLAIN}|{_OBFUSCATED}|{_SPELLED}", re.IGNORECASE)
_DOT_WORD = re.compile(rf"{_DOT}|\s+dot\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)
def canonical_email(address: str) -> str:
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError as problem:
        raise InvalidIndicator(f"{address!r} is not an email address ({problem})") from None
    return checked.normalized.lower()


def _address(match: re.Match[str]) -> str | None:
    """The plain address a match spells, or None when its domain has no known public suffix."""
    if match["plain"]:
        local, domain = match["plain"].rsplit("@", 1)
    else:
        local = match["local"] or match["slocal"]
        domain = _DOT_WORD.sub(".", match["domain"] or match["sdomain"])
    return f"{local}@{domain}" if has_public_suffix(domain) else None


class EmailFamily(IndicatorFamily):
    type = "email"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        if "@" not in text and not re.search(r"\bat\b", text, re.IGNORECASE):
            return
        for match in _EMAIL.finditer(text):
            address = _address(match)
            if address is None:
                continue
            try:
                yield Indicator(self.type, canonical_email(address), match.span())
            except InvalidIndicator:
                continue

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        written = value.strip()
        if written.lower().startswith("mailto:"):
            written = written[len("mailto:") :].split("?", 1)[0]
        match = _EMAIL.fullmatch(written)
        address = _address(match) if match else written
        return Indicator(self.type, canonical_email(address or written), (0, len(value)))

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
        )
