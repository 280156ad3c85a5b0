"""Every family's own examples, run automatically: a new family is tested the moment it exists."""

import pytest

from dontpay.domain.indicators import FAMILIES, PLATFORMS, TYPES, Example, find_indicators

EXAMPLES = [
    pytest.param(example, id=f"{family.type}-{number}")
    for family in FAMILIES
    for number, example in enumerate(family.examples())
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_yields_exactly_its_keys(example: Example) -> None:
    found = find_indicators(example.text, example.region)
    assert tuple(indicator.key for indicator in found) == example.keys


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.type)
def test_every_family_shows_what_it_finds_and_what_it_refuses(family: object) -> None:
    examples = family.examples()  # type: ignore[attr-defined]
    own = f"{family.type}:"  # type: ignore[attr-defined]
    assert any(key.startswith(own) for example in examples for key in example.keys)
    assert any(not example.keys for example in examples)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.type)
def test_examples_span_points_at_the_indicator(family: object) -> None:
    for example in family.examples():  # type: ignore[attr-defined]
        for indicator in find_indicators(example.text, example.region):
            start, end = indicator.span
            assert 0 <= start < end <= len(example.text)
            assert example.text[start:end].strip() == example.text[start:end]


def test_types_and_platforms_are_stable() -> None:
    assert TYPES == ("phone", "email", "handle", "crypto_address", "iban", "bank_account", "url")
    assert set(PLATFORMS) == {
        "instagram", "snapchat", "facebook", "tiktok", "x", "telegram", "skype", "kik",
        "discord", "whatsapp", "paypal", "cashapp", "venmo", "revolut",
    }  # fmt: skip
