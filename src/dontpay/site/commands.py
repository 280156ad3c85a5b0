"""The shape shared by the product's own commands: bad input is one line and exit status 2."""

import sys
from typing import Any

from django.core.management.base import BaseCommand


class BadInput(Exception):
    """The user's input cannot be used; the message says which field and what is allowed."""


class ProductCommand(BaseCommand):
    """A command that prints ``dontpay <name>: <problem>`` and exits 2 on `BadInput`."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except BadInput as problem:
            name = type(self).__module__.rsplit(".", 1)[-1]
            sys.stderr.write(f"dontpay {name}: {problem}\n")
            sys.exit(2)
