"""`dontpay staff create USERNAME --role ROLE`: a staff account and its one-time set-up link."""

import io
import json
from typing import Any

import segno
from django.core.management.base import CommandParser

from dontpay.accounts.enrolment import StaffError, create_staff
from dontpay.accounts.roles import ROLES
from dontpay.site.commands import BadInput, ProductCommand


class Command(ProductCommand):
    help = "Create a staff account and print its one-time set-up link (valid for 24 hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a staff account")
        create.add_argument("username")
        create.add_argument("--role", required=True, help=", ".join(dict(ROLES)))
        create.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="where staff reach this server"
        )
        create.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = create_staff(options["username"], options["role"])
        except StaffError as problem:
            raise BadInput(str(problem)) from None
        link = f"{options['base_url'].rstrip('/')}/staff/enrol/{created.enrolment_token}/"
        if options["json"]:
            self.stdout.write(json.dumps({"username": options["username"], "enrolment_link": link}))
            return
        self.stdout.write(
            f"Created {options['username']} ({options['role']}).\n"
            f"Give them this one-time link to set a password and pair an authenticator app "
            f"(valid for 24 hours):\n{link}\n"
        )
        qr = io.StringIO()
        segno.make(link, error="m").terminal(out=qr, compact=True)
        self.stdout.write(qr.getvalue())
