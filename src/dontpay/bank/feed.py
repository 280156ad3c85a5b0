"""The signal feed: platforms page through additions and withdrawals with an opaque cursor.

A cursor names the last change a platform has seen. Change ids are handed out in commit order
(see `submissions.lock_bank`), so following `next` never skips a change, however many
processes write to the bank.
"""

import base64
import binascii
from dataclasses import dataclass

from .models import SignalChange

DEFAULT_PAGE = 1000
MAX_PAGE = 10_000
_CURSOR_PREFIX = "signal-change:"


class InvalidCursor(ValueError):
    """A cursor this server did not hand out."""


@dataclass(frozen=True)
class FeedPage:
    """Changes in the order they happened, the cursor to ask from next, and whether there is
    more already waiting; `after` is the change the page starts after (0 for the first)."""

    after: int
    changes: list[SignalChange]
    next: str
    more: bool


def changes_since(cursor: str, limit: int = DEFAULT_PAGE) -> FeedPage:
    """Up to `limit` changes after `cursor` ("" for the first page)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be from 1 to {MAX_PAGE}, not {limit}")
    since = decode_cursor(cursor)
    if since and not SignalChange.objects.filter(id__gte=since).exists():
        # Ahead of every change: a cursor from elsewhere, or one kept across a restore of the
        # database from a backup. Following it would silently skip the changes made since.
        raise InvalidCursor("not a cursor this server handed out; start again without one")
    page = list(
        SignalChange.objects.filter(id__gt=since)
        .select_related("entry")
        .order_by("id")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    return FeedPage(since, page, encode_cursor(page[-1].pk if page else since), more)


def encode_cursor(change_id: int) -> str:
    text = f"{_CURSOR_PREFIX}{change_id}".encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id of the last change seen; 0 for the empty cursor."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor("not a cursor this server handed out") from None
    number = text.removeprefix(_CURSOR_PREFIX)
    if number == text or not (number.isascii() and number.isdigit()) or len(number) > 18:
        raise InvalidCursor("not a cursor this server handed out")
    return int(number)
