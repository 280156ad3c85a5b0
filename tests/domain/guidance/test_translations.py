"""Packs in other languages: the same contacts, numbers and sources in every language, every
wording translated, numbers in the words all sourced, and a half-translated pack refused."""

import copy
import re
from typing import Any

import pytest

from dontpay.domain.guidance import (
    LANGUAGES,
    Answers,
    InvalidAnswer,
    InvalidPack,
    available_jurisdictions,
    build_plan,
    load_pack,
    parse_answers,
    plan_as_dict,
)
from dontpay.domain.guidance.pack import PACKS, PLATFORMS, TRANSLATION_LANGUAGES, parse_pack
from dontpay.domain.guidance.plan import build_plan_from_packs

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
    """A translation may not drop, add, repeat or swap a number a person is told to call (1930
    for 112, say): a sourced number left out is as harmful as a wrong one."""
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


def _platforms_with_translation(language: str, change: Any) -> Any:
    shared = copy.deepcopy(raw(PLATFORMS))
    change(shared["translations"][language])
    return shared


def test_a_platform_route_not_yet_translated_keeps_its_step_in_english() -> None:
    shared = copy.deepcopy(raw(PLATFORMS))
    shared["translations"].pop("cy")
    data = raw(PACKS / "gb.yaml")
    welsh, english = parse_pack(data, shared, "GB", "cy"), parse_pack(data, shared, "GB")
    answers = Answers(jurisdiction="GB", language="cy", platforms=("instagram", "other"))
    plan = build_plan_from_packs(answers, welsh, english)
    platform_steps = [step for step in plan.steps if step.platform]
    assert [step.language for step in platform_steps] == ["en", "en"]
    assert [step.title for step in platform_steps] == [
        "Report their account to Instagram",
        "Report their account to the app or site",
    ]
    assert platform_steps[0].body.endswith(english.platforms["instagram"].how_to_report)
    assert {step.language for step in plan.steps if not step.platform} == {"cy"}


def test_a_pack_not_yet_translated_keeps_its_platform_steps_in_english_with_their_routes() -> None:
    data = copy.deepcopy(raw(PACKS / "in.yaml"))
    data["translations"].pop("es")
    spanish, english = (parse_pack(data, raw(PLATFORMS), "IN", code) for code in ("es", "en"))
    assert (spanish.language, spanish.platforms["whatsapp"].language) == ("en", "es")
    answers = Answers(jurisdiction="IN", language="es", platforms=("whatsapp", "other"))
    plan = build_plan_from_packs(answers, spanish, english)
    for step in plan.steps:
        assert step.language == "en"
        if step.platform:
            assert step.body.endswith(english.platforms[step.platform].how_to_report)
    assert "Report their account to the app or site" in [step.title for step in plan.steps]


@pytest.mark.parametrize(("jurisdiction", "language"), TRANSLATED)
def test_every_platform_step_is_wholly_in_the_language_of_the_plan(
    jurisdiction: str, language: str
) -> None:
    english = load_pack(jurisdiction).platforms
    answers = {"jurisdiction": jurisdiction, "language": language, "platforms": list(english)}
    plan = build_plan(parse_answers(answers))
    platform_steps = [step for step in plan.steps if step.platform]
    assert [step.platform for step in platform_steps] == list(english)
    for step in platform_steps:
        route = english[step.platform]
        assert step.language == language
        assert all(contact.language == language for contact in step.contacts)
        words = [route.how_to_report]
        if route.in_a_sentence != route.name:  # an answer in words, not a proper name
            words += [route.in_a_sentence, route.name]
        for english_words in words:
            assert english_words not in step.title + step.body, (step.platform, english_words)


@pytest.mark.parametrize("language", TRANSLATION_LANGUAGES)
def test_a_translated_platform_route_keeps_the_numbers_addresses_and_sources(
    language: str,
) -> None:
    english, translated = load_pack("GB").platforms, load_pack("GB", language).platforms
    for key, route in english.items():
        other = translated[key]
        assert other.language == language
        assert sorted(re.findall(r"\d+", other.how_to_report)) == sorted(
            re.findall(r"\d+", route.how_to_report)
        ), key
        for address in re.findall(r"[a-z0-9-]+\.[a-z]{2,}/[\w/-]+", route.how_to_report):
            assert address in other.how_to_report, (key, address)
        assert (other.report_url, other.sources) == (route.report_url, route.sources)


def test_a_platform_translation_missing_a_platform_is_refused() -> None:
    shared = _platforms_with_translation("es", lambda es: es["platforms"].pop("kik"))
    with pytest.raises(InvalidPack, match=r"translations\.es: missing \['kik'\]"):
        parse_pack(raw(PACKS / "gb.yaml"), shared, "GB")


def test_a_platform_translation_leaving_somewhere_else_in_english_is_refused() -> None:
    """ "Somewhere else" is an answer, read as "the app or site" inside the step: left out of a
    translation, a translated step would say "the app or site" in English."""
    shared = _platforms_with_translation(
        "fr", lambda fr: fr["platforms"]["other"].pop("in_a_sentence")
    )
    with pytest.raises(InvalidPack, match=r"translations\.fr\.platforms\.other: name and in_a_"):
        parse_pack(raw(PACKS / "gb.yaml"), shared, "GB")


def test_a_platform_translation_cannot_turn_a_name_into_words() -> None:
    shared = _platforms_with_translation(
        "fr", lambda fr: fr["platforms"]["instagram"].update(in_a_sentence="l'appli")
    )
    with pytest.raises(InvalidPack, match="in_a_sentence is not in the English"):
        parse_pack(raw(PACKS / "gb.yaml"), shared, "GB")


def test_a_platform_translation_cannot_change_a_report_address() -> None:
    shared = _platforms_with_translation(
        "es", lambda es: es["platforms"]["kik"].update(report_url="https://example.com/")
    )
    with pytest.raises(InvalidPack, match="Additional properties"):
        parse_pack(raw(PACKS / "gb.yaml"), shared, "GB")


def test_an_unknown_language_is_refused_naming_the_languages_there_are() -> None:
    with pytest.raises(InvalidAnswer, match="allowed: en, cy, es, fr, hi, ur"):
        parse_answers({"jurisdiction": "GB", "language": "de"})
