"""`dontpay backup DIR`: a consistent copy of the database and the vault, without the key."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from dontpay.site.backups import BackupError, backup
from dontpay.site.commands import BadInput, ProductCommand

KEY_WARNING = (
    "The master key is NOT in this backup, on purpose. Without it the backup cannot be read; "
    "with it, anyone holding the backup could read it. Back it up separately and keep it "
    "apart: {where}."
)


def where_the_key_is() -> str:
    if settings.DONTPAY_MASTER_KEY:
        return "it is the value of DONTPAY_MASTER_KEY"
    return f"it is the file {settings.DATA_DIR / 'master.key'}"


class Command(ProductCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and every vault blob into DIR, "
        "which must be new or empty. The master key is never included: back it up separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", metavar="DIR")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["dir"])
        try:
            summary = backup(target)
        except BackupError as problem:
            raise BadInput(str(problem)) from None
        warning = KEY_WARNING.format(where=where_the_key_is())
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "dir": str(target.resolve()),
                        "engine": summary.engine,
                        "tables": summary.tables,
                        "rows": summary.rows,
                        "blobs": summary.blobs,
                        "master_key_included": False,
                    }
                )
            )
        else:
            self.stdout.write(
                f"backed up {summary.rows} rows in {summary.tables} tables ({summary.engine}) "
                f"and {summary.blobs} vault files to {target.resolve()}"
            )
        self.stderr.write(warning)
