"""The public API: keys, dict shape, overlaps, errors and speed."""

import time

import pytest

from dontpay.domain.indicators import (
    Indicator,
    InvalidIndicator,
    canonical_indicator,
    find_indicators,
)

MESSAGE = (
    "I have your pictures. Pay £500 by 12/03/2024 23:15 (CRN 1234567) or everyone sees them.\n"
    "Add me on insta @Some.Name or https://www.instagram.com/some.name/?igshid=abc\n"
    "Send 0.05 BTC to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 or pay "
    "GB82 WEST 1234 5698 7654 32.\n"
    "Call 07911 123456 or +44 7911 123456, mail Some.Name@Gmail.com, see https://x.test/a?utm_source=q.\n"
)


def test_one_indicator_per_key_at_its_first_place_in_text_order() -> None:
    found = find_indicators(MESSAGE)
    assert [indicator.key for indicator in found] == [
        "handle:instagram:some.name",
        "crypto_address:btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "iban::GB82WEST12345698765432",
        "phone::+447911123456",
        "email::some.name@gmail.com",
        "url::https://x.test/a",
    ]
    handle = found[0]
    assert MESSAGE[handle.span[0] : handle.span[1]] in ("@Some.Name", "Some.Name")


def test_indicator_key_and_dict_shape() -> None:
    handle = Indicator("handle", "some.name", (3, 13), platform="instagram")
    assert handle.key == "handle:instagram:some.name"
    assert handle.as_dict() == {
        "type": "handle",
        "value": "some.name",
        "platform": "instagram",
        "span": [3, 13],
    }
    phone = Indicator("phone", "+447911123456", (0, 11))
    assert phone.key == "phone::+447911123456"
    assert phone.as_dict() == {"type": "phone", "value": "+447911123456", "span": [0, 11]}
    wallet = Indicator("crypto_address", "0xab", (0, 4), network="eth")
    assert wallet.key == "crypto_address:eth:0xab"
    assert wallet.as_dict()["network"] == "eth"


def test_canonical_span_covers_the_value() -> None:
    assert canonical_indicator("iban", "GB82 WEST 1234 5698 7654 32").span == (0, 27)


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda: find_indicators("07911123456", region="XX"), "region: 'XX' is not an ISO 3166"),
        (lambda: canonical_indicator("phone", "07911123456", region="Mars"), "region: 'Mars'"),
        (lambda: canonical_indicator("fax", "1"), "type: 'fax' is not an indicator type"),
        (lambda: canonical_indicator("email", "a@b.co", platform="x"), "only a handle has"),
        (lambda: canonical_indicator("email", "  "), "email: the value is empty"),
    ],
)
def test_bad_calls_say_why(call: object, reason: str) -> None:
    with pytest.raises(InvalidIndicator, match=reason):
        call()  # type: ignore[operator]


def test_region_is_case_insensitive() -> None:
    assert find_indicators("07911123456", region="gb")[0].value == "+447911123456"


def test_nothing_in_ordinary_words_amounts_dates_and_times() -> None:
    text = "He said pay £500 or $1,000.00 or 0.05 BTC by 2024-03-12 at 23:15, ref CRN 1234567."
    assert find_indicators(text) == []


def test_five_kilobyte_message_is_fast() -> None:
    text = (MESSAGE * 20)[:5000]
    find_indicators(text)
    start = time.process_time()  # CPU, so a busy machine does not fail it
    for _ in range(10):
        find_indicators(text)
    assert (time.process_time() - start) / 10 < 0.05  # typically under 10 ms
