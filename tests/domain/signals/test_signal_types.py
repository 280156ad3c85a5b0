"""Every signal type's examples are checked here, so a new type is tested the moment it exists."""

from itertools import combinations

import pytest

from dontpay.domain.signals import (
    SIGNAL_TYPES,
    InvalidSignal,
    PdqSignal,
    SignalType,
    VpdqSignal,
    signal_type,
)

EXAMPLES = [
    pytest.param(kind, example, id=f"{name}-{number}")
    for name, kind in SIGNAL_TYPES.items()
    for number, example in enumerate(kind.examples())
]
TYPES = [pytest.param(kind, id=name) for name, kind in SIGNAL_TYPES.items()]


def test_types_are_registered_under_their_own_names() -> None:
    assert sorted(SIGNAL_TYPES) == ["pdq", "vpdq"]
    for name, kind in SIGNAL_TYPES.items():
        assert kind.name == name
        assert signal_type(name) is kind


@pytest.mark.parametrize("kind", TYPES)
def test_every_type_has_examples(kind: SignalType) -> None:
    assert len(kind.examples()) >= 2


@pytest.mark.parametrize(("kind", "example"), EXAMPLES)
def test_examples_are_canonical(kind: SignalType, example: str) -> None:
    assert kind.validate(example) == example


@pytest.mark.parametrize(("kind", "example"), EXAMPLES)
def test_an_example_is_at_distance_zero_from_itself(kind: SignalType, example: str) -> None:
    assert kind.distance(example, example) == 0
    assert kind.distance(example, kind.validate(f"  {example.upper()}\n")) == 0


@pytest.mark.parametrize("kind", TYPES)
def test_distinct_examples_do_not_match_and_distance_is_symmetric(kind: SignalType) -> None:
    for a, b in combinations(kind.examples(), 2):
        assert kind.distance(a, b) == kind.distance(b, a) > kind.match_distance


@pytest.mark.parametrize("kind", TYPES)
def test_rubbish_is_refused(kind: SignalType) -> None:
    with pytest.raises(InvalidSignal):
        kind.validate("not a hash")


def test_unknown_type_lists_the_known_ones() -> None:
    with pytest.raises(InvalidSignal) as problem:
        signal_type("md5")
    assert str(problem.value) == "unknown signal type 'md5'; known: pdq, vpdq"


def test_pdq_distance_is_in_bits() -> None:
    assert PdqSignal().distance("0" * 64, "0" * 62 + "ff") == 8


def test_vpdq_distance_is_the_unmatched_percentage_of_the_worse_side() -> None:
    frames = VpdqSignal().examples()[0].splitlines()
    opposite = f"{int(frames[0].split(',')[2], 16) ^ (2**256 - 1):064x}"
    three = "\n".join([*frames, f"60,100,{opposite},2.000"])
    # All of `frames` is in `three`; two thirds of `three` is in `frames`.
    assert VpdqSignal().distance("\n".join(frames), three) == 33
    assert VpdqSignal().validate("\n".join(frames).replace(".000", "")) == "\n".join(frames)
