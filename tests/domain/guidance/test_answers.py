"""Parsing answers: every bad input names the field and the values it allows."""

import pytest

from dontpay.domain.guidance import Answers, InvalidAnswer, parse_answers


def test_only_jurisdiction_is_required() -> None:
    assert parse_answers({"jurisdiction": "GB"}) == Answers(jurisdiction="GB")


def test_all_answers_are_read() -> None:
    answers = parse_answers(
        {
            "jurisdiction": "US",
            "timing": "recent",
            "under_18": True,
            "self_harm": False,
            "paid": None,
            "still_in_contact": True,
            "platforms": ["snapchat", "discord", "snapchat"],
            "images": "shared",
        }
    )
    assert answers.timing == "recent"
    assert answers.platforms == ("snapchat", "discord")
    assert answers.paid is None


@pytest.mark.parametrize(
    ("data", "field", "allowed"),
    [
        ({}, "jurisdiction", "AU, CA, GB, IE, IN, US"),
        ({"jurisdiction": "FR"}, "jurisdiction", "AU, CA, GB, IE, IN, US"),
        ({"jurisdiction": "GB", "timing": "soon"}, "timing", "now, recent, earlier, null"),
        ({"jurisdiction": "GB", "under_18": "yes"}, "under_18", "true, false, null"),
        ({"jurisdiction": "GB", "images": "maybe"}, "images", "threatened, shared, none, null"),
        ({"jurisdiction": "GB", "platforms": "snapchat"}, "platforms", "instagram"),
        ({"jurisdiction": "GB", "platforms": ["myspace"]}, "platforms", "kik"),
        ({"jurisdiction": "GB", "age": 15}, "age", "jurisdiction"),
        ([], "answers", "jurisdiction"),
    ],
)
def test_bad_answers_name_the_field_and_allowed_values(
    data: object, field: str, allowed: str
) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_answers(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert allowed in str(caught.value)
