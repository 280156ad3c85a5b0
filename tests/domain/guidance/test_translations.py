"""Packs in other languages: the same contacts, numbers and sources in every language, every
wording translated, numbers in the words all sourced, and a half-translated pack refused."""

import copy
import re
from typing import Any

import pytest

from dontpay.domain.guidance import (
    LANGUAGES,
    InvalidAnswer,
    InvalidPack,
    available_jurisdictions,
    build_plan,
    load_pack,
    parse_answers,
    plan_as_dict,
)
from dontpay.domain.guidance.pack import PACKS, PLATFORMS, parse_pack

from .test_packs import raw

TRANSLATED = [
    (jurisdiction, translation.language)
    for jurisdiction in available_jurisdictions()
    for translation in load_pack(jurisdiction).translations
]


def test_every_language_of_the_victim_side_has_a_pack_translated_into_it() -> None:
    assert {language for _, language in TRANSLATED} == set(LANGUAGES) - {"en"}


@pytest.mark.parametrize(("jurisdiction", "language"), TRANSLATED)
def test_every_step_has_the_same_contacts_and_sources_in_every_language(
    jurisdiction: str, language: str
) -> None:
    english, translated = load_pack(jurisdiction), load_pack(jurisdiction, language)
    assert translated.language == language
    for step_id, variants in english.steps.items():
        for name, text in variants.items():
            other = translated.steps[step_id][name]
            assert other.language == language
            assert other.title != text.title or step_id == "report-to-platform"
            reach = [(c.id, c.phone, c.sms, c.email, c.url, c.source) for c in text.contacts]
            assert [(c.id, c.phone, c.sms, c.email, c.url, c.source) for c in other.contacts] == (
                reach
            )
            assert other.sources == text.sources
    assert [c.id for c in translated.crisis_contacts] == [c.id for c in english.crisis_contacts]


def _phone_numbers(text: str) -> list[str]:
    """The numbers of three or more digits in `text` (not ages such as "under 18"), in order."""
    found = re.findall(r"(?<![\w-])\d[\d -]*\d(?![\w-])", text)
    return [n.replace(" ", "") for n in found if sum(ch.isdigit() for ch in n) >= 3]


@pytest.mark.parametrize(("jurisdiction", "language"), TRANSLATED)
def test_translated_words_keep_their_placeholders_and_cite_only_sourced_numbers(
    jurisdiction: str, language: str
) -> None:
    english, translated = load_pack(jurisdiction), load_pack(jurisdiction, language)
    known = {c.phone.replace(" ", "") for c in english.contacts.values() if c.phone}
    known |= {c.sms.rsplit(" ", 1)[-1] for c in english.contacts.values() if c.sms}
    for step_id, variants in english.steps.items():
        for name, text in variants.items():
            other = translated.steps[step_id][name]
            for field in ("title", "body"):
                assert re.findall(r"\{\w+\}", getattr(other, field)) == re.findall(
                    r"\{\w+\}", getattr(text, field)
                ), (step_id, name, field)
            for number in _phone_numbers(other.body):
                assert number in known, (step_id, name, number)


@pytest.mark.parametrize(("jurisdiction", "language"), TRANSLATED)
def test_every_translated_wording_gives_the_same_numbers_as_the_english(
    jurisdiction: str, language: str
) -> None:
    """A translation may not drop, add or repeat a number a person is told to call: a sourced
    number left out is as harmful as a wrong one."""
    english, translated = load_pack(jurisdiction), load_pack(jurisdiction, language)
    for step_id, variants in english.steps.items():
        for name, text in variants.items():
            other = translated.steps[step_id][name]
            for field in ("title", "body"):
                assert sorted(_phone_numbers(getattr(other, field))) == sorted(
                    _phone_numbers(getattr(text, field))
                ), (step_id, name, field)


@pytest.mark.parametrize(("jurisdiction", "language"), TRANSLATED)
def test_every_translation_says_who_made_it_and_whether_a_native_speaker_reviewed_it(
    jurisdiction: str, language: str
) -> None:
    (translation,) = [t for t in load_pack(jurisdiction).translations if t.language == language]
    assert len(translation.translated_by) > 3
    assert translation.reviewed_by_native_speaker in (True, False)


def _with_translation(change: Any) -> Any:
    data = copy.deepcopy(raw(PACKS / "gb.yaml"))
    change(data["translations"]["cy"])
    return data


def test_a_translation_missing_a_wording_is_refused() -> None:
    data = _with_translation(lambda cy: cy["steps"]["do-not-pay"].pop("paid"))
    with pytest.raises(InvalidPack, match=r"translations\.cy\.steps: missing.*do-not-pay"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_translation_missing_a_contact_name_is_refused() -> None:
    data = _with_translation(lambda cy: cy["contacts"].pop("samaritans"))
    with pytest.raises(InvalidPack, match="missing 'samaritans'"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_translation_cannot_change_a_number() -> None:
    data = _with_translation(lambda cy: cy["contacts"]["samaritans"].update(phone="116 000"))
    with pytest.raises(InvalidPack, match="Additional properties"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_pack_not_yet_translated_into_a_language_is_shown_in_english_and_says_so() -> None:
    data = copy.deepcopy(raw(PACKS / "gb.yaml"))
    data["translations"].pop("ur")
    pack = parse_pack(data, raw(PLATFORMS), "GB", "ur")
    assert pack.language == "en"
    assert pack.steps["do-not-pay"]["paid"].language == "en"
    assert pack.steps["do-not-pay"]["paid"].title == "Do not pay anything more"


def test_the_plan_is_written_in_the_language_asked_for_with_each_text_labelled() -> None:
    plan = build_plan(parse_answers({"jurisdiction": "GB", "language": "ur", "timing": "now"}))
    data = plan_as_dict(plan)
    assert data["language"] == "ur"
    assert data["steps"][0]["title"] == "ابھی 999 پر کال کریں"
    assert {step["language"] for step in data["steps"]} == {"ur"}
    assert data["steps"][0]["contacts"][0] == {
        "name": "پولیس ایمرجنسی",
        "phone": "999",
        "url": None,
        "language": "ur",
    }


def test_a_platform_route_not_yet_translated_keeps_its_step_in_english() -> None:
    answers = {"jurisdiction": "GB", "language": "cy", "platforms": ["instagram"]}
    plan = build_plan(parse_answers(answers))
    platform_step = next(step for step in plan.steps if step.platform == "instagram")
    translated_pack = load_pack("GB", "cy")
    expected = "cy" if translated_pack.platforms["instagram"].language == "cy" else "en"
    assert platform_step.language == expected
    assert "Instagram" in platform_step.title
    assert platform_step.language == "en" or "Riportiwch" in platform_step.title


def test_an_unknown_language_is_refused_naming_the_languages_there_are() -> None:
    with pytest.raises(InvalidAnswer, match="allowed: en, cy, es, fr, hi, ur"):
        parse_answers({"jurisdiction": "GB", "language": "de"})
