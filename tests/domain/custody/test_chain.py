"""The custody chain: anything built with `next_event` verifies, and any change to the history
(an edited field, a removed, moved or added event) is found."""

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dontpay.domain.custody import (
    EVENT_KINDS,
    CustodyEvent,
    InvalidEvent,
    event_as_json,
    event_from_json,
    next_event,
    sign_head,
    verify_chain,
    verify_head,
)
from dontpay.domain.custody.keys import derive_organisation_keys

KEYS = derive_organisation_keys(bytes(range(32)))
OTHER_KEYS = derive_organisation_keys(bytes(range(1, 33)))
SUBJECT = "DP-7KQ2-M9XA"

times = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    ),
)
details = st.dictionaries(
    st.text(max_size=8), st.one_of(st.text(max_size=12), st.integers()), max_size=4
)
steps = st.tuples(st.sampled_from(EVENT_KINDS), st.text(max_size=12), details, times)
hashes = st.binary(min_size=32, max_size=32).map(bytes.hex)


@st.composite
def chains(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> list[CustodyEvent]:
    events: list[CustodyEvent] = []
    for kind, actor, detail, at in draw(st.lists(steps, min_size=min_size, max_size=max_size)):
        events.append(next_event(events[-1] if events else None, kind, actor, detail, at))
    return events


def replacement(field: str) -> st.SearchStrategy[object]:
    return {
        "sequence": st.integers(min_value=-5, max_value=50),
        "kind": st.sampled_from(EVENT_KINDS),
        "at": times.map(lambda at: at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
        "actor": st.text(max_size=12),
        "detail": details,
        "previous_hash": hashes,
        "hash": hashes,
    }[field]


def undetected(events: list[CustodyEvent], original: list[CustodyEvent]) -> bool:
    """True if `events` passes both checks a verifier has: the chain, and the signed head."""
    signature = sign_head(KEYS.signing_key, SUBJECT, original[-1])
    return not verify_chain(events) and verify_head(
        KEYS.signing_key.public_key(), SUBJECT, events[-1], signature
    )


@given(chains())
def test_any_chain_built_with_next_event_verifies(events: list[CustodyEvent]) -> None:
    assert verify_chain(events) == []
    assert [event.sequence for event in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == "0" * 64
    assert all(event.at.endswith("Z") for event in events)


@given(chains())
def test_events_round_trip_through_one_line_of_json(events: list[CustodyEvent]) -> None:
    for event in events:
        line = event_as_json(event)
        assert "\n" not in line
        assert event_from_json(line) == event
    assert verify_chain([event_from_json(event_as_json(event)) for event in events]) == []


@given(st.data(), chains())
def test_changing_any_field_of_any_event_is_detected(
    data: st.DataObject, events: list[CustodyEvent]
) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    field = data.draw(st.sampled_from([field.name for field in dataclasses.fields(CustodyEvent)]))
    value = data.draw(replacement(field))
    assume(value != getattr(events[position], field))
    tampered = list(events)
    tampered[position] = dataclasses.replace(events[position], **{field: value})
    assert verify_chain(tampered) != []


@given(st.data(), chains())
def test_deleting_any_event_is_detected(data: st.DataObject, events: list[CustodyEvent]) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    tampered = events[:position] + events[position + 1 :]
    if not tampered:
        assert verify_chain(tampered) == ["chain is empty"]
    elif position < len(events) - 1:
        assert verify_chain(tampered) != []
    else:
        # Cutting off the end leaves a valid shorter chain: only the signed head shows it.
        assert not undetected(tampered, events)


@given(st.data(), chains(min_size=2))
def test_reordering_events_is_detected(data: st.DataObject, events: list[CustodyEvent]) -> None:
    order = data.draw(st.permutations(range(len(events))))
    assume(order != list(range(len(events))))
    assert verify_chain([events[index] for index in order]) != []


@given(st.data(), chains(), steps)
def test_inserting_an_event_is_detected(
    data: st.DataObject,
    events: list[CustodyEvent],
    step: tuple[str, str, dict[str, str | int], datetime],
) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(events)))
    after = data.draw(st.sampled_from([None, *events]))
    kind, actor, detail, at = step
    inserted = next_event(after, kind, actor, detail, at)
    tampered = [*events[:position], inserted, *events[position:]]
    assert not undetected(tampered, events)


@given(chains())
def test_a_signed_head_verifies_only_for_its_subject_head_and_key(
    events: list[CustodyEvent],
) -> None:
    head = events[-1]
    public_key = KEYS.signing_key.public_key()
    signature = sign_head(KEYS.signing_key, SUBJECT, head)
    assert verify_head(public_key, SUBJECT, head, signature)
    assert not verify_head(public_key, "DP-7KQ2-M9XB", head, signature)
    assert not verify_head(OTHER_KEYS.signing_key.public_key(), SUBJECT, head, signature)
    for other in events[:-1]:
        assert not verify_head(public_key, SUBJECT, other, signature)
    longer = next_event(head, "viewed", "staff:1", {}, datetime(2101, 1, 1, tzinfo=UTC))
    assert not verify_head(public_key, SUBJECT, longer, signature)
    for position in range(len(signature)):
        altered = bytearray(signature)
        altered[position] ^= 0x01
        assert not verify_head(public_key, SUBJECT, head, bytes(altered))
    assert not verify_head(public_key, SUBJECT, head, signature[:-1])


def test_head_signature_covers_the_documented_message(chain: list[CustodyEvent]) -> None:
    head = chain[-1]
    signature = sign_head(KEYS.signing_key, SUBJECT, head)
    message = f"dontpay custody head v1\n{SUBJECT}\n{head.sequence}\n{head.hash}".encode()
    KEYS.signing_key.public_key().verify(signature, message)


def test_hash_is_sha256_of_the_canonical_json_of_the_other_fields(
    chain: list[CustodyEvent],
) -> None:
    for event in chain:
        fields = {k: v for k, v in dataclasses.asdict(event).items() if k != "hash"}
        canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert event.hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_times_are_stored_in_utc_with_a_z() -> None:
    at = datetime(2026, 3, 1, 15, 0, 0, 250, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    event = next_event(None, "created", "person", {}, at)
    assert event.at == "2026-03-01T09:30:00.000250Z"


def test_text_is_kept_as_unicode_in_json() -> None:
    event = next_event(None, "created", "Zoë", {"note": "ஆதாரம்"}, datetime.now(UTC))
    assert "Zoë" in event_as_json(event)
    assert "ஆதாரம்" in event_as_json(event)


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown event kind 'edited'"):
        next_event(None, "edited", "person", {}, datetime.now(UTC))


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_event(None, "created", "person", {}, datetime(2026, 3, 1, 9, 30))


@pytest.mark.parametrize("value", [True, 1.5, None, b"bytes", ["list"]])
def test_detail_values_must_be_text_or_whole_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="text or a whole number"):
        next_event(None, "created", "person", {"x": value}, datetime.now(UTC))  # type: ignore[dict-item]


def test_detail_is_copied_so_later_changes_do_not_leak_in() -> None:
    detail: dict[str, str | int] = {"item": 1}
    event = next_event(None, "item-added", "person", detail, datetime.now(UTC))
    detail["item"] = 2
    assert event.detail == {"item": 1}
    assert verify_chain([event]) == []


def test_an_empty_chain_is_a_problem() -> None:
    assert verify_chain([]) == ["chain is empty"]


def test_problems_name_the_event_and_what_is_wrong(chain: list[CustodyEvent]) -> None:
    edited = list(chain)
    edited[2] = dataclasses.replace(chain[2], actor="someone else")
    assert verify_chain(edited) == ["event 3: hash does not match its contents"]

    rehashed = list(chain)
    rehashed[2] = next_event(chain[1], "viewed", "someone else", {}, datetime.now(UTC))
    assert verify_chain(rehashed) == ["event 4: previous_hash does not match event 3"]

    renumbered = list(chain)
    renumbered[1] = dataclasses.replace(chain[1], sequence=5)
    assert verify_chain(renumbered) == [
        "event 2: sequence should be 2, not 5",
        "event 2: hash does not match its contents",
    ]

    restarted = list(chain)
    restarted[0] = dataclasses.replace(chain[0], previous_hash="1" * 64)
    assert "event 1: previous_hash of the first event should be 64 zeros" in verify_chain(restarted)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "not json",
        "[]",
        "{}",
        '{"sequence": 1}',
        "NaN",
    ],
)
def test_malformed_lines_are_refused(line: str) -> None:
    with pytest.raises(ValueError, match=r"not JSON|an event is a JSON object"):
        event_from_json(line)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sequence", True),
        ("sequence", 1.0),
        ("sequence", 0),
        ("sequence", "1"),
        ("kind", "edited"),
        ("at", "2026-03-01T09:30:00+00:00"),
        ("at", "2026-03-01"),
        ("at", 20260301),
        ("actor", None),
        ("detail", []),
        ("detail", {"x": 1.5}),
        ("detail", {"x": True}),
        ("detail", {"x": None}),
        ("previous_hash", "A" * 64),
        ("hash", "0" * 63),
        ("hash", None),
        ("extra", "field"),
    ],
)
def test_lines_with_a_bad_field_are_refused(
    chain: list[CustodyEvent], field: str, value: object
) -> None:
    data = json.loads(event_as_json(chain[1]))
    data[field] = value
    with pytest.raises(
        InvalidEvent, match=field.removeprefix("previous_") if field != "extra" else "exactly"
    ):
        event_from_json(json.dumps(data))


def test_a_lone_surrogate_is_refused() -> None:
    line = event_as_json(next_event(None, "created", "x", {}, datetime.now(UTC)))
    with pytest.raises(ValueError, match="not valid Unicode"):
        event_from_json(line.replace('"actor":"x"', '"actor":"\\ud800"'))
