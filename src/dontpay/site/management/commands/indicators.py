"""`dontpay indicators [FILE|-] [--region GB] [--json]`: the indicators found in a text."""

import json
import sys
from argparse import ArgumentParser
from typing import Any

from dontpay.domain.indicators import InvalidIndicator, find_indicators
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = (
        "Print every distinct phone number, email, handle, crypto address, IBAN, UK bank account "
        "and web link in a text (a file, or - / nothing for stdin), in canonical form."
    )
    requires_system_checks = ()  # needs no database

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", default="-", metavar="FILE|-")
        parser.add_argument(
            "--region", default="GB", help="where national phone numbers are read (ISO 3166)"
        )
        parser.add_argument("--json", action="store_true", help="print the indicators as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read_text(options["file"])
        try:
            indicators = find_indicators(text, options["region"])
        except InvalidIndicator as problem:
            raise BadInput(problem) from None
        if options["json"]:
            shape = {"indicators": [indicator.as_dict() for indicator in indicators]}
            self.stdout.write(json.dumps(shape, indent=2, ensure_ascii=False))
            return
        if not indicators:
            self.stdout.write("No indicators found.")
            return
        rows = [
            (
                indicator.type,
                indicator.platform or indicator.network or "",
                indicator.value,
                f"{indicator.span[0]}-{indicator.span[1]}",
            )
            for indicator in indicators
        ]
        header = ("TYPE", "PLATFORM/NETWORK", "VALUE", "AT")
        widths = [max(len(row[column]) for row in (header, *rows)) for column in range(3)]
        for row in (header, *rows):
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
                + f"  {row[3]}"
            )


def _read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError as problem:
        raise BadInput(f"cannot read {path}: {problem.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"cannot read {path}: not UTF-8 text") from None
