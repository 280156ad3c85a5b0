"""`dontpay restore DIR`: fill an empty deployment from a `dontpay backup`."""

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from dontpay.site.backups import BackupError, restore
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = (
        "Restore a backup into an empty database and an empty vault, with the organisation's "
        "master key already in place; then bring the schema up to date. Run `dontpay verify` "
        "afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", metavar="DIR")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(Path(options["dir"]))
        except BackupError as problem:
            raise BadInput(str(problem)) from None
        call_command("migrate", interactive=False, verbosity=0)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "rows": summary.rows,
                        "blobs": summary.blobs,
                        "missing_blobs": summary.missing_blobs,
                    }
                )
            )
            return
        self.stdout.write(f"restored {summary.rows} rows and {summary.blobs} vault files")
        if summary.missing_blobs:
            self.stdout.write(
                f"{summary.missing_blobs} vault files listed in the backup were not in it "
                "(removed while it was made); `dontpay verify` names any a report still needs"
            )
