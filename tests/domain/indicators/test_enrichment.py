"""What an indicator is, offline: every family's enrichment examples, run automatically, and the
shipped list of link shorteners and payment services, checked against its schema."""

from datetime import date
from importlib.resources import files

import jsonschema
import pytest
import yaml

from dontpay.domain.indicators import (
    ENRICHMENT_FIELDS,
    FAMILIES,
    EnrichmentExample,
    described,
    enrichment,
)
from dontpay.domain.indicators.link_services import KINDS

EXAMPLES = [
    pytest.param(family.type, example, id=f"{family.type}-{number}")
    for family in FAMILIES
    for number, example in enumerate(family.enrichment_examples())
]

LINK_SERVICES_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": list(KINDS),
    "properties": {
        kind: {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["domain", "service", "source", "checked"],
                "properties": {
                    "domain": {"type": "string", "pattern": r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"},
                    "service": {"type": "string", "minLength": 2},
                    "source": {"type": "string", "pattern": r"^https?://"},
                    "checked": {"type": "string", "format": "date"},
                },
            },
        }
        for kind in KINDS
    },
}


@pytest.mark.parametrize(("type_", "example"), EXAMPLES)
def test_enrichment_example_says_what_the_value_is(type_: str, example: EnrichmentExample) -> None:
    found = enrichment(type_, example.value, example.qualifier)
    assert {field: found.get(field) for field in example.fields} == example.fields


def test_every_family_with_enrichment_shows_it() -> None:
    enriching = {"phone", "email", "handle", "crypto_address", "iban", "url"}
    assert {family.type for family in FAMILIES if family.enrichment_examples()} == enriching


@pytest.mark.parametrize(
    ("type_", "value", "qualifier"),
    [
        ("phone", "not a number", None),
        ("crypto_address", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "btc"),
        ("iban", "GB00WEST12345698765432", None),
        ("no-such-type", "x", None),
        ("handle", "somebody", "kik"),
    ],
)
def test_what_cannot_be_read_enriches_to_nothing(
    type_: str, value: str, qualifier: str | None
) -> None:
    assert enrichment(type_, value, qualifier) == {}


def test_fields_come_in_the_documented_order_with_labels() -> None:
    found = enrichment("phone", "+442079460123")
    assert list(found) == [field for field in ENRICHMENT_FIELDS if field in found]
    assert described(found)[0] == ("Kind", "fixed line")


def test_a_subdomain_of_a_listed_service_is_that_service() -> None:
    assert enrichment("url", "https://www.bit.ly/x")["service"] == "Bitly"
    assert "service" not in enrichment("url", "https://bit.ly.example.com/x")


def test_link_services_list_matches_its_schema() -> None:
    listed = yaml.safe_load(
        files("dontpay.domain.indicators").joinpath("link_services.yaml").read_text("utf-8")
    )
    for entries in listed.values():
        for entry in entries:
            entry["checked"] = entry["checked"].isoformat()
            assert date.fromisoformat(entry["checked"]) <= date.today()
    jsonschema.validate(listed, LINK_SERVICES_SCHEMA, format_checker=jsonschema.FormatChecker())
    domains = [entry["domain"] for entries in listed.values() for entry in entries]
    assert len(domains) == len(set(domains))
