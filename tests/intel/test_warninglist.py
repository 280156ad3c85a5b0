"""The warninglist: shipped data, values that never link, and entries that unlink and relink."""

from pathlib import Path

import pytest
import yaml

from dontpay.cases.models import Report
from dontpay.domain.indicators import canonical_indicator, find_indicators
from dontpay.intel.linking import index_report
from dontpay.intel.models import ClusterMembership, ReportIndicator, WarninglistEntry
from dontpay.intel.warninglist import InvalidEntry, add_entry, is_warninglisted, remove_entry

pytestmark = pytest.mark.django_db
WARNINGLIST = Path(__file__).resolve().parents[2] / "src" / "dontpay" / "intel" / "warninglist.yaml"
DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "dontpay" / "site" / "demo_data.py"
WALLET = "bc1qm34lsc65zpw79lxes69zkqmk6ee3ewf0j77s3h"


def _report(number: int) -> Report:
    return Report.objects.create(
        reference=f"DP-W{number:08d}", passphrase_hash="-", wrapped_key=b"", record=b""
    )


def test_the_shipped_warninglist_is_loaded_and_its_values_are_canonical() -> None:
    groups = yaml.safe_load(WARNINGLIST.read_text())["groups"]
    shipped = {(t, v, g["match"]) for g in groups for t in g["types"] for v in g["values"]}
    loaded = set(WarninglistEntry.objects.values_list("type", "value", "match"))
    assert shipped <= loaded
    for type, value, match in shipped:
        if match == "exact" and type != "handle":
            assert canonical_indicator(type, value).value == value


def test_demo_data_and_platform_senders_are_warninglisted() -> None:
    assert "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" in DEMO_DATA.read_text()
    assert is_warninglisted(
        canonical_indicator("crypto_address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    )
    assert is_warninglisted(canonical_indicator("handle", "jess.x.2009", platform="snapchat"))
    assert not is_warninglisted(canonical_indicator("handle", "jess.x.2009", platform="instagram"))
    (sender,) = find_indicators("from no-reply@mail.instagram.com")
    assert is_warninglisted(sender)
    (person,) = find_indicators("from someone@gmail.com")
    assert not is_warninglisted(person)


def test_warninglisted_values_never_link_reports() -> None:
    (sender,) = find_indicators("security@mail.instagram.com")
    first, second = _report(1), _report(2)
    index_report(first, ReportIndicator.RECORD, [sender])
    index_report(second, ReportIndicator.RECORD, [sender])
    assert not ClusterMembership.objects.exists()


def test_adding_an_entry_unlinks_and_removing_it_links_again() -> None:
    wallet = canonical_indicator("crypto_address", WALLET)
    phone = canonical_indicator("phone", "+44 7911 123456")
    first, second, third = _report(1), _report(2), _report(3)
    index_report(first, ReportIndicator.RECORD, [wallet])
    index_report(second, ReportIndicator.RECORD, [wallet, phone])
    index_report(third, ReportIndicator.RECORD, [phone])
    assert set(ClusterMembership.objects.values_list("cluster", flat=True)) == {first.pk}

    entry = add_entry(
        "crypto_address", WALLET.upper(), "exact", "Exchange deposit address", "admin"
    )
    assert entry.value == wallet.value
    memberships = dict(ClusterMembership.objects.values_list("report_id", "cluster"))
    assert memberships == {second.pk: second.pk, third.pk: second.pk}

    remove_entry(entry)
    assert set(ClusterMembership.objects.values_list("cluster", flat=True)) == {first.pk}
    assert ClusterMembership.objects.count() == 3


def test_a_domain_entry_unlinks_every_address_on_it() -> None:
    (address,) = find_indicators("billing@ring-payments.co.uk")
    first, second = _report(1), _report(2)
    index_report(first, ReportIndicator.RECORD, [address])
    index_report(second, ReportIndicator.RECORD, [address])
    assert ClusterMembership.objects.count() == 2
    add_entry("email", "ring-payments.co.uk", "domain", "Payment processor", "admin")
    assert not ClusterMembership.objects.exists()


@pytest.mark.parametrize(
    ("type", "value", "match", "problem"),
    [
        ("phone", "example.com", "domain", "only email and url"),
        ("email", "not a domain", "domain", "not a domain"),
        ("crypto_address", "not-a-wallet", "exact", "not a bitcoin"),
        ("colour", "red", "exact", "not an indicator type"),
    ],
)
def test_unusable_entries_are_refused_with_a_reason(type, value, match, problem) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidEntry, match=problem):
        add_entry(type, value, match, "reason", "admin")
