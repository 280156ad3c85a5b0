"""Guidance packs: the schema holds, every fact is sourced and dated, bad packs are refused."""

import copy
import re
from datetime import date
from typing import Any

import pytest
import yaml

from dontpay.domain.guidance import InvalidPack, available_jurisdictions, load_pack
from dontpay.domain.guidance.pack import PACKS, PLATFORMS, _PackLoader, parse_pack

JURISDICTIONS = available_jurisdictions()


def raw(resource: Any) -> Any:
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_PackLoader)


#: Services that work in every country: each pack points to them, and all packs must agree.
INTERNATIONAL_SERVICES = ("stopncii", "take-it-down")


def test_every_country_pack_ships() -> None:
    assert {"AU", "CA", "GB", "IE", "IN", "US"} <= set(JURISDICTIONS)


@pytest.mark.parametrize("service", INTERNATIONAL_SERVICES)
def test_no_two_packs_disagree_on_a_shared_international_service(service: str) -> None:
    """StopNCII and Take It Down are the same service everywhere: same name, address and source."""
    versions = {code: load_pack(code).contacts.get(service) for code in JURISDICTIONS}
    assert None not in versions.values(), versions
    assert len(set(versions.values())) == 1, versions


def test_packs_that_share_an_address_give_it_the_same_numbers() -> None:
    """One web address is one service: two packs must not give it different phone numbers."""
    numbers: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for code in JURISDICTIONS:
        for contact in load_pack(code).contacts.values():
            if contact.url:
                numbers.setdefault(contact.url, {})[code] = (contact.phone, contact.sms)
    for url, by_pack in numbers.items():
        assert len(set(by_pack.values())) == 1, (url, by_pack)


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_pack_matches_schema_and_resolves(jurisdiction: str) -> None:
    pack = load_pack(jurisdiction)
    assert pack.jurisdiction == jurisdiction
    assert pack.crisis_contacts


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_contact_has_a_source_and_a_verified_date(jurisdiction: str) -> None:
    pack = load_pack(jurisdiction)
    for contact in pack.contacts.values():
        assert contact.source.url.startswith(("https://", "http://")), contact.id
        assert date(2020, 1, 1) <= contact.source.verified_on <= date.today(), contact.id
        assert contact.phone or contact.url or contact.sms or contact.email, contact.id


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_instruction_and_platform_route_cites_a_dated_source(jurisdiction: str) -> None:
    pack = load_pack(jurisdiction)
    for step_id, variants in pack.steps.items():
        for name, text in variants.items():
            assert text.sources, f"{step_id}.{name}"
            assert all(s.verified_on <= date.today() for s in text.sources)
    for platform in pack.platforms.values():
        assert platform.sources, platform.id


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_phone_number_in_the_text_is_a_sourced_contact(jurisdiction: str) -> None:
    """A number written in a step's words must also be one of the pack's sourced contacts."""
    pack = load_pack(jurisdiction)
    known = {c.phone.replace(" ", "") for c in pack.contacts.values() if c.phone}
    known |= {c.sms.rsplit(" ", 1)[-1] for c in pack.contacts.values() if c.sms}
    for variants in pack.steps.values():
        for text in variants.values():
            for number in re.findall(r"(?<![\w-])\d[\d -]*\d(?![\w-])", text.body):
                if sum(ch.isdigit() for ch in number) >= 3:  # not an age such as "under 18"
                    assert number.replace(" ", "") in known, number


def _pack_data(jurisdiction: str = "GB") -> Any:
    return copy.deepcopy(raw(PACKS / f"{jurisdiction.lower()}.yaml"))


def test_a_contact_without_a_source_is_refused() -> None:
    data = _pack_data()
    del data["contacts"]["samaritans"]["source"]
    with pytest.raises(InvalidPack, match=r"samaritans.*'source' is a required property"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_source_without_a_verified_date_is_refused() -> None:
    data = _pack_data()
    data["sources"]["samaritans"]["verified_on"] = "last week"
    with pytest.raises(InvalidPack, match="verified_on"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_reference_to_an_undefined_source_is_refused() -> None:
    data = _pack_data()
    data["steps"]["do-not-pay"]["variants"]["paid"]["sources"] = ["made-up"]
    with pytest.raises(InvalidPack, match="unknown source 'made-up'"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_a_missing_step_variant_is_refused() -> None:
    data = _pack_data("US")
    del data["steps"]["child-protection"]["variants"]["unknown"]
    with pytest.raises(InvalidPack, match="'unknown' is a required property"):
        parse_pack(data, raw(PLATFORMS), "US")


def test_a_contact_link_must_be_https() -> None:
    data = _pack_data()
    data["contacts"]["stopncii"]["url"] = "http://stopncii.org/"
    with pytest.raises(InvalidPack, match="stopncii"):
        parse_pack(data, raw(PLATFORMS), "GB")


def test_pack_for_the_wrong_jurisdiction_is_refused() -> None:
    with pytest.raises(InvalidPack, match="in the pack for US"):
        parse_pack(_pack_data("GB"), raw(PLATFORMS), "US")


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_source_listed_is_cited(jurisdiction: str) -> None:
    """A source nobody cites is either a typo elsewhere or a fact we dropped: keep lists honest."""
    pack = load_pack(jurisdiction)
    cited = {c.source.id for c in pack.contacts.values()}
    cited |= {
        s.id for variants in pack.steps.values() for t in variants.values() for s in t.sources
    }
    cited |= {s.id for p in pack.platforms.values() for s in p.sources}
    assert set(pack.sources) - cited == set()
