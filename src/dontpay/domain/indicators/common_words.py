"""Ordinary words that never name an account or a mailbox when written without `@` or `$`.

A label followed by one of them ("my snap is gone", "email me @ gmail . com") is a sentence, not
an indicator. The list is `common_words.txt` beside this module, which says why each group is
there.
"""

from functools import cache
from importlib.resources import files


@cache
def common_words() -> frozenset[str]:
    """The words of `common_words.txt`, in lower case."""
    listed = files(__package__).joinpath("common_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in listed.splitlines() if line.strip() and not line.startswith("#")
    )


def is_common_word(word: str) -> bool:
    return word.lower() in common_words()
