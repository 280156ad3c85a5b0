"""Why a searched value is not an indicator: fictional drama numbers and invalid values."""

import pytest

from dontpay.domain.indicators.explain import FICTIONAL, INVALID, read_query
from dontpay.domain.indicators.phone import drama_number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900999", "+447700900999"),
        ("020 7946 0000", "+442079460000"),
        ("01632 960123", "+441632960123"),
        ("07911 123456", None),
        ("07700 9001234", None),
        ("not a number", None),
    ],
)
def test_ofcom_drama_numbers_are_recognised(typed: str, number: str | None) -> None:
    assert drama_number(typed, "GB") == number


def test_a_drama_number_that_is_never_indexed_is_explained() -> None:
    reading = read_query("07700 900123")
    assert reading.indicators == ()
    assert [(p.type, p.reason) for p in reading.not_indexed] == [("phone", FICTIONAL)]


def test_an_invalid_value_says_what_it_was_taken_for() -> None:
    reading = read_query("07911 12345")
    assert [(p.type, p.reason) for p in reading.not_indexed] == [("phone", INVALID)]
    assert "not a valid phone number" in reading.not_indexed[0].message


def test_a_real_indicator_reads_as_itself() -> None:
    assert [i.value for i in read_query("07911 123456").indicators] == ["+447911123456"]
    assert read_query("just some words").not_indexed == ()
