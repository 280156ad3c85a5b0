import pytest

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators


def keys(text: str, region: str = "GB") -> list[str]:
    return [indicator.key for indicator in find_indicators(text, region)]


def test_three_uk_spellings_are_one_key() -> None:
    text = "+44 7911 123456, 07911123456 and 447911123456"
    found = find_indicators(text)
    assert [indicator.key for indicator in found] == ["phone::+447911123456"]
    assert found[0].span == (0, 15)


def test_spaced_digits_are_one_number() -> None:
    text = "my number is 0 7 9 1 1 1 2 3 4 5 6 ok"
    [phone] = find_indicators(text)
    assert phone.value == "+447911123456"
    assert text[phone.span[0] : phone.span[1]] == "0 7 9 1 1 1 2 3 4 5 6"


def test_region_reads_national_numbers() -> None:
    assert keys("(202) 555-0143", "US") == ["phone::+12025550143"]
    assert keys("(202) 555-0143", "GB") == []
    assert keys("+1 202-555-0143", "GB") == ["phone::+12025550143"]


@pytest.mark.parametrize(
    "text",
    [
        "£500",
        "$1,000.00",
        "0.05 BTC",
        "12/03/2024",
        "2024-03-12",
        "20240312",
        "at 23:15",
        "CRN 1234567",
        "order 123456789",
        "07911 12345",  # one digit short
        "+44 7911 1234567",  # one digit long
    ],
)
def test_not_phones(text: str) -> None:
    assert keys(text) == []
    assert keys(text, "US") == []


def test_trailing_punctuation_is_outside_the_span() -> None:
    text = "call 07911 123456."
    [phone] = find_indicators(text)
    assert text[phone.span[0] : phone.span[1]] == "07911 123456"


def test_canonical_phone_and_its_reasons() -> None:
    assert canonical_indicator("phone", "07911 123 456").value == "+447911123456"
    assert canonical_indicator("phone", "202-555-0143", region="US").value == "+12025550143"
    with pytest.raises(InvalidIndicator, match="not a valid phone number"):
        canonical_indicator("phone", "0791112345")
    with pytest.raises(InvalidIndicator, match="not a phone number"):
        canonical_indicator("phone", "call me")
