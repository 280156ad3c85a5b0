"""The plan engine: every rule's branches, the ordering, and properties that must always hold."""

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dontpay.domain.guidance import (
    Answers,
    Step,
    Urgency,
    available_jurisdictions,
    build_plan,
    load_pack,
    plan_as_dict,
)
from dontpay.domain.guidance.answers import IMAGES, TIMINGS

MAYBE = (True, False, None)
# Load (and cache) every pack now, so hypothesis's deadline times plans, not a pack's first load.
for code in available_jurisdictions():
    load_pack(code)


def ids(**answers: Any) -> list[str]:
    return build_plan(Answers(jurisdiction="GB", **answers)).step_ids()


def step(step_id: str, **answers: Any) -> Step:
    plan = build_plan(Answers(jurisdiction="GB", **answers))
    return next(s for s in plan.steps if s.id == step_id)


def test_happening_now_puts_call_emergency_first() -> None:
    plan = ids(timing="now", self_harm=False)
    assert plan[0] == "call-emergency"
    assert step("call-emergency", timing="now").title == "Call 999 now"


def test_recent_without_risk_has_no_emergency_call_but_reports_to_police() -> None:
    plan = ids(timing="recent", self_harm=False)
    assert "call-emergency" not in plan
    assert "report-to-police" in plan
    assert "101" in step("report-to-police", timing="recent").body


def test_thoughts_of_self_harm_bring_emergency_and_crisis_support_to_the_top() -> None:
    plan = ids(timing="earlier", self_harm=True)
    assert plan[:2] == ["call-emergency", "crisis-support"]
    assert step("crisis-support", self_harm=True).urgency is Urgency.EMERGENCY
    assert "116 123" in [c.phone for c in step("crisis-support", self_harm=True).contacts]


def test_crisis_support_is_always_offered_but_last_without_risk() -> None:
    plan = ids(timing="recent", self_harm=False, images="threatened")
    assert plan[-1] == "crisis-support"
    assert step("crisis-support", self_harm=False).urgency is Urgency.WHEN_READY


def test_rather_not_say_about_self_harm_offers_support_early_and_999_in_words() -> None:
    support = step("crisis-support", timing="recent", self_harm=None)
    assert support.urgency is Urgency.NOW
    assert "If you feel you might act on those thoughts, call 999" in support.body
    assert "999" in [c.phone for c in support.contacts]


def test_unknown_timing_covers_the_emergency_case_in_words() -> None:
    emergency = step("call-emergency")
    assert emergency.title.startswith("If this is happening right now")
    assert "101" in emergency.body


@pytest.mark.parametrize(
    ("paid", "title", "words"),
    [
        (False, "Do not pay", "Do not pay any money"),
        (True, "Do not pay anything more", "not done anything wrong"),
        (None, "Do not pay", "If you have already paid"),
    ],
)
def test_do_not_pay_speaks_to_what_was_paid(paid: bool | None, title: str, words: str) -> None:
    do_not_pay = step("do-not-pay", paid=paid)
    assert do_not_pay.title == title
    assert words in do_not_pay.body


def test_already_paid_only_when_paid() -> None:
    assert "already-paid" in ids(paid=True)
    assert "already-paid" not in ids(paid=False)
    assert "already-paid" not in ids(paid=None)


@pytest.mark.parametrize(
    ("in_contact", "title", "urgency"),
    [
        (True, "Stop replying to them now", Urgency.NOW),
        (False, "Keep them blocked", Urgency.TODAY),
        (None, "Stop all contact with them", Urgency.NOW),
    ],
)
def test_stop_communicating_by_contact(
    in_contact: bool | None, title: str, urgency: Urgency
) -> None:
    stop = step("stop-communicating", still_in_contact=in_contact)
    assert (stop.title, stop.urgency) == (title, urgency)


def test_children_are_told_not_to_keep_sexual_images() -> None:
    child = step("preserve-evidence", under_18=True)
    assert "Do not screenshot, save or forward any sexual image" in child.body
    unknown = step("preserve-evidence", under_18=None)
    assert "If you are under 18" in unknown.body
    adult = step("preserve-evidence", under_18=False)
    assert "Skype ID" in adult.body


def test_child_protection_for_children_and_in_words_when_age_unknown() -> None:
    assert step("child-protection", under_18=True).title.startswith("Tell a trusted adult")
    assert step("child-protection", under_18=None).title.startswith("If you are under 18")
    assert "child-protection" not in ids(under_18=False)


@pytest.mark.parametrize("jurisdiction", available_jurisdictions())
def test_children_are_never_invited_to_upload_images_except_to_report_remove(
    jurisdiction: str,
) -> None:
    """The only upload a child is ever pointed to is Report Remove's, to the IWF."""
    plan = build_plan(
        Answers(jurisdiction=jurisdiction, under_18=True, images="shared", platforms=("kik",))
    )
    assert (
        "You do not need to send" in next(s for s in plan.steps if s.id == "child-protection").body
    )
    for planned in plan.steps:
        for sentence in planned.body.replace("\n", " ").split(". "):
            if "upload" in sentence.lower():
                assert "Internet Watch Foundation" in sentence or "IWF" in sentence, sentence


def test_report_to_police_wording_by_age() -> None:
    assert "CEOP" in [
        c.name.split(" ")[0] for c in step("report-to-police", under_18=True).contacts
    ]
    assert step("report-to-police", under_18=False).contacts[0].phone == "101"
    assert "If you are under 18" in step("report-to-police", under_18=None).body


def test_one_platform_step_per_platform_with_its_route() -> None:
    plan = build_plan(Answers(jurisdiction="GB", platforms=("instagram", "kik")))
    platform_steps = [s for s in plan.steps if s.id == "report-to-platform"]
    assert [s.platform for s in platform_steps] == ["instagram", "kik"]
    assert platform_steps[0].title == "Report their account to Instagram"
    assert "Report User" in platform_steps[1].body
    assert platform_steps[1].contacts[-1].url == load_pack("GB").platforms["kik"].report_url
    assert len({s.key for s in plan.steps}) == len(plan.steps)


def test_no_platform_given_gives_a_general_reporting_step() -> None:
    general = step("report-to-platform")
    assert general.platform is None
    assert general.title == "Report their account to the app or site"


@pytest.mark.parametrize(
    ("under_18", "service"),
    [(False, "StopNCII"), (True, "Report Remove"), (None, "StopNCII")],
)
def test_stop_the_spread_routes_by_age(under_18: bool | None, service: str) -> None:
    spread = step("stop-the-spread", under_18=under_18, images="threatened")
    assert any(contact.name.startswith(service) for contact in spread.contacts)
    if under_18:
        assert not any(c.name.startswith("StopNCII") for c in spread.contacts)


def test_images_already_shared_make_stop_the_spread_urgent() -> None:
    assert step("stop-the-spread", images="shared").urgency is Urgency.NOW
    assert step("stop-the-spread", images="threatened").urgency is Urgency.TODAY


def test_a_bulk_webcam_email_is_phishing_not_blackmail() -> None:
    plan = ids(images="none", paid=False)
    assert "bulk-scam" in plan
    assert "stop-the-spread" not in plan
    assert "report-to-police" not in plan
    scam = step("bulk-scam", images="none")
    assert scam.contacts[0].email == "report@phishing.gov.uk"


def test_a_bulk_webcam_email_that_was_paid_is_still_reported_to_police() -> None:
    assert "report-to-police" in ids(images="none", paid=True)


def test_unknown_images_mention_the_email_scam_in_words() -> None:
    scam = step("bulk-scam", images=None)
    assert scam.title.startswith("If it was only an email")
    assert scam.urgency is Urgency.WHEN_READY
    assert "bulk-scam" not in ids(images="threatened")


def test_steps_are_ordered_by_urgency() -> None:
    plan = build_plan(Answers(jurisdiction="GB", timing="now", images="shared", paid=True))
    urgencies = [s.urgency for s in plan.steps]
    assert urgencies == sorted(urgencies)


def test_us_plan_uses_us_numbers() -> None:
    plan = build_plan(Answers(jurisdiction="US", timing="now", under_18=True))
    phones = {c.phone for s in plan.steps for c in s.contacts}
    assert {"911", "1-800-843-5678"} <= phones
    assert "999" not in phones


def test_json_form_has_the_documented_shape() -> None:
    data = plan_as_dict(build_plan(Answers(jurisdiction="GB", platforms=("snapchat",))))
    assert data["jurisdiction"] == "GB"
    first = data["steps"][0]
    assert {"id", "title", "body", "urgency", "contacts", "sources"} <= first.keys()
    assert first["urgency"] in {u.label for u in Urgency}
    for contact in (c for s in data["steps"] for c in s["contacts"]):
        assert {"name", "phone", "url"} <= contact.keys()


answers_strategy = st.builds(
    Answers,
    jurisdiction=st.sampled_from(available_jurisdictions()),
    timing=st.sampled_from((*TIMINGS, None)),
    under_18=st.sampled_from(MAYBE),
    self_harm=st.sampled_from(MAYBE),
    paid=st.sampled_from(MAYBE),
    still_in_contact=st.sampled_from(MAYBE),
    platforms=st.lists(st.sampled_from(sorted(load_pack("GB").platforms)), unique=True).map(tuple),
    images=st.sampled_from((*IMAGES, None)),
)


@given(answers_strategy)
def test_every_plan_says_do_not_pay_and_preserve_evidence(answers: Answers) -> None:
    plan_ids = build_plan(answers).step_ids()
    assert "do-not-pay" in plan_ids
    assert "preserve-evidence" in plan_ids


@given(answers_strategy)
def test_under_18_always_gets_child_protection(answers: Answers) -> None:
    child = Answers(**{**answers.__dict__, "under_18": True})
    plan = build_plan(child)
    assert "child-protection" in plan.step_ids()
    assert all("StopNCII" not in c.name for s in plan.steps for c in s.contacts)


def test_every_combination_of_answers_renders_in_every_pack() -> None:
    """Every wording the engine can ask for exists, in every pack (no KeyError, no placeholder)."""
    platforms = tuple(load_pack("GB").platforms)
    for jurisdiction in available_jurisdictions():
        for timing, age, harm, paid, contact, images in itertools.product(
            (*TIMINGS, None), MAYBE, MAYBE, MAYBE, MAYBE, (*IMAGES, None)
        ):
            answers = Answers(jurisdiction, timing, age, harm, paid, contact, platforms, images)
            for planned in build_plan(answers).steps:
                assert "{" not in planned.title + planned.body, planned.key


def test_every_text_service_in_every_pack_has_an_sms_link() -> None:
    seen = {}
    for jurisdiction in available_jurisdictions():
        for contact in load_pack(jurisdiction).contacts.values():
            if contact.sms:
                seen[contact.sms] = contact.sms_uri
    assert seen["Text SHOUT to 85258"] == "sms:85258?body=SHOUT"
    assert seen["Text 988"] == "sms:988"
    assert all(seen.values()), seen


def test_the_emergency_call_comes_first_only_when_it_applies() -> None:
    now = build_plan(Answers(jurisdiction="GB", timing="now"))
    call = now.emergency_call()
    assert call is not None
    assert (call[0].id, call[1].phone) == ("call-emergency", "999")
    assert now.first_steps()[0].id == "call-emergency"
    assert all(s.urgency <= Urgency.NOW for s in now.first_steps())
    later = build_plan(Answers(jurisdiction="GB", timing="earlier", self_harm=False))
    assert later.emergency_call() is None
