"""The shape shared by the product's own commands: bad input is one line and exit status 2."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

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


@contextmanager
def output_file(path: Path) -> Iterator[BinaryIO]:
    """`--output`, made writable before anything is made for it: making a pack records an export
    in custody chains, which must never claim a pack that could not be written. The bytes go to a
    file beside it that replaces it only once complete, so a failure leaves an older file there
    as it was."""
    if path.is_dir():
        raise BadInput(f"--output: {path} is a folder")
    partial = path.with_name(f".{path.name}.partial")
    try:
        out = partial.open("wb")
    except OSError as problem:
        raise BadInput(f"--output: cannot write {path}: {problem.strerror}") from None
    try:
        with out:
            yield out
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
