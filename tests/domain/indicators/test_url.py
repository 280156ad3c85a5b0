import pytest

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("see https://x.test/a.", "https://x.test/a", "https://x.test/a"),
        ("(https://x.test/a)", "https://x.test/a", "https://x.test/a"),
        ("https://x.test/a_(b)!", "https://x.test/a_(b)", "https://x.test/a_(b)"),
        ('"https://x.test/?q=1",', "https://x.test/?q=1", "https://x.test/?q=1"),
        ("HTTPS://X.Test:443/A/B?utm_source=x&id=7&fbclid=1#frag", "https://x.test/A/B?id=7", None),
        ("http://x.test:80", "https://x.test/", None),
        ("http://x.test:8080/p", "https://x.test:8080/p", None),
        ("https://user:secret@x.test/p", "https://x.test/p", None),
        ("https://x.test/p?gclid=1&igshid=2&si=3&ref_src=4&mc_cid=5", "https://x.test/p", None),
        ("www.bbc.co.uk/news?b=2&a=1.", "https://www.bbc.co.uk/news?b=2&a=1", None),
        ("https://x.test/pay/", "https://x.test/pay", "https://x.test/pay/"),
        ("https://x.test/", "https://x.test/", "https://x.test/"),
    ],
)
def test_urls_are_normalised(text: str, value: str, written: str | None) -> None:
    [url] = find_indicators(text)
    assert (url.type, url.value) == ("url", value)
    if written is not None:
        assert text[url.span[0] : url.span[1]] == written


@pytest.mark.parametrize(
    "text",
    [
        "example.com",
        "www.example.notasuffix",
        "ftp://x.test/file",
        "https://localhost/",
        "https://x.test:99999/",
        "email jo@www.example.com",
    ],
)
def test_not_urls(text: str) -> None:
    assert [i for i in find_indicators(text) if i.type == "url"] == []


def test_digits_in_a_url_are_not_a_phone() -> None:
    assert [i.type for i in find_indicators("https://x.test/?tel=07911123456")] == ["url"]


def test_canonical_url() -> None:
    assert canonical_indicator("url", "HTTPS://X.TEST/Path#x").value == "https://x.test/Path"
    with pytest.raises(InvalidIndicator, match="not an http"):
        canonical_indicator("url", "mailto:jo@example.com")


@pytest.mark.parametrize(
    "written",
    [
        "www.example.com/pay",
        "http://www.example.com/pay",
        "https://www.example.com/pay",
        "HTTP://WWW.EXAMPLE.COM/pay/",
        "https://www.example.com:443/pay/",
        "http://www.example.com:80/pay",
    ],
)
def test_one_link_written_many_ways_is_one_key(written: str) -> None:
    assert [i.key for i in find_indicators(written)] == ["url::https://www.example.com/pay"]


def test_only_one_trailing_slash_is_dropped_and_case_is_kept() -> None:
    assert canonical_indicator("url", "http://x.test/Pay//").value == "https://x.test/Pay/"
    assert canonical_indicator("url", "http://x.test").value == "https://x.test/"
