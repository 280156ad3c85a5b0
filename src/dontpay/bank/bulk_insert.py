"""Multi-row INSERTs for the bank's bulk paths, in SQL that SQLite and PostgreSQL both run.

`bulk_create` spends about ten times as long building model objects and compiling each
statement as the database spends inserting the rows; a million-line import makes three million
rows. Here each statement is one ``INSERT … VALUES (…), (…), …`` of up to `ROWS_PER_STATEMENT`
rows, built once per shape, with the values passed as parameters.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone

#: Rows per statement: 1,000 rows of six values stay far below SQLite's 250,000 parameters.
ROWS_PER_STATEMENT = 1_000

Row = Sequence[Any]


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert the rows; with `returning`, those columns of each inserted row, in no set order."""
    returned: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            batch = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                _statement(table, tuple(columns), len(batch), ignore_conflicts, tuple(returning)),
                [value for row in batch for value in row],
            )
            if returning:
                returned.extend(cursor.fetchall())
    return returned


def now_for_database() -> object:
    """The current time as the database takes it in a parameter (text on SQLite)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


@cache
def _statement(
    table: str,
    columns: tuple[str, ...],
    rows: int,
    ignore_conflicts: bool,
    returning: tuple[str, ...],
) -> str:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 - names from our models, values as parameters
        f"VALUES {', '.join([row] * rows)}"
    )
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    return sql
