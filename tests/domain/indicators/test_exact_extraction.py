"""Whatever is extracted is the whole value that was written, never a shorter one.

Addresses and links are generated with the characters that used to cut them short (apostrophes,
backslashes, quotes, letters of other scripts, IDN hosts), placed in text between ordinary
separators. If the generated value is valid, exactly its canonical form must be found; if it is
not, nothing may be found inside it: a truncated value could point the police at a stranger.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators

LOCAL_ALPHABET = "abcxyz019" + "!#$%&'*+-/=?^_`{|}~." + "\\" + "üïéßø" + "дж"
LABEL_ALPHABET = "abcxyz019-äöüéя"
SEPARATORS = st.sampled_from([" ", ", ", "\n", " (", ") ", ": ", " - ", "\t", "! "])
# Around a link, a bracket could close one the link opened ("/a(" + ") "), which is right.
LINK_SEPARATORS = st.sampled_from([" ", ", ", "\n", ": ", " - ", "\t", "! "])
WORDS = st.text(alphabet="abc XYZ", max_size=12)
SUFFIXES = st.sampled_from(["com", "co.uk", "de", "net", "org"])

local_parts = st.text(alphabet=LOCAL_ALPHABET, min_size=1, max_size=20)
labels = st.text(alphabet=LABEL_ALPHABET, min_size=1, max_size=12)
domains = st.builds(lambda label, suffix: f"{label}.{suffix}", labels, SUFFIXES)
addresses = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)

PATH_ALPHABET = "abcXYZ019/-._~'\\=&?%:@!$()*+,;äöüя"
paths = st.text(alphabet=PATH_ALPHABET, max_size=25)
urls = st.builds(lambda domain, path: f"https://{domain}/{path}", domains, paths)


def in_text(value: str, before: str, after: str, separator: str) -> tuple[str, int, int]:
    text = f"{before}{separator}{value}{separator}{after}"
    start = len(before) + len(separator)
    return text, start, start + len(value)


def canonical_or_none(type_: str, value: str) -> str | None:
    try:
        return canonical_indicator(type_, value).value
    except InvalidIndicator:
        return None


def found_within(text: str, start: int, end: int, type_: str) -> list[str]:
    return [
        found.value
        for found in find_indicators(text)
        if found.type == type_ and found.span[0] < end and start < found.span[1]
    ]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(addresses, WORDS, WORDS, SEPARATORS)
def test_an_email_address_is_found_whole_or_not_at_all(
    address: str, before: str, after: str, separator: str
) -> None:
    text, start, end = in_text(address, before, after, separator)
    found = found_within(text, start, end, "email")
    expected = canonical_or_none("email", address)
    # A local part led by quote-like punctuation is read as the text's quoting ('bob@…').
    unquoted = canonical_or_none("email", address.lstrip("'`*~^!#$%&/=?{|}"))
    assert found in ([], [expected], [unquoted])
    for value in found:
        local = value.rsplit("@", 1)[0]
        assert local in address.lower()
        assert address.lower().endswith(value.split("@")[1])
        assert address.lower().index(local) + len(local) == address.index("@")


def trimmed(url: str) -> str:
    """The link as it may be read: sentence punctuation and unbalanced closing brackets at its
    end are trimmed, and nothing else (a balanced pair, as in ``/wiki/Foo_(bar)``, is kept)."""
    while url:
        last = url[-1]
        opening = {")": "(", "]": "["}.get(last)
        if last in ".,;:!?*'\"…" or (opening and url.count(last) > url.count(opening)):
            url = url[:-1]
        else:
            return url
    return url


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(urls, WORDS, WORDS, LINK_SEPARATORS)
def test_a_link_is_never_cut_inside_its_path(
    url: str, before: str, after: str, separator: str
) -> None:
    text, start, end = in_text(url, before, after, separator)
    found = list(found_within(text, start, end, "url"))
    assert len(found) <= 1
    for value in found:
        written = trimmed(url)
        assert value.startswith("https://")
        path = value.split("/", 3)[3] if value.count("/") >= 3 else ""
        assert path.split("?")[0].rstrip("/") in written


def test_the_reported_values_are_exported_whole() -> None:
    text = (
        "o'brien+x@mail-example.co.uk user\\name@example.com "
        "https://example.net/p?q=it's&x=\\y ünïcode@exämple.de"
    )
    assert [(found.type, found.value) for found in find_indicators(text)] == [
        ("email", "o'brien+x@mail-example.co.uk"),
        ("url", "https://example.net/p?q=it's&x=\\y"),
        ("email", "ünïcode@exämple.de"),
    ]
