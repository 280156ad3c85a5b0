"""`dontpay sweep`: remove vault files left behind by interrupted uploads."""

from typing import Any

from django.core.management.base import CommandParser

from dontpay.cases.evidence import sweep_orphans
from dontpay.site.commands import ProductCommand


class Command(ProductCommand):
    help = "Remove vault files that no evidence item refers to, older than --grace seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--grace", type=float, default=3600.0, metavar="SECONDS")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = sweep_orphans(options["grace"])
        self.stdout.write(f"removed {removed} orphaned file{'s' if removed != 1 else ''}")
