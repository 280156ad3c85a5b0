"""Extraction time grows linearly with the text, whatever the text repeats.

A pattern that backtracks, or a step that compares every candidate with every other, shows up as
time growing with the square of the length: four times the text, sixteen times the work. Each
text is timed at 12,000 and 48,000 characters (CPU time of this process, best of three, so other
work on the machine does not count) and the growth must stay well below quadratic.
"""

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.domain.indicators import find_indicators

from .hostile_texts import FRAGMENTS, mixed_text, repeated_text

SHORT, LONG = 12_000, 48_000
#: Linear growth is 4; quadratic is 16. The margin covers timer noise on small numbers.
MAX_GROWTH = 8.0
#: The most CPU one 48,000-character field may cost (the web path allows 50,000 per field).
MAX_SECONDS_AT_LONG = 1.0


def cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        find_indicators(text)
        best = min(best, time.process_time() - started)
    return max(best, 1e-3)  # below the timer's resolution, growth means nothing


def growth(make_text: Callable[[int], str]) -> tuple[float, float]:
    short, long = cpu_seconds(make_text(SHORT)), cpu_seconds(make_text(LONG))
    return long / short, long


@pytest.mark.parametrize("name", list(FRAGMENTS))
def test_each_hostile_fragment_repeated_is_scanned_in_linear_time(name: str) -> None:
    ratio, seconds = growth(lambda length: repeated_text(FRAGMENTS[name], length))
    assert ratio < MAX_GROWTH, f"{name!r}: 4x the text took {ratio:.1f}x the time"
    assert seconds < MAX_SECONDS_AT_LONG


def test_the_reported_cashtag_text_is_fast() -> None:
    # "$a " repeated to 48 KB took 11.5 s when overlaps were resolved pairwise.
    started = time.process_time()
    find_indicators(repeated_text("$a ", 48 * 1024))
    assert time.process_time() - started < MAX_SECONDS_AT_LONG


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(list(FRAGMENTS.values())),
            st.text(alphabet="$@.:/-_ab1() \n'\\ü", min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=4,
    ).map("".join)
)
def test_any_repeated_pattern_is_scanned_in_linear_time(fragment: str) -> None:
    ratio, seconds = growth(lambda length: repeated_text(fragment, length))
    assert ratio < MAX_GROWTH, f"{fragment!r}: 4x the text took {ratio:.1f}x the time"
    assert seconds < MAX_SECONDS_AT_LONG


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_mixtures_of_fragments_are_scanned_in_linear_time(seed: int) -> None:
    ratio, seconds = growth(lambda length: mixed_text(length, seed))
    assert ratio < MAX_GROWTH
    assert seconds < MAX_SECONDS_AT_LONG
