"""Indicators written to dodge a filter are found as a moderator would read them.

The development set (`tests/fixtures/evasions/development.yaml`) is what the rules were written
against; the evaluation set is kept apart and must reach the precision and recall the benchmark
`benchmarks/indicators_evasion.py` reports. Every span points at the place in the source where
the value was written: canonicalising the source text under the span gives the same key.
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dontpay.domain.indicators import FAMILIES, canonical_indicator, find_indicators
from dontpay.domain.indicators.plain_text import plain_text

EVASIONS = Path(__file__).resolve().parents[2] / "fixtures" / "evasions"


def messages(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(
        (EVASIONS / f"{name}.yaml").read_text(encoding="utf-8")
    )["messages"]
    return loaded


DEVELOPMENT, EVALUATION = messages("development"), messages("evaluation")


@pytest.mark.parametrize("message", DEVELOPMENT, ids=lambda message: message["text"][:40])
def test_development_message_yields_exactly_its_keys(message: dict[str, Any]) -> None:
    found = find_indicators(message["text"], message.get("region", "GB"))
    assert sorted(indicator.key for indicator in found) == sorted(message["keys"])


def test_sets_are_large_enough_and_apart() -> None:
    evasive = [message for message in EVALUATION if message["keys"]]
    assert len(evasive) >= 60
    assert len(EVALUATION) - len(evasive) >= 30
    assert not {m["text"] for m in DEVELOPMENT} & {m["text"] for m in EVALUATION}


def test_evaluation_set_reaches_the_targets() -> None:
    right = found_total = expected_total = 0
    for message in EVALUATION:
        expected = set(message["keys"])
        found = {i.key for i in find_indicators(message["text"], message.get("region", "GB"))}
        right += len(found & expected)
        found_total += len(found)
        expected_total += len(expected)
    assert right / found_total >= 0.98
    assert right / expected_total >= 0.95


@pytest.mark.parametrize(
    "message", DEVELOPMENT + EVALUATION, ids=lambda message: message["text"][:40]
)
def test_the_source_under_each_span_canonicalises_to_the_value(message: dict[str, Any]) -> None:
    region = message.get("region", "GB")
    for indicator in find_indicators(message["text"], region):
        start, end = indicator.span
        written = message["text"][start:end]
        again = canonical_indicator(
            indicator.type, written, platform=indicator.platform, region=region
        )
        assert again.key == indicator.key, written


def test_plain_text_maps_each_character_to_where_it_was_written() -> None:
    written_number = disguise("07", "fullwidth", 1) + "\u200b" + disguise("911", "fullwidth", 1)
    source = f"call {written_number} one two three four five six, sn\u200bap"
    plain = plain_text(source)
    assert plain.text == "call 07911123456, snap"
    number = source[slice(*plain.source_span((5, 16)))]
    assert number == f"{written_number} one two three four five six"
    assert source[slice(*plain.source_span((18, 22)))] == "sn\u200bap"


def test_plain_text_leaves_plain_text_alone() -> None:
    source = "add me on snap, call one or two friends"
    assert plain_text(source).text == source
    assert plain_text(source).source_span((3, 5)) == (3, 5)


def test_combining_accents_are_kept_as_written() -> None:
    assert plain_text("cafe\u0301").text == "cafe\u0301"


FINDABLE = [
    example
    for family in FAMILIES
    for example in family.examples()
    if example.keys and example.text.isascii()
]


def disguise(text: str, how: str, every: int) -> str:
    """`text` with its letters and digits fullwidth, or with invisible characters inside."""
    if how == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
    return "".join(
        c + "\u200b" if c.isalnum() and index % every == 0 else c for index, c in enumerate(text)
    )


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FINDABLE), st.sampled_from(["fullwidth", "zero-width"]), st.integers(2, 5))
def test_a_disguised_example_yields_the_same_keys(example: Any, how: str, every: int) -> None:
    disguised = disguise(example.text, how, every)
    found = find_indicators(disguised, example.region)
    assert tuple(indicator.key for indicator in found) == example.keys
    for indicator in found:
        written = disguised[indicator.span[0] : indicator.span[1]]
        assert (
            canonical_indicator(
                indicator.type, written, platform=indicator.platform, region=example.region
            ).key
            == indicator.key
        )
