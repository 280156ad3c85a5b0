"""Plan scenarios for every country beyond GB and US: the right emergency number, child-protection
route, crisis line, payment route and sources, in each situation the engine distinguishes."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from dontpay.domain.guidance import (
    Answers,
    Plan,
    Step,
    Urgency,
    available_jurisdictions,
    build_plan,
    load_pack,
)


@dataclass(frozen=True)
class Country:
    """What a person in this country must be pointed to, by contact id and source site."""

    code: str
    emergency: str
    #: Contacts a child is sent to in child-protection (at least these).
    child_route: frozenset[str]
    #: Contacts offered first when someone has thoughts of harming themselves.
    crisis: frozenset[str]
    #: The contact for reporting money already paid, or None where the police handle it.
    paid_route: str | None
    #: Sites the child-protection advice must be checked against.
    child_sources: frozenset[str]
    #: Sites the reporting advice must be checked against.
    police_sources: frozenset[str]
    #: Whether the country has one police non-emergency number the plan may name.
    non_emergency: str | None


COUNTRIES = [
    Country(
        "AU",
        emergency="000",
        child_route=frozenset({"accce", "kids-helpline"}),
        crisis=frozenset({"lifeline", "kids-helpline"}),
        paid_route="reportcyber",
        child_sources=frozenset({"nsw.gov.au", "www.scamwatch.gov.au"}),
        police_sources=frozenset({"www.cyber.gov.au", "www.police.wa.gov.au"}),
        non_emergency="131 444",
    ),
    Country(
        "CA",
        emergency="911",
        child_route=frozenset({"cybertip", "needhelpnow"}),
        crisis=frozenset({"crisis-988", "kids-help-phone"}),
        paid_route="anti-fraud-centre",
        child_sources=frozenset({"protectchildren.ca", "www.protectkidsonline.ca"}),
        police_sources=frozenset({"www.cyberaide.ca"}),
        non_emergency=None,
    ),
    Country(
        "IE",
        emergency="112",
        child_route=frozenset({"hotline-ie"}),
        crisis=frozenset({"samaritans-ireland"}),
        paid_route=None,
        child_sources=frozenset({"www.garda.ie", "hotline.ie"}),
        police_sources=frozenset({"www.garda.ie"}),
        non_emergency=None,
    ),
    Country(
        "IN",
        emergency="112",
        child_route=frozenset({"ncrp"}),
        crisis=frozenset({"tele-manas", "emergency-112"}),
        paid_route="cyber-fraud-helpline",
        child_sources=frozenset({"www.business-standard.com", "www.hindustantimes.com"}),
        police_sources=frozenset({"www.hindustantimes.com", "cyber.delhipolice.gov.in"}),
        non_emergency=None,
    ),
]
CODES = [country.code for country in COUNTRIES]


def plan_for(country: Country, **answers: object) -> Plan:
    return build_plan(Answers(jurisdiction=country.code, **answers))  # type: ignore[arg-type]


def the_step(plan: Plan, step_id: str) -> Step:
    return next(step for step in plan.steps if step.id == step_id)


def phones(step: Step) -> set[str]:
    return {contact.phone for contact in step.contacts if contact.phone}


def source_sites(step: Step) -> set[str]:
    return {urlsplit(source.url).hostname or "" for source in step.sources}


@pytest.fixture(params=COUNTRIES, ids=CODES)
def country(request: pytest.FixtureRequest) -> Country:
    return request.param  # type: ignore[no-any-return]


def test_every_new_country_is_offered() -> None:
    assert set(CODES) <= set(available_jurisdictions())


def test_happening_now_starts_with_the_countrys_emergency_number(country: Country) -> None:
    plan = plan_for(country, timing="now", self_harm=False, under_18=False)
    call = plan.emergency_call()
    assert call is not None
    assert (call[0].id, call[1].phone) == ("call-emergency", country.emergency)
    assert plan.step_ids()[0] == "call-emergency"
    assert country.emergency in the_step(plan, "call-emergency").body


def test_recent_has_no_emergency_call_but_a_police_report(country: Country) -> None:
    plan = plan_for(country, timing="recent", self_harm=False, under_18=False, images="threatened")
    assert plan.emergency_call() is None
    report = the_step(plan, "report-to-police")
    assert report.urgency is Urgency.TODAY
    assert source_sites(report) & country.police_sources


def test_earlier_leaves_crisis_support_for_last(country: Country) -> None:
    plan = plan_for(country, timing="earlier", self_harm=False, images="threatened")
    assert "call-emergency" not in plan.step_ids()
    assert plan.step_ids()[-1] == "crisis-support"
    assert {c.id for c in the_step(plan, "crisis-support").contacts} & country.crisis


def test_no_police_number_is_invented_where_there_is_none(country: Country) -> None:
    """Where police are reached locally, the plan names only the emergency number and the
    child and payment routes' numbers, never an empty or made-up non-emergency line."""
    pack = load_pack(country.code)
    for age in (True, False, None):
        report = the_step(plan_for(country, timing="recent", under_18=age), "report-to-police")
        routes = {*country.child_route, *filter(None, [country.paid_route])}
        allowed = {country.emergency} | {pack.contacts[ref].phone or "" for ref in routes}
        if country.non_emergency:
            allowed.add(country.non_emergency)
            assert country.non_emergency in phones(report)
        assert phones(report) <= allowed
        for contact in report.contacts:
            assert contact.phone or contact.url or contact.sms, contact.id


def test_under_18_goes_to_the_countrys_child_protection_route(country: Country) -> None:
    plan = plan_for(country, timing="recent", under_18=True, images="shared")
    child = the_step(plan, "child-protection")
    assert child.urgency is Urgency.NOW
    assert country.child_route <= {c.id for c in child.contacts}
    assert "You do not need to send" in child.body
    assert source_sites(child) & country.child_sources
    spread = the_step(plan, "stop-the-spread")
    assert "take-it-down" in {c.id for c in spread.contacts}
    # /protect/under-18/ shows this step alone: the country's own route must be linked there.
    assert {c.id for c in spread.contacts} & country.child_route
    assert all("StopNCII" not in c.name for s in plan.steps for c in s.contacts)


def test_self_harm_brings_the_emergency_number_and_crisis_line_first(country: Country) -> None:
    plan = plan_for(country, timing="earlier", self_harm=True)
    assert plan.step_ids()[:2] == ["call-emergency", "crisis-support"]
    assert country.emergency in phones(the_step(plan, "call-emergency"))
    support = the_step(plan, "crisis-support")
    assert support.urgency is Urgency.EMERGENCY
    assert country.crisis <= {c.id for c in support.contacts}
    assert all(c.phone or c.sms for c in support.contacts if c.id in country.crisis)


def test_paid_gets_the_payment_steps_and_route(country: Country) -> None:
    plan = plan_for(country, timing="recent", paid=True, under_18=False)
    assert the_step(plan, "do-not-pay").title == "Do not pay anything more"
    paid = the_step(plan, "already-paid")
    if country.paid_route:
        assert country.paid_route in {c.id for c in paid.contacts}
    assert paid.sources


def test_the_crisis_banner_uses_the_countrys_own_lines(country: Country) -> None:
    pack = load_pack(country.code)
    assert {c.id for c in pack.crisis_contacts} & country.crisis
    for contact in pack.crisis_contacts:
        assert contact.phone or contact.sms_uri, contact.id


def test_every_step_in_every_situation_cites_its_sources(country: Country) -> None:
    for timing in ("now", "recent", "earlier", None):
        for age in (True, False, None):
            for step in plan_for(country, timing=timing, under_18=age, paid=True).steps:
                assert step.sources, step.key
                assert all(s.url.startswith(("https://", "http://")) for s in step.sources)
