"""FOI tables: totals, years, date filters and suppression, on the West Midlands figures."""

import dataclasses
import json
from collections import Counter
from datetime import date

import pytest

from dontpay.domain.stats import CaseRecord, YearCounts, as_json, foi_tables


def test_west_midlands_totals_match_the_published_figures(west_midlands: list[CaseRecord]) -> None:
    total = foi_tables(west_midlands).total
    assert total.reports == 29
    assert total.payment_made == 6
    assert total.suspect_identified == 1
    assert total.outcomes == {"8": 1, "18": 28}
    assert total.outcome_groups == {
        "Out-of-court (informal)": 1,
        "Investigation complete - no suspect identified": 28,
    }


def test_west_midlands_spans_five_financial_years(west_midlands: list[CaseRecord]) -> None:
    tables = foi_tables(west_midlands)
    assert list(tables.by_financial_year) == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19"]
    assert [c.reports for c in tables.by_financial_year.values()] == [5, 6, 7, 5, 6]
    assert list(tables.by_calendar_year) == ["2014", "2015", "2016", "2017", "2018", "2019"]
    assert tables.basis == "recorded_on"


@pytest.mark.parametrize("by", ["financial_year", "calendar_year"])
def test_years_add_up_to_the_total(west_midlands: list[CaseRecord], by: str) -> None:
    tables = foi_tables(west_midlands)
    years = list(tables.periods(by).values())  # type: ignore[arg-type]
    assert sum(c.reports for c in years) == tables.total.reports
    assert sum(c.payment_made for c in years) == tables.total.payment_made
    assert sum(c.suspect_identified for c in years) == tables.total.suspect_identified
    assert sum((Counter(c.outcomes) for c in years), Counter()) == Counter(tables.total.outcomes)
    assert sum((Counter(c.outcome_groups) for c in years), Counter()) == Counter(
        tables.total.outcome_groups
    )


def test_31_march_and_1_april_fall_in_different_financial_years(
    west_midlands: list[CaseRecord],
) -> None:
    on_31_march = foi_tables(west_midlands, start=date(2015, 3, 31), end=date(2015, 3, 31))
    on_1_april = foi_tables(west_midlands, start=date(2015, 4, 1), end=date(2015, 4, 1))
    assert list(on_31_march.by_financial_year) == ["2014/15"]
    assert on_31_march.total.reports == 1
    assert on_31_march.total.payment_made == 1
    assert list(on_1_april.by_financial_year) == ["2015/16"]
    assert on_1_april.total.payment_made == 0
    both = foi_tables(west_midlands, start=date(2015, 3, 31), end=date(2015, 4, 1))
    assert {year: c.reports for year, c in both.by_financial_year.items()} == {
        "2014/15": 1,
        "2015/16": 1,
    }
    assert list(both.by_calendar_year) == ["2015"]


def test_start_and_end_are_inclusive(west_midlands: list[CaseRecord]) -> None:
    first_year = foi_tables(west_midlands, start=date(2014, 4, 14), end=date(2015, 3, 31))
    assert first_year.total.reports == 5
    just_inside = foi_tables(west_midlands, start=date(2014, 4, 15), end=date(2015, 3, 30))
    assert just_inside.total.reports == 3
    assert foi_tables(west_midlands, start=date(2019, 3, 28)).total.reports == 1
    assert foi_tables(west_midlands, end=date(2014, 4, 14)).total.reports == 1
    assert foi_tables(west_midlands, start=date(2019, 3, 29)).total == YearCounts()


def test_the_tables_keep_the_filter(west_midlands: list[CaseRecord]) -> None:
    tables = foi_tables(west_midlands, start=date(2015, 1, 1), end=date(2015, 12, 31))
    assert (tables.start, tables.end) == (date(2015, 1, 1), date(2015, 12, 31))


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        foi_tables([], start=date(2020, 1, 2), end=date(2020, 1, 1))


def test_no_records_give_empty_tables() -> None:
    tables = foi_tables([])
    assert tables.by_financial_year == {}
    assert tables.by_calendar_year == {}
    assert tables.total == YearCounts()


def _record(day: date, outcome_code: int = 18, **changes: object) -> CaseRecord:
    record = CaseRecord(
        reference=f"R-{day}-{outcome_code}",
        recorded_on=day,
        offence="blackmail",
        payment_made=False,
        amount_paid=None,
        currency="",
        suspect_identified=False,
        outcome_code=outcome_code,
        outcome_date=None,
        victim_age_band="unknown",
        platforms=(),
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def test_years_without_reports_between_years_with_reports_show_zeros() -> None:
    tables = foi_tables([_record(date(2021, 1, 5)), _record(date(2017, 6, 1))])
    assert list(tables.by_financial_year) == ["2017/18", "2018/19", "2019/20", "2020/21"]
    assert tables.by_financial_year["2018/19"] == YearCounts()
    assert list(tables.by_calendar_year) == ["2017", "2018", "2019", "2020", "2021"]


def test_outcomes_sort_numerically_and_groups_follow_the_home_office_order() -> None:
    day = date(2020, 5, 1)
    records = [_record(day, 18), _record(day, 8, suspect_identified=True), _record(day, 21)]
    records.append(_record(day, 3, suspect_identified=True))
    total = foi_tables(records).total
    assert list(total.outcomes) == ["3", "8", "18", "21"]
    assert list(total.outcome_groups) == [
        "Out-of-court (formal)",
        "Out-of-court (informal)",
        "Investigation complete - no suspect identified",
        "Further investigation not in the public interest (police decision)",
    ]


def test_outcome_0_counts_as_an_outcome_but_in_no_group() -> None:
    total = foi_tables([_record(date(2020, 5, 1), 0), _record(date(2020, 5, 2), 18)]).total
    assert total.outcomes == {"0": 1, "18": 1}
    assert total.outcome_groups == {"Investigation complete - no suspect identified": 1}


def test_a_record_with_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="outcome 23"):
        foi_tables([_record(date(2020, 5, 1), 23)])


def test_json_has_exactly_the_documented_shape(west_midlands: list[CaseRecord]) -> None:
    data = as_json(foi_tables(west_midlands))
    assert list(data) == [
        "basis",
        "suppressed_below",
        "by_financial_year",
        "by_calendar_year",
        "total",
    ]
    assert data["basis"] == "recorded_on"
    assert data["suppressed_below"] is None
    assert data["by_financial_year"]["2017/18"] == {
        "reports": 5,
        "payment_made": 1,
        "suspect_identified": 1,
        "outcomes": {"8": 1, "18": 4},
        "outcome_groups": {
            "Out-of-court (informal)": 1,
            "Investigation complete - no suspect identified": 4,
        },
    }
    assert data["total"]["outcomes"] == {"8": 1, "18": 28}
    assert json.loads(json.dumps(data)) == data


def test_json_years_are_sorted_whatever_the_order_of_records(
    west_midlands: list[CaseRecord],
) -> None:
    data = as_json(foi_tables(reversed(west_midlands)))
    assert list(data["by_financial_year"]) == sorted(data["by_financial_year"])
    assert list(data["by_calendar_year"]) == sorted(data["by_calendar_year"])


def test_suppression_hides_small_counts_but_not_zero(west_midlands: list[CaseRecord]) -> None:
    tables = foi_tables(west_midlands, suppress_below=5)
    assert tables.total.suspect_identified == 1  # numbers stay numbers
    data = as_json(tables)
    assert data["suppressed_below"] == 5
    assert data["total"]["reports"] == 29
    assert data["total"]["payment_made"] == 6
    assert data["total"]["suspect_identified"] == "<5"
    assert data["total"]["outcomes"] == {"8": "<5", "18": 28}
    year = data["by_financial_year"]["2014/15"]
    assert year["reports"] == 5  # the threshold itself is shown
    assert year["payment_made"] == "<5"
    assert year["suspect_identified"] == 0
    assert data["by_calendar_year"]["2019"]["reports"] == "<5"


@pytest.mark.parametrize("below", [0, 1])
def test_a_threshold_of_0_or_1_suppresses_nothing(
    west_midlands: list[CaseRecord], below: int
) -> None:
    data = as_json(foi_tables(west_midlands, suppress_below=below))
    assert data["suppressed_below"] is None
    assert data["total"]["suspect_identified"] == 1


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="suppress_below"):
        foi_tables([], suppress_below=-1)
