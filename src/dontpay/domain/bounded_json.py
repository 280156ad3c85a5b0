"""Reading JSON that comes from outside (a browser, a platform, a file) with bounded nesting.

Python's `json` recurses once per level of nesting, so a document nested a few thousand levels
deep raises `RecursionError`, which no caller expects and which becomes a server error. Our
formats nest a few levels at most; `load_json` refuses anything deeper than `MAX_DEPTH` with
`JsonTooDeep`, a `ValueError` like `json.JSONDecodeError`, before parsing, so every caller that
already turns bad JSON into a clear error does the same for this.
"""

import json
import re
from itertools import accumulate
from typing import Any

#: Deeper than anything we read or write (a vPDQ line is 1 deep, an API body 3).
MAX_DEPTH = 32
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")


class JsonTooDeep(ValueError):
    """JSON nested deeper than we read."""


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text` (brackets inside strings do not count)."""
    # Without escapes, every other piece between quotes is a string: much faster to drop.
    escaped = "\\" in text
    outside_strings = _STRING.sub("", text) if escaped else "".join(text.split('"')[::2])
    brackets = _BRACKETS.sub("", outside_strings)
    if not brackets:
        return 0
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(0, max(accumulate(steps)))


def load_json(text: str | bytes, *, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """`json.loads`, refusing more than `max_depth` levels of nesting with `JsonTooDeep`.

    Bytes must be UTF-8 (`UnicodeDecodeError`, also a `ValueError`, otherwise).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if json_depth(text) > max_depth:
        raise JsonTooDeep(f"nested more than {max_depth} levels deep")
    return json.loads(text, **options)
