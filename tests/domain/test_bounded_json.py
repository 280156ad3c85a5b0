import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dontpay.domain.bounded_json import MAX_DEPTH, JsonTooDeep, json_depth, load_json


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_thousands_deep_is_refused_as_a_value_error() -> None:
    with pytest.raises(JsonTooDeep):
        load_json(nested(5000))
    with pytest.raises(ValueError, match="nested more than"):
        load_json('{"a":' * 5000 + "1" + "}" * 5000)


def test_json_at_the_limit_is_read() -> None:
    assert load_json(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))
    with pytest.raises(JsonTooDeep):
        load_json(nested(MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[[[[{{{{" * 100, "quote": 'a "\\" [[['})
    assert json_depth(text) == 1
    assert load_json(text.encode())["quote"] == 'a "\\" [[['


def test_unbalanced_or_invalid_json_still_fails_as_json() -> None:
    with pytest.raises(json.JSONDecodeError):
        load_json("]]]")
    with pytest.raises(json.JSONDecodeError):
        load_json('["unterminated')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab[]{}"\\'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='ab[]{}"\\', max_size=3), children, max_size=3)
    ),
    max_leaves=20,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(item) for item in value.values()), default=0)
    return 0


@given(json_values)
def test_depth_is_the_nesting_of_the_value(value: object) -> None:
    assert json_depth(json.dumps(value)) == depth_of(value)
    assert load_json(json.dumps(value)) == value
