"""Cluster exports: STIX 2.1 and MISP that their own libraries read back, CSV with one row per
(indicator, report), and never any data about the people who reported."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
import stix2
from pymisp import MISPEvent

from dontpay.domain.correlate import ClusterReport, IndicatorRow, explain
from dontpay.intel.clusters import explain_cluster
from dontpay.intel.exports import (
    ACCOUNT_KIND_EXTENSION,
    ENRICHMENT_EXTENSION,
    ExportedIndicator,
    cluster_csv,
    cluster_indicators,
    misp_event,
    stix_bundle,
)
from dontpay.intel.referral import graphml_export
from dontpay.intel.warninglist import add_entry

from .test_views import OFFENDER_PHONE, VICTIM_DATA, WALLET, Seeded, seed_cluster

pytestmark = pytest.mark.django_db


def _exports() -> tuple[Seeded, str, str, str]:
    seeded = seed_cluster()
    explanation = explain_cluster(seeded.cluster_id)
    indicators = cluster_indicators(explanation)
    return (
        seeded,
        stix_bundle(explanation, indicators),
        misp_event(explanation, indicators),
        cluster_csv(indicators),
    )


def test_the_cluster_indicators_are_every_offender_value_of_its_reports() -> None:
    seeded = seed_cluster()
    indicators = cluster_indicators(explain_cluster(seeded.cluster_id))
    assert [(i.type, i.qualifier, i.value, i.references) for i in indicators] == [
        (
            "crypto_address",
            "btc",
            WALLET,
            tuple(sorted((seeded.first.reference, seeded.second.reference))),
        ),
        ("handle", "instagram", "offender.one", (seeded.first.reference,)),
        ("phone", "", OFFENDER_PHONE, (seeded.first.reference,)),
    ]


def test_the_stix_bundle_parses_back_as_strict_stix_2_1() -> None:
    seeded, text, _, _ = _exports()
    bundle = stix2.parse(text, allow_custom=False)
    by_type: dict[str, list[Any]] = {}
    for item in bundle.objects:
        by_type.setdefault(item.type, []).append(item)
    (grouping,) = by_type["grouping"]
    assert grouping.context == "suspicious-activity"
    assert seeded.first.reference in grouping.description
    assert "500.00 GBP" in grouping.description
    assert set(grouping.object_refs) == {
        item.id for kind in ("user-account", "indicator") for item in by_type[kind]
    }
    accounts = {
        (a.get("account_type"), a.extensions[ACCOUNT_KIND_EXTENSION]["kind"], a.account_login)
        for a in by_type["user-account"]
    }
    assert accounts == {
        (None, "crypto-wallet-btc", WALLET),
        (None, "instagram", "offender.one"),
        (None, "phone", OFFENDER_PHONE),
    }
    patterns = {i.pattern for i in by_type["indicator"]}
    assert (
        f"[user-account:account_login = '{WALLET}' AND "
        f"user-account:extensions.'{ACCOUNT_KIND_EXTENSION}'.kind = 'crypto-wallet-btc']"
    ) in patterns
    (identity,) = by_type["identity"]
    assert all(i.created_by_ref == identity.id for i in by_type["indicator"])
    assert all(i.object_marking_refs == [stix2.v21.TLP_AMBER.id] for i in by_type["indicator"])


def test_stix_patterns_escape_quotes() -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    explanation = explain(
        1,
        [ClusterReport(1, "DP-AAAA-AAAA", now, "GB")],
        [IndicatorRow(1, "url::https://x.test/o'k", "url", "https://x.test/o'k\\")],
    )
    indicator = ExportedIndicator("url", "https://x.test/o'k\\", "", False, now, {"DP-A": now})
    parsed = stix2.parse(stix_bundle(explanation, [indicator]), allow_custom=False)
    (stix_indicator,) = [o for o in parsed.objects if o.type == "indicator"]
    # The backslash, which a URI may not hold, is percent-encoded; the apostrophe is escaped.
    assert stix_indicator.pattern == r"[url:value = 'https://x.test/o\'k%5C']"


def test_the_misp_event_loads_back_with_the_same_attributes_and_objects() -> None:
    seeded, _, text, _ = _exports()
    event = MISPEvent()
    event.load(text)
    assert event.info.startswith(f"dontpay cluster {seeded.cluster_id}")
    assert [tag.name for tag in event.tags] == ["tlp:amber"]
    attributes = {(a.type, a.category, a.value) for a in event.attributes}
    assert ("phone-number", "Person", OFFENDER_PHONE) in attributes
    summary = [a for a in event.attributes if a.type == "text"]
    assert len(summary) == 1
    assert seeded.second.reference in summary[0].value
    objects = {
        (o.name, tuple(sorted((a.object_relation, a.type, a.value) for a in o.attributes)))
        for o in event.objects
    }
    assert objects == {
        ("coin-address", (("address", "btc", WALLET), ("symbol", "text", "BTC"))),
        (
            "user-account",
            (("account-type", "text", "instagram"), ("username", "text", "offender.one")),
        ),
    }
    (coin,) = [o for o in event.objects if o.name == "coin-address"]
    assert seeded.first.reference in coin.comment
    assert seeded.second.reference in coin.comment


def test_the_csv_has_one_row_per_indicator_and_report() -> None:
    seeded, _, _, text = _exports()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "type",
        "value",
        "platform_or_network",
        "report_reference",
        "first_seen",
        "kind",
        "service",
        "network",
        "country",
        "location",
        "carrier",
        "bank",
        "bic",
        "domain",
        "profile",
    ]
    pairs = {(row["value"], row["report_reference"]) for row in rows}
    assert pairs == {
        (WALLET, seeded.first.reference),
        (WALLET, seeded.second.reference),
        ("offender.one", seeded.first.reference),
        (OFFENDER_PHONE, seeded.first.reference),
    }
    assert all(row["first_seen"][:4].isdigit() for row in rows)


def test_no_export_holds_anything_about_the_people_who_reported() -> None:
    seeded, stix, misp, table = _exports()
    graphml = graphml_export(explain_cluster(seeded.cluster_id)).decode()
    assert WALLET in graphml
    for name, text in (("stix", stix), ("misp", misp), ("csv", table), ("graphml", graphml)):
        for private in VICTIM_DATA:
            assert private.lower() not in text.lower(), (name, private)
        assert seeded.unrelated.reference not in text, name
        assert "someone.else" not in text, name


def test_warninglisted_values_are_left_out() -> None:
    seeded = seed_cluster()
    add_entry("phone", "07911 123456", "exact", "A shared line", "admin")
    indicators = cluster_indicators(explain_cluster(seeded.cluster_id))
    assert OFFENDER_PHONE not in {indicator.value for indicator in indicators}


def test_every_export_says_what_each_indicator_is() -> None:
    _, stix, misp, table = _exports()
    wallet_kind = "P2WPKH (native SegWit, bech32)"
    bundle = stix2.parse(stix, allow_custom=False)
    by_value = {
        item.name.split(" ", 1)[1]: item for item in bundle.objects if item.type == "indicator"
    }
    wallet = by_value[WALLET].extensions[ENRICHMENT_EXTENSION]
    assert (wallet["network"], wallet["kind"]) == ("Bitcoin", wallet_kind)
    phone = by_value[OFFENDER_PHONE]
    assert phone.extensions[ENRICHMENT_EXTENSION]["kind"] == "mobile"
    assert phone.description.startswith("Kind: mobile; Country: Guernsey (GG); Carrier")
    assert ENRICHMENT_EXTENSION in {o.id for o in bundle.objects}

    event = MISPEvent()
    event.load(misp)
    (coin,) = [o for o in event.objects if o.name == "coin-address"]
    assert f"Kind: {wallet_kind}; Network: Bitcoin." in coin.comment
    (number,) = [a for a in event.attributes if a.type == "phone-number"]
    assert "Carrier (as allocated): JT" in number.comment

    rows = {row["value"]: row for row in csv.DictReader(io.StringIO(table))}
    assert (rows[WALLET]["network"], rows[WALLET]["kind"]) == ("Bitcoin", wallet_kind)
    assert (rows[OFFENDER_PHONE]["country"], rows[OFFENDER_PHONE]["carrier"]) == (
        "Guernsey (GG)",
        "JT",
    )
    assert rows["offender.one"]["profile"] == "https://www.instagram.com/offender.one"
