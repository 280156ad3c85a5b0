"""Statistics for FOI answers: Home Office outcome types, financial years, counts and exports.

Plain records in, tables out. Where the records come from (a CSV of historic cases, or the case
files in the database) is the caller's business; every count here is by the date recorded.
"""

from .columns import HEADER, InvalidColumns, record_from_columns
from .exports import bar_chart_svg, foi_csv, foi_xlsx
from .foi import FoiTables, PeriodType, YearCounts, foi_tables
from .imports import (
    MAX_LISTED_PROBLEMS,
    ImportCheck,
    ImportRefused,
    RowProblem,
    check_case_csv,
    read_case_csv,
)
from .outcomes import (
    OUTCOME_GROUPS,
    OUTCOMES,
    OUTCOMES_NEEDING_A_SUSPECT,
    OUTCOMES_WITHOUT_A_SUSPECT,
    OutcomeType,
    UnknownOutcome,
    outcome,
    outcome_contradicts_suspect,
)
from .periods import InvalidPeriod, calendar_year, financial_year, financial_year_bounds
from .records import AGE_BANDS, OFFENCES, CaseRecord
from .serialise import as_json, suppressed

__all__ = [
    "AGE_BANDS",
    "HEADER",
    "MAX_LISTED_PROBLEMS",
    "OFFENCES",
    "OUTCOMES",
    "OUTCOMES_NEEDING_A_SUSPECT",
    "OUTCOMES_WITHOUT_A_SUSPECT",
    "OUTCOME_GROUPS",
    "CaseRecord",
    "FoiTables",
    "ImportCheck",
    "ImportRefused",
    "InvalidColumns",
    "InvalidPeriod",
    "OutcomeType",
    "PeriodType",
    "RowProblem",
    "UnknownOutcome",
    "YearCounts",
    "as_json",
    "bar_chart_svg",
    "calendar_year",
    "check_case_csv",
    "financial_year",
    "financial_year_bounds",
    "foi_csv",
    "foi_tables",
    "foi_xlsx",
    "outcome",
    "outcome_contradicts_suspect",
    "read_case_csv",
    "record_from_columns",
    "suppressed",
]
