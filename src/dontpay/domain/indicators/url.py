"""Web addresses, normalised so that the same page written two ways links two reports.

Normal form: scheme `https` (for linking, `http` is not evidence of a different place: the same
link is often written both ways, or without a scheme), lower-case host, no user info, no default
port, no fragment, no tracking parameters, an empty path written `/` and one trailing `/` of a
longer path dropped. The path and the remaining query keep their case and order. A bare `www.` host
must end in a known public suffix (tldextract's bundled snapshot, never fetched).
"""

import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import quote, urlsplit, urlunsplit

import idna
import tldextract

from .family import EnrichmentExample, Example, IndicatorFamily
from .indicator import Indicator, InvalidIndicator
from .link_services import link_service

# An apostrophe belongs to a URL only between letters or digits (`?q=it's`), so that a URL in
# single quotes ends at the quote; a backslash is kept where written (encoded on export).
URL_CHARACTERS = r"(?:[^\s<>\"'`{}|^]|(?<=\w)'(?=\w))"
_URL = re.compile(rf"(?<![\w@.])(?:https?://|www\.){URL_CHARACTERS}+", re.IGNORECASE)
_SENTENCE_END = ".,;:!?*'\"…"
_CLOSERS = {")": "(", "]": "["}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING_KEYS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "si", "ref_src", "ref_url", "_ga", "_gl", "mkt_tok", "_hsenc", "_hsmi",
        "oly_anon_id", "oly_enc_id", "vero_id", "s_cid", "mibextid", "rdid", "share_id",
    }
)  # fmt: skip


def trim_url_end(text: str, start: int, end: int) -> int:
    """Where a URL found at text[start:end] really ends: without the sentence's punctuation."""
    # Counted once and kept up to date, so that a URL followed by thousands of ")" is trimmed in
    # linear time.
    unbalanced = {
        closer: text.count(closer, start, end) - text.count(opener, start, end)
        for closer, opener in _CLOSERS.items()
    }
    while end > start:
        last = text[end - 1]
        if last in _SENTENCE_END:
            end -= 1
        elif last in _CLOSERS and unbalanced[last] > 0:
            unbalanced[last] -= 1
            end -= 1
        else:
            break
    return end


@cache
def _suffixes() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def has_public_suffix(host: str) -> bool:
    """Whether `host` ends in a known public suffix (offline snapshot)."""
    return bool(_suffixes()(host).suffix)


def registrable_domain(host: str) -> str:
    """The domain someone registered (`example.co.uk` for `www.shop.example.co.uk`), by the
    offline public suffix list; empty for a host with no known suffix."""
    return str(_suffixes()(host).top_domain_under_public_suffix)


def url_enrichment(url: str) -> dict[str, str]:
    """The link's registrable domain and, if it is a known link shortener or payment service,
    which."""
    domain = registrable_domain(urlsplit(url).hostname or "")
    service = link_service(domain)
    return {
        "domain": domain,
        "kind": service.kind if service else "",
        "service": service.service if service else "",
    }


def normalise_url(raw: str) -> str:
    """The normal form of one http(s) URL, or `InvalidIndicator`."""
    bare = raw.lower().startswith("www.")
    try:
        parts = urlsplit(f"http://{raw}" if bare else raw)
        port = parts.port
    except ValueError:
        raise InvalidIndicator(f"{raw!r} is not a web address") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or "." not in host.strip("."):
        raise InvalidIndicator(f"{raw!r} is not an http(s) web address with a host name")
    if bare and not has_public_suffix(host):
        raise InvalidIndicator(f"{raw!r} does not end in a known domain suffix")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=")[0])
    )
    path = parts.path.removesuffix("/") if len(parts.path) > 1 else "/"
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


#: What RFC 3986 allows unencoded in a path, query or fragment (and "%" of existing escapes).
_URI_SAFE = "/?#[]@!$&'()*+,;=:%-._~"


def iri_to_uri(iri: str) -> str:
    """The URI (RFC 3986) for an IRI (RFC 3987): the host in IDNA (`xn--…`), and every other
    character a URI may not hold (letters of other scripts, a backslash) percent-encoded as UTF-8.
    A URI is returned unchanged; tools that read only URIs (STIX `url:value`) get this form."""
    parts = urlsplit(iri)
    host = parts.hostname or ""
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if not host.isascii() else host
    except idna.IDNAError:
        ascii_host = quote(host, safe="")
    netloc = ascii_host if parts.port is None else f"{ascii_host}:{parts.port}"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URI_SAFE),
            quote(parts.query, safe=_URI_SAFE),
            quote(parts.fragment, safe=_URI_SAFE),
        )
    )


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING_KEYS or key.startswith(_TRACKING_PREFIXES)


def url_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _URL.finditer(text):
        end = trim_url_end(text, match.start(), match.end())
        if end > match.start():
            yield match.start(), end


class UrlFamily(IndicatorFamily):
    type = "url"

    def find(self, text: str, region: str) -> Iterator[Indicator]:
        for start, end in url_spans(text):
            try:
                yield Indicator(self.type, normalise_url(text[start:end]), (start, end))
            except InvalidIndicator:
                continue

    def canonical(self, value: str, *, platform: str | None, region: str) -> Indicator:
        return Indicator(self.type, normalise_url(value.strip()), (0, len(value)))

    def enrich(self, value: str, qualifier: str | None) -> dict[str, str]:
        return url_enrichment(value)

    def enrichment_examples(self) -> tuple[EnrichmentExample, ...]:
        return (
            EnrichmentExample(
                "https://bit.ly/3abcDEF",
                {"domain": "bit.ly", "kind": "link shortener", "service": "Bitly"},
            ),
            EnrichmentExample(
                "https://www.paypal.com/donate?x=1",
                {"domain": "paypal.com", "kind": "payment service", "service": "PayPal"},
            ),
            EnrichmentExample("https://shop.example.co.uk/pay", {"domain": "example.co.uk"}),
        )

    def examples(self) -> tuple[Example, ...]:
        return (
            Example("see https://x.test/a.", ("url::https://x.test/a",)),
            Example(
                "www.example.com/pay, http://www.example.com/pay/ and https://www.example.com/pay",
                ("url::https://www.example.com/pay",),
            ),
            Example(
                "(details at HTTPS://Shop.Example.COM:443/Item?id=7&utm_source=x#top)",
                ("url::https://shop.example.com/Item?id=7",),
            ),
            Example(
                "wiki: https://en.wikipedia.org/wiki/Sextortion_(crime), ok",
                ("url::https://en.wikipedia.org/wiki/Sextortion_(crime)",),
            ),
            Example("go to www.example.co.uk!", ("url::https://www.example.co.uk/",)),
            Example(
                "https://example.net/p?q=it's&x=\\y and 'https://exämple.de/pfad'",
                ("url::https://example.net/p?q=it's&x=\\y", "url::https://exämple.de/pfad"),
            ),
            Example("ftp://files.test/x and www.notasuffix and example.com are not web links"),
        )
