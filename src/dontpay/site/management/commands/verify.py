"""`dontpay verify`: check every custody chain and every stored file, and say what is wrong."""

import json
from typing import Any

from django.core.management.base import CommandParser

from dontpay.cases.integrity import integrity_problems
from dontpay.cases.models import EvidenceItem, Report
from dontpay.site.commands import ProductCommand


class Command(ProductCommand):
    help = "Verify every report's custody chain and signature and every stored file's hash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(integrity_problems())
        summary = {
            "reports": Report.objects.count(),
            "files": EvidenceItem.objects.count(),
            "problems": problems,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
        elif problems:
            for problem in problems:
                self.stdout.write(problem)
        else:
            self.stdout.write(f"ok: {summary['reports']} reports, {summary['files']} files")
        if problems:
            raise SystemExit(1)
