"""`dontpay stats foi [--from DATE] [--to DATE] [--suppress-below N] [--json]`."""

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandParser

from dontpay.cases.statistics import statistics
from dontpay.domain.stats import as_json, foi_csv
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Print FOI tables (by financial and calendar year, by recorded date)."

    def add_arguments(self, parser: CommandParser) -> None:
        tables = parser.add_subparsers(dest="table", required=True)
        foi = tables.add_parser("foi", help="reports, payments, suspects and outcomes per year")
        foi.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
        foi.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
        foi.add_argument("--suppress-below", type=int, default=0, metavar="N")
        foi.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        try:
            tables = statistics(start, end, options["suppress_below"])
        except ValueError as problem:
            raise BadInput(str(problem)) from None
        if options["json"]:
            self.stdout.write(json.dumps(as_json(tables), indent=2))
        else:
            self.stdout.write(foi_csv(tables))


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None
