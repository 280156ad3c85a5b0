"""`dontpay recluster`: recompute every cluster from the report-indicator index."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandParser

from dontpay.intel.linking import recluster_all
from dontpay.site.commands import ProductCommand


class Command(ProductCommand):
    help = (
        "Recompute every cluster of linked reports from the index (connected components), "
        "and say how many reports moved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = recluster_all()
        if options["json"]:
            self.stdout.write(json.dumps(asdict(summary)))
            return
        self.stdout.write(
            f"{summary.linked_reports} of {summary.reports_indexed} indexed reports linked in "
            f"{summary.clusters} clusters; {summary.reports_moved} moved; "
            f"{summary.seconds:.1f} s"
        )
