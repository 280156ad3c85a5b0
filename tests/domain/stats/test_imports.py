"""Importing historic cases: every bad value is named by row and column, and nothing goes in."""

import io
from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal

import pytest

from dontpay.domain.stats import (
    HEADER,
    MAX_LISTED_PROBLEMS,
    CaseRecord,
    ImportRefused,
    RowProblem,
    check_case_csv,
    read_case_csv,
)

from .conftest import FIXTURE, GOOD_ROW, case_csv

EXPECTED_HEADER = (
    "reference,recorded_on,offence,payment_made,amount_paid,currency,suspect_identified,"
    "outcome_code,outcome_date,victim_age_band,platforms"
)


def problems(rows: list[dict[str, str]]) -> list[RowProblem]:
    result = check_case_csv(case_csv(rows))
    assert result.error_count == len(result.errors)
    return result.errors


def test_the_header_is_the_documented_one() -> None:
    assert ",".join(HEADER) == EXPECTED_HEADER


def test_a_good_file_passes_and_reads_as_records() -> None:
    check = check_case_csv(case_csv([{}, {"reference": "WMP-2019-0002"}]))
    assert (check.rows, check.errors, check.error_count, check.ok) == (2, [], 0, True)
    check.raise_if_refused()
    records = list(read_case_csv(case_csv([{}])))
    assert records == [
        CaseRecord(
            reference="WMP-2019-0001",
            recorded_on=date(2019, 5, 2),
            offence="blackmail",
            payment_made=True,
            amount_paid=Decimal("250.00"),
            currency="GBP",
            suspect_identified=False,
            outcome_code=18,
            outcome_date=date(2019, 6, 1),
            victim_age_band="18-24",
            platforms=("skype", "facebook"),
        )
    ]


def test_the_west_midlands_fixture_passes() -> None:
    with FIXTURE.open(newline="", encoding="utf-8-sig") as stream:
        check = check_case_csv(stream)
    assert (check.rows, check.error_count) == (29, 0)


def test_values_are_normalised() -> None:
    [record] = read_case_csv(
        case_csv(
            [
                {
                    "reference": "  20/12345/19 ",
                    "offence": "Threat To Share Intimate Images",
                    "payment_made": "NO",
                    "amount_paid": "0",
                    "suspect_identified": "Yes",
                    "outcome_code": "0",
                    "outcome_date": "",
                    "victim_age_band": "",
                    "platforms": " Skype ; SNAPCHAT;skype ",
                }
            ]
        )
    )
    assert record.reference == "20/12345/19"
    assert record.offence == "threat to share intimate images"
    assert (record.payment_made, record.amount_paid) == (False, None)
    assert record.suspect_identified is True
    assert (record.outcome_code, record.outcome_date) == (0, None)
    assert record.victim_age_band == "unknown"
    assert record.platforms == ("skype", "snapchat")


BAD_VALUES: list[tuple[str, str, str]] = [
    ("reference", "", "is required"),
    ("reference", "W" * 41, f"{'W' * 40 + '…'!r} is longer than 40 characters"),
    ("reference", "WMP 2019", "'WMP 2019' may hold only letters, digits, '-', '_' and '/'"),
    ("reference", "WMP#1", "'WMP#1' may hold only letters, digits, '-', '_' and '/'"),
    ("recorded_on", "", "is required (YYYY-MM-DD)"),
    ("recorded_on", "2019-02-30", "'2019-02-30' is not a real date (YYYY-MM-DD)"),
    ("recorded_on", "02/05/2019", "'02/05/2019' is not a date (YYYY-MM-DD)"),
    ("recorded_on", "2019-5-2", "'2019-5-2' is not a date (YYYY-MM-DD)"),
    ("offence", "theft", "'theft' is not one of: blackmail; threat to share intimate images"),
    ("offence", "", "is required, one of: blackmail; threat to share intimate images"),
    ("payment_made", "y", "'y' is not yes or no"),
    ("payment_made", "true", "'true' is not yes or no"),
    ("payment_made", "", "is required (yes or no)"),
    ("amount_paid", "-5", "'-5' is negative"),
    ("amount_paid", "12.345", "'12.345' has more than 2 decimal places"),
    ("amount_paid", "£100", "'£100' is not an amount like 250 or 250.00"),
    ("amount_paid", "1,000", "'1,000' is not an amount like 250 or 250.00"),
    ("amount_paid", "1e3", "'1e3' is not an amount like 250 or 250.00"),
    ("amount_paid", "NaN", "'NaN' is not an amount like 250 or 250.00"),
    ("amount_paid", "\u0661\u0662", "'\u0661\u0662' is not an amount like 250 or 250.00"),
    ("amount_paid", "12345678901", "'12345678901' is too large"),
    ("currency", "gbp", "'gbp' is not a three-letter currency code in capitals, like GBP"),
    ("currency", "GB", "'GB' is not a three-letter currency code in capitals, like GBP"),
    ("currency", "£", "'£' is not a three-letter currency code in capitals, like GBP"),
    ("suspect_identified", "maybe", "'maybe' is not yes or no"),
    ("suspect_identified", "", "is required (yes or no)"),
    ("outcome_code", "23", "'23' is not a Home Office outcome type from 0 to 22"),
    ("outcome_code", "-1", "'-1' is not a Home Office outcome type from 0 to 22"),
    ("outcome_code", "8.0", "'8.0' is not a Home Office outcome type from 0 to 22"),
    ("outcome_code", "eight", "'eight' is not a Home Office outcome type from 0 to 22"),
    ("outcome_code", "\u0668", "'\u0668' is not a Home Office outcome type from 0 to 22"),
    (
        "outcome_code",
        "1A",
        "'1A' is not a Home Office outcome type from 0 to 22; write 1A, 2A and 3A as 1, 2 "
        "and 3",
    ),
    ("outcome_code", "", "is required (0 to 22; 0 if not yet assigned)"),
    ("outcome_date", "2019-13-01", "'2019-13-01' is not a real date (YYYY-MM-DD)"),
    ("outcome_date", "last week", "'last week' is not a date (YYYY-MM-DD)"),
    ("outcome_date", "2019-05-01", "2019-05-01 is before recorded_on (2019-05-02)"),
    ("outcome_date", "", "is required when outcome_code is 18 (not 0)"),
    ("victim_age_band", "adult", "'adult' is not one of: under 13; 13-15; 16-17; 18-24; "
     "25-34; 35-44; 45-54; 55+; unknown"),
    ("platforms", "skype;;facebook", "'skype;;facebook' has an empty name between semicolons"),
    ("platforms", "skype;", "'skype;' has an empty name between semicolons"),
    ("platforms", ";", "';' has an empty name between semicolons"),
]  # fmt: skip


@pytest.mark.parametrize(("column", "value", "reason"), BAD_VALUES)
def test_a_bad_value_in_any_column_names_row_column_and_reason(
    column: str, value: str, reason: str
) -> None:
    assert problems([{}, {"reference": "OK-2", column: value}]) == [RowProblem(3, column, reason)]


def test_every_column_has_a_bad_value_test() -> None:
    assert {column for column, _, _ in BAD_VALUES} == set(HEADER)


def test_a_value_too_long_for_csv_is_one_problem_with_the_file() -> None:
    text = case_csv([{}]).getvalue() + "R2," + "x" * 200_000 + "\r\n"
    check = check_case_csv(io.StringIO(text, newline=""))
    assert [(p.row, p.column) for p in check.errors] == [(0, "")]
    assert check.errors[0].reason.startswith("cannot be read as CSV at row 3: field larger")


def test_an_amount_is_refused_when_nothing_was_paid() -> None:
    assert problems([{"payment_made": "no", "amount_paid": "50"}]) == [
        RowProblem(2, "amount_paid", "must be empty or 0 when payment_made is no")
    ]
    assert problems([{"payment_made": "no", "amount_paid": "0.00"}]) == []
    assert problems([{"payment_made": "no", "amount_paid": ""}]) == []


def test_a_payment_of_unknown_amount_or_currency_is_allowed() -> None:
    assert problems([{"amount_paid": "", "currency": ""}]) == []


def test_an_outcome_not_yet_assigned_needs_no_date() -> None:
    assert problems([{"outcome_code": "0", "outcome_date": ""}]) == []


def test_an_outcome_given_to_someone_needs_an_identified_suspect() -> None:
    assert problems([{"outcome_code": "8", "suspect_identified": "no"}]) == [
        RowProblem(
            2, "suspect_identified", "outcome 8 (Community resolution) needs an identified suspect"
        )
    ]
    assert problems([{"outcome_code": "8", "suspect_identified": "yes"}]) == []


def test_no_suspect_identified_contradicts_an_identified_suspect() -> None:
    assert problems([{"outcome_code": "18", "suspect_identified": "yes"}]) == [
        RowProblem(
            2,
            "suspect_identified",
            "outcome 18 (Investigation complete - no suspect identified) means no suspect was "
            "identified",
        )
    ]


def test_every_problem_in_a_row_is_reported_in_column_order() -> None:
    found = problems([{"recorded_on": "soon", "currency": "x", "outcome_code": "99"}])
    assert [(p.row, p.column) for p in found] == [
        (2, "recorded_on"),
        (2, "currency"),
        (2, "outcome_code"),
    ]


def test_duplicate_references_name_the_first_row() -> None:
    found = problems([{}, {"reference": "OTHER"}, {}, {}])
    assert found == [
        RowProblem(4, "reference", "duplicate of row 2"),
        RowProblem(5, "reference", "duplicate of row 2"),
    ]


def test_a_row_with_too_few_or_too_many_cells_is_refused() -> None:
    stream = case_csv([{}])
    text = stream.getvalue() + "A,2019-01-01,blackmail\r\n" + ",".join(["x"] * 12) + "\r\n"
    check = check_case_csv(io.StringIO(text, newline=""))
    assert check.errors == [
        RowProblem(3, "", "has 3 columns; the header has 11"),
        RowProblem(4, "", "has 12 columns; the header has 11"),
    ]


def test_blank_rows_are_skipped_but_counted_like_a_spreadsheet() -> None:
    text = case_csv([{}]).getvalue() + "\r\n,,,,,,,,,,\r\n" + "B,bad" + "\r\n\r\n"
    check = check_case_csv(io.StringIO(text, newline=""))
    assert check.rows == 2
    assert check.errors == [RowProblem(5, "", "has 2 columns; the header has 11")]


def test_an_empty_file_is_refused() -> None:
    for text in ("", "\r\n\r\n", "  \n"):
        check = check_case_csv(io.StringIO(text))
        assert check.errors == [RowProblem(0, "", "the file is empty")]
        assert check.rows == 0


def test_a_header_without_rows_is_refused() -> None:
    for text in (EXPECTED_HEADER, EXPECTED_HEADER + "\r\n\r\n"):
        check = check_case_csv(io.StringIO(text))
        assert check.errors == [RowProblem(0, "", "the file has no rows")]
        assert str(check.errors[0]) == "file: the file has no rows"


def test_a_bom_and_spaces_around_header_names_are_tolerated() -> None:
    header = "\ufeff reference , " + EXPECTED_HEADER.removeprefix("reference,")
    assert check_case_csv(case_csv([{}], header=header)).ok


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (EXPECTED_HEADER.replace("offence", "offense"), "missing offence; unexpected 'offense'"),
        (EXPECTED_HEADER.removesuffix(",platforms"), "missing platforms"),
        (EXPECTED_HEADER + ",notes", "unexpected 'notes'"),
        (EXPECTED_HEADER.replace("reference,recorded_on", "recorded_on,reference"),
         "columns out of order or repeated"),
        (EXPECTED_HEADER.upper(), "missing reference"),
        ("WMP-2019-0001,2019-05-02", "missing reference"),
    ],
)  # fmt: skip
def test_a_wrong_header_is_one_problem_naming_the_expected_header(header: str, detail: str) -> None:
    check = check_case_csv(case_csv([{}, {}], header=header))
    assert len(check.errors) == 1
    [problem] = check.errors
    assert (problem.row, problem.column) == (1, "")
    assert problem.reason.startswith(f"the header must be exactly {EXPECTED_HEADER} (")
    assert detail in problem.reason


def test_a_file_that_is_not_utf8_is_refused() -> None:
    data = (EXPECTED_HEADER + "\r\n" + ",".join(GOOD_ROW.values()) + "\r\n").encode()
    latin1 = data.replace(b"skype", "sk\u00e9pe".encode("latin-1"))
    stream = io.TextIOWrapper(io.BytesIO(latin1), encoding="utf-8", newline="")
    check = check_case_csv(stream)
    assert check.errors == [RowProblem(0, "", 'is not UTF-8 text; save it as "CSV UTF-8"')]


def test_refusal_lists_every_bad_row_one_per_line() -> None:
    check = check_case_csv(case_csv([{"recorded_on": "2019-02-30"}, {}, {"currency": "gbp"}]))
    with pytest.raises(ImportRefused) as caught:
        check.raise_if_refused()
    assert caught.value.message().splitlines() == [
        "Nothing was imported: the file has 4 problems.",
        "row 2, recorded_on: '2019-02-30' is not a real date (YYYY-MM-DD)",
        "row 3, reference: duplicate of row 2",
        "row 4, reference: duplicate of row 2",
        "row 4, currency: 'gbp' is not a three-letter currency code in capitals, like GBP",
    ]
    assert str(caught.value) == caught.value.message()


def test_refusal_message_says_how_many_more_problems_were_not_listed() -> None:
    refused = ImportRefused([RowProblem(2, "currency", "'x' is bad")], error_count=1_501)
    assert refused.message().splitlines() == [
        "Nothing was imported: the file has 1501 problems.",
        "row 2, currency: 'x' is bad",
        "… and 1500 more",
    ]


def test_the_list_of_problems_is_capped_but_every_problem_is_counted() -> None:
    rows = [{"reference": f"R{n}", "currency": "x"} for n in range(MAX_LISTED_PROBLEMS + 250)]
    check = check_case_csv(case_csv(rows))
    assert check.rows == MAX_LISTED_PROBLEMS + 250
    assert len(check.errors) == MAX_LISTED_PROBLEMS
    assert check.error_count == MAX_LISTED_PROBLEMS + 250
    assert check.errors[-1].row == MAX_LISTED_PROBLEMS + 1
    with pytest.raises(ImportRefused, match=r"… and 250 more$"):
        check.raise_if_refused()


def test_reading_refuses_a_bad_row_instead_of_skipping_it() -> None:
    records = read_case_csv(case_csv([{}, {"reference": "R2", "offence": "fraud"}]))
    assert next(records).reference == "WMP-2019-0001"
    with pytest.raises(ImportRefused, match="row 3, offence: 'fraud' is not one of"):
        next(records)


@pytest.mark.parametrize("text", ["", EXPECTED_HEADER, "a,b\r\n1,2\r\n"])
def test_reading_a_file_without_rows_or_header_is_refused(text: str) -> None:
    with pytest.raises(ImportRefused):
        list(read_case_csv(io.StringIO(text)))


def test_references_imported_before_are_refused_row_by_row() -> None:
    asked: list[list[str]] = []

    def already_imported(references: Sequence[str]) -> Collection[str]:
        asked.append(list(references))
        return {"R3", "R1500"} & set(references)

    rows = [{"reference": f"R{n}"} for n in range(1, 1501)]
    check = check_case_csv(case_csv(rows), already_imported=already_imported)
    assert [len(batch) for batch in asked] == [1000, 500]
    assert check.errors == [
        RowProblem(4, "reference", "'R3' was imported before"),
        RowProblem(1501, "reference", "'R1500' was imported before"),
    ]
