"""The custody chain: every event in a report's life, each one hashed together with the hash
of the event before it.

Changing, removing, reordering or inserting an event breaks every hash after it, so anyone with
the events can check the history offline. Cutting events off the end leaves a valid shorter
chain; a signature over the head (`sign_head`) is what makes that detectable too.
"""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..bounded_json import load_json

EVENT_KINDS = (
    "created",
    "field-changed",
    "item-added",
    "item-removed",
    "viewed",
    "exported",
    "deleted",
    "sent",
    "withdrawn",
)
GENESIS_HASH = "0" * 64
_FIELDS = ("sequence", "kind", "at", "actor", "detail", "previous_hash", "hash")
_HASH = re.compile(r"[0-9a-f]{64}")
_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


class InvalidEvent(ValueError):
    """An event cannot be made or read: unknown kind, naive time, bad detail or bad JSON."""


@dataclass(frozen=True)
class CustodyEvent:
    """One link of the chain. `at` is UTC, ISO 8601 with microseconds and a ``Z``."""

    sequence: int
    kind: str
    at: str
    actor: str
    detail: dict[str, str | int]
    previous_hash: str
    hash: str


def next_event(
    previous: CustodyEvent | None,
    kind: str,
    actor: str,
    detail: Mapping[str, str | int],
    at: datetime,
) -> CustodyEvent:
    """The event that follows `previous` (or starts a chain, if it is ``None``)."""
    if kind not in EVENT_KINDS:
        raise InvalidEvent(f"unknown event kind {kind!r}; allowed: {', '.join(EVENT_KINDS)}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidEvent("the time of an event must be timezone-aware")
    fields: dict[str, Any] = {
        "sequence": 1 if previous is None else previous.sequence + 1,
        "kind": kind,
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": _text(actor, "actor"),
        "detail": _detail(detail),
        "previous_hash": GENESIS_HASH if previous is None else previous.hash,
    }
    return CustodyEvent(**fields, hash=_hash(fields))


def verify_chain(events: Sequence[CustodyEvent]) -> list[str]:
    """Every problem found, in words (``event 3: hash does not match its contents``); empty
    when the chain is intact. Events are numbered from 1, by position."""
    if not events:
        return ["chain is empty"]
    problems = []
    for position, event in enumerate(events, start=1):
        where = f"event {position}"
        if event.sequence != position:
            problems.append(f"{where}: sequence should be {position}, not {event.sequence}")
        if position == 1:
            if event.previous_hash != GENESIS_HASH:
                problems.append(f"{where}: previous_hash of the first event should be 64 zeros")
        elif event.previous_hash != events[position - 2].hash:
            problems.append(f"{where}: previous_hash does not match event {position - 1}")
        if event.hash != _hash(_contents(event)):
            problems.append(f"{where}: hash does not match its contents")
    return problems


def event_as_json(event: CustodyEvent) -> str:
    """One line of canonical JSON, hash included: the form of a line of ``custody.jsonl``."""
    return _canonical({**_contents(event), "hash": event.hash})


def event_from_json(line: str) -> CustodyEvent:
    """Read a line written by `event_as_json`; raises `InvalidEvent` if it is malformed.

    This checks shapes only: whether the hashes hold is `verify_chain`'s job.
    """
    try:
        data = load_json(line, parse_constant=_refuse_constant)
    except ValueError as error:
        raise InvalidEvent(f"not JSON: {error}") from None
    if not isinstance(data, dict) or sorted(data) != sorted(_FIELDS):
        raise InvalidEvent(f"an event is a JSON object with exactly: {', '.join(_FIELDS)}")
    sequence = data["sequence"]
    if type(sequence) is not int or sequence < 1:
        raise InvalidEvent(f"sequence must be a whole number from 1, not {sequence!r}")
    if data["kind"] not in EVENT_KINDS:
        raise InvalidEvent(f"unknown event kind {data['kind']!r}")
    if not isinstance(data["at"], str) or not _AT.fullmatch(data["at"]):
        raise InvalidEvent(f"at must look like 2026-01-31T12:00:00.000000Z, not {data['at']!r}")
    for field in ("previous_hash", "hash"):
        if not isinstance(data[field], str) or not _HASH.fullmatch(data[field]):
            raise InvalidEvent(f"{field} must be 64 lowercase hex characters")
    if not isinstance(data["detail"], dict):
        raise InvalidEvent("detail must be a JSON object")
    return CustodyEvent(
        sequence=sequence,
        kind=data["kind"],
        at=data["at"],
        actor=_text(data["actor"], "actor"),
        detail=_detail(data["detail"]),
        previous_hash=data["previous_hash"],
        hash=data["hash"],
    )


def head_message(subject: str, head: CustodyEvent) -> bytes:
    """The exact bytes `sign_head` signs; the last two lines have fixed forms, so a subject
    cannot be chosen to look like another subject's message."""
    return f"dontpay custody head v1\n{subject}\n{head.sequence}\n{head.hash}".encode()


def sign_head(signing_key: Ed25519PrivateKey, subject: str, head: CustodyEvent) -> bytes:
    """Sign the last event of `subject`'s chain (a report reference, say), fixing its length."""
    return signing_key.sign(head_message(subject, head))


def verify_head(
    public_key: Ed25519PublicKey, subject: str, head: CustodyEvent, signature: bytes
) -> bool:
    """Whether `signature` is this key's signature of `head` as the head of `subject`'s chain.

    Check the chain itself with `verify_chain` too: this vouches for the head only.
    """
    try:
        public_key.verify(signature, head_message(subject, head))
    except InvalidSignature:
        return False
    return True


def _contents(event: CustodyEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "kind": event.kind,
        "at": event.at,
        "actor": event.actor,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
    }


def _hash(contents: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(contents).encode("utf-8")).hexdigest()


def _canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidEvent(f"{field} must be text, not {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidEvent(f"{field} is not valid Unicode text: {value!r}") from None
    return value


def _detail(detail: Mapping[str, object]) -> dict[str, str | int]:
    """A copy of `detail`, checked: text keys, and text or whole-number values (not booleans,
    which JSON would turn into something else)."""
    checked: dict[str, str | int] = {}
    for key, value in detail.items():
        _text(key, "a detail key")
        if isinstance(value, str):
            checked[key] = _text(value, f"detail[{key!r}]")
        elif isinstance(value, int) and not isinstance(value, bool):
            checked[key] = value
        else:
            raise InvalidEvent(f"detail[{key!r}] must be text or a whole number, not {value!r}")
    return checked


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed")
