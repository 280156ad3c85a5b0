"""Properties: canonical values are fixed points, and are found again when written on their own."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.domain.indicators import FAMILIES, canonical_indicator, find_indicators

FRAGMENTS = [example.text for family in FAMILIES for example in family.examples()]
NOISE = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=30
)
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), NOISE), max_size=6).map(" ".join)
# A handle alone ("some.name") names no platform, and a bank account alone ("123456-12345678")
# has no banking word beside it, so only these are found again on their own.
FINDABLE_ALONE = {"phone", "email", "crypto_address", "iban", "url"}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_canonical_values_are_fixed_points(text: str) -> None:
    for indicator in find_indicators(text):
        again = canonical_indicator(indicator.type, indicator.value, platform=indicator.platform)
        assert again.key == indicator.key


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_canonical_values_are_found_again(text: str) -> None:
    for indicator in find_indicators(text):
        if indicator.type in FINDABLE_ALONE:
            assert [found.key for found in find_indicators(indicator.value)] == [indicator.key]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_spans_are_in_text_order_and_keys_distinct(text: str) -> None:
    found = find_indicators(text)
    assert [indicator.span for indicator in found] == sorted(i.span for i in found)
    assert len({indicator.key for indicator in found}) == len(found)
    assert all(0 <= i.span[0] < i.span[1] <= len(text) for i in found)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_scanned_without_error(text: str) -> None:
    find_indicators(text)
