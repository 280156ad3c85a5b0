"""Keys and a short custody chain shared by the custody tests."""

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dontpay.domain.custody import (
    CustodyEvent,
    OrganisationKeys,
    event_as_json,
    load_organisation_keys,
    next_event,
)

MASTER_KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_MASTER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture
def keys(tmp_path: Path) -> OrganisationKeys:
    return load_organisation_keys(tmp_path, MASTER_KEY)


@pytest.fixture
def other_keys(tmp_path: Path) -> OrganisationKeys:
    return load_organisation_keys(tmp_path, OTHER_MASTER_KEY)


@pytest.fixture
def chain() -> list[CustodyEvent]:
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    created = next_event(None, "created", "person", {"reference": "DP-7KQ2-M9XA"}, start)
    added = next_event(
        created,
        "item-added",
        "person",
        {"item": 1, "sha256": "ab" * 32},
        start + timedelta(minutes=2),
    )
    viewed = next_event(added, "viewed", "staff:4", {"item": 1}, start + timedelta(days=1))
    exported = next_event(viewed, "exported", "staff:4", {}, start + timedelta(days=2))
    return [created, added, viewed, exported]


def jsonl(events: list[CustodyEvent]) -> bytes:
    """The events as the lines of a ``custody.jsonl`` file."""
    return "".join(event_as_json(event) + "\n" for event in events).encode()
