"""Financial years run 1 April to 31 March and are written 2019/20."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dontpay.domain.stats import (
    InvalidPeriod,
    calendar_year,
    financial_year,
    financial_year_bounds,
)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2019, 3, 31), "2018/19"),
        (date(2019, 4, 1), "2019/20"),
        (date(2020, 3, 31), "2019/20"),
        (date(2020, 4, 1), "2020/21"),
        (date(2019, 12, 31), "2019/20"),
        (date(2020, 1, 1), "2019/20"),
        (date(2020, 2, 29), "2019/20"),
        (date(1999, 4, 1), "1999/00"),
        (date(2000, 3, 31), "1999/00"),
        (date(2000, 4, 1), "2000/01"),
        (date(2099, 4, 1), "2099/00"),
        (date(1, 4, 1), "0001/02"),
    ],
)
def test_financial_year_changes_between_31_march_and_1_april(day: date, label: str) -> None:
    assert financial_year(day) == label


def test_calendar_year_is_the_year_as_text() -> None:
    assert calendar_year(date(2019, 3, 31)) == "2019"
    assert calendar_year(date(2019, 4, 1)) == "2019"
    assert calendar_year(date(999, 1, 1)) == "0999"


@pytest.mark.parametrize(
    ("label", "first", "last"),
    [
        ("2019/20", date(2019, 4, 1), date(2020, 3, 31)),
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31)),
        ("2023/24", date(2023, 4, 1), date(2024, 3, 31)),
    ],
)
def test_financial_year_bounds_are_1_april_and_31_march(
    label: str, first: date, last: date
) -> None:
    assert financial_year_bounds(label) == (first, last)


@pytest.mark.parametrize(
    "label",
    ["2019/21", "2019/19", "1999/99", "2019-20", "19/20", "2019/2020", "", " 2019/20", "abcd/ef",
     "9999/00", "0000/01"],
)  # fmt: skip
def test_financial_year_bounds_refuse_bad_labels(label: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        financial_year_bounds(label)
    assert isinstance(caught.value, ValueError)
    assert repr(label) in str(caught.value)


@given(st.dates(min_value=date(1, 4, 1), max_value=date(9999, 3, 31)))
def test_financial_year_always_contains_the_day(day: date) -> None:
    first, last = financial_year_bounds(financial_year(day))
    assert first <= day <= last
    assert financial_year(first) == financial_year(last) == financial_year(day)
    assert first.replace(year=first.year + 1) - timedelta(days=1) == last
