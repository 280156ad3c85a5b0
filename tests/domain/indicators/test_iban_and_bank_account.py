import pytest

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators


def keys(text: str) -> list[str]:
    return [indicator.key for indicator in find_indicators(text)]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("GB82 WEST 1234 5698 7654 32", "iban::GB82WEST12345698765432"),
        ("to GB82WEST12345698765432, thanks", "iban::GB82WEST12345698765432"),
        ("FR14 2004 1010 0505 0001 3M02 606 please", "iban::FR1420041010050500013M02606"),
        ("NL91ABNA0417164300", "iban::NL91ABNA0417164300"),
    ],
)
def test_ibans(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_iban_span_stops_at_its_country_length() -> None:
    for text in ("IBAN GB82 WEST 1234 5698 7654 32 thanks", "GB82 WEST 1234 5698 7654 32 1234"):
        [iban] = find_indicators(text)
        assert text[iban.span[0] : iban.span[1]] == "GB82 WEST 1234 5698 7654 32"


@pytest.mark.parametrize(
    "text",
    [
        "GB83 WEST 1234 5698 7654 32",  # check digits off by one
        "GB82 WEST 1234 5698 7654 33",  # one character changed
        "XX82 WEST 1234 5698 7654 32",  # no such country
        "GB82 WEST 1234",
    ],
)
def test_not_ibans(text: str) -> None:
    assert [i for i in find_indicators(text) if i.type == "iban"] == []


def test_canonical_iban() -> None:
    assert canonical_indicator("iban", "gb82 west 1234 5698 7654 32").value == (
        "GB82WEST12345698765432"
    )
    with pytest.raises(InvalidIndicator, match="not a valid IBAN"):
        canonical_indicator("iban", "GB83 WEST 1234 5698 7654 32")


@pytest.mark.parametrize(
    "text",
    [
        "sort code 12-34-56 account 12345678",
        "Sort Code: 12 34 56, Account Number: 12345678",
        "sortcode 123456 acc 12345678",
        "account no. 12345678 and sort code 12-34-56",
        "bank details: 12-34-56 12345678",
        "12-34-56 12345678 is my account",
        "s/c and acc: 12-34-56, 12345678",
        "pay it into 123456-12345678 (Barclays bank)",
    ],
)
def test_bank_accounts(text: str) -> None:
    assert keys(text) == ["bank_account::123456-12345678"]


def test_seven_digit_account_is_padded() -> None:
    assert keys("sort code 12-34-56 account 1234567") == ["bank_account::123456-01234567"]


@pytest.mark.parametrize(
    "text",
    [
        "12-03-2024 12345678",
        "on 12-03-24 at 23:15",
        "ref 12345678",
        "123456 12345678",  # bare digits with no label
        "on 03-11-24 12345678",  # a date and a reference number, no banking word
        "order 20-00-00 12345678",
        "12-34-56 12345678",
        "123456-12345678",
        "bank holiday. Then a long while later, on 03-11-24 12345678",  # the word is too far
        "sort code 12-34-56 account 123456789",  # nine digits
    ],
)
def test_not_bank_accounts(text: str) -> None:
    assert [i for i in find_indicators(text) if i.type == "bank_account"] == []


def test_canonical_bank_account() -> None:
    assert canonical_indicator("bank_account", "12-34-56 12345678").value == "123456-12345678"
    assert canonical_indicator("bank_account", "123456-12345678").value == "123456-12345678"
    assert canonical_indicator("bank_account", "sort code 123456, account 1234567").value == (
        "123456-01234567"
    )
    with pytest.raises(InvalidIndicator, match="not a UK sort code and account number"):
        canonical_indicator("bank_account", "12345678")
