"""`dontpay pack verify FILE.zip`: check a report pack, offline."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from dontpay.domain.custody import verify_pack
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Verify a report pack: every file against the signed manifest, and its custody chain."
    requires_system_checks = ()  # works on any machine, with no database

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="verify a pack ZIP")
        verify.add_argument("file", metavar="FILE.zip")
        verify.add_argument(
            "--public-key", metavar="PEM", help="require the pack to be signed by this key"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = Path(options["file"]).read_bytes()
            trusted = Path(options["public_key"]).read_bytes() if options["public_key"] else None
        except OSError as problem:
            raise BadInput(f"cannot read {problem.filename}: {problem.strerror}") from None
        result = verify_pack(data, trusted)
        if result.valid:
            self.stdout.write(f"valid: {result.items} items")
            return
        self.stderr.write(f"invalid: {result.problem}")
        raise SystemExit(1)
