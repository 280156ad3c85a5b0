"""`dontpay import cases FILE.csv`: historic case records, all rows or none."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from dontpay.cases.statistics import import_cases
from dontpay.domain.stats import ImportRefused
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Import historic case records (for statistics) from CSV; any bad row imports nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        cases = kinds.add_parser("cases", help="case records, one per row")
        cases.add_argument("file", metavar="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise BadInput(f"cannot read {path}: no such file")
        try:
            imported = import_cases(path)
        except ImportRefused as refused:
            self.stderr.write(refused.message())
            raise SystemExit(2) from None
        except UnicodeDecodeError:
            raise BadInput(f"{path}: not UTF-8 text") from None
        self.stdout.write(f"imported {imported} case{'s' if imported != 1 else ''}")
