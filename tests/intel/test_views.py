"""The analysts' pages for linked reports, per role: the cluster list, indicator search, a
cluster's explanation and graph data, exports, and the warninglist; every view and export of a
cluster is audited."""

import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from dontpay.accounts.models import AuditEvent
from dontpay.cases.models import Report
from dontpay.cases.reports import add_item, save_section
from dontpay.domain.reports import section
from dontpay.intel.models import ClusterMembership, Indicator, WarninglistEntry
from dontpay.intel.scanning import scan_saved_record

from ..accounts.staff import signed_in
from ..cases.factories import sent_report

pytestmark = pytest.mark.django_db

#: One bitcoin address, written two ways: canonical bech32 is lower case.
WALLET = "bc1q6p9q60s9j3zzcfqyeyddtz6v82v03t8wk0t0fl"
WALLET_AS_TYPED = WALLET.upper()
OFFENDER_PHONE = "+447911123456"
#: What the people who reported wrote about themselves: must never leave in an export.
VICTIM_DATA = (
    "alex.victimson@example.org",
    "07400 123456",
    "+447400123456",
    "Alex Victimson",
    "jane_victim99",
    "jane.victim@gmail.com",
    "+447123456789",
    "I was so scared",
    "weekday evenings",
)


@dataclass(frozen=True)
class Seeded:
    first: Report
    second: Report
    unrelated: Report

    @property
    def cluster_id(self) -> int:
        return ClusterMembership.objects.get(report=self.first).cluster


def seed_cluster() -> Seeded:
    """Two reports that share a wallet written differently, and one unrelated report."""
    first = sent_report("GB", under_18=False)
    add_item(first, section("who"), {"platform": "instagram", "username": "@Offender.One"})
    add_item(first, section("payment-details"), {"kind": "crypto-wallet", "value": WALLET_AS_TYPED})
    add_item(first, section("demands"), {"amount": "500", "currency": "GBP"})
    save_section(first, section("contact-details"), {"phone_numbers": "+44 7911 123456"})
    save_section(
        first,
        section("your-account"),
        {
            "text": "My name is Alex Victimson and I was so scared. My instagram is "
            "jane_victim99 and my email jane.victim@gmail.com"
        },
    )
    save_section(
        first,
        section("contact"),
        {
            "how": "email",
            "email": "alex.victimson@example.org",
            "phone": "07400 123456",
            "safe_times": "weekday evenings",
        },
    )
    second = sent_report("US", under_18=True)
    save_section(
        second,
        section("messages"),
        {"text": f"send the btc to {WALLET} tonight\nme: please stop, my number is 07123 456789"},
    )
    add_item(second, section("payments"), {"amount": "200", "currency": "USD"})
    add_item(second, section("demands"), {"amount": "1000", "currency": "USD"})
    unrelated = sent_report("GB")
    add_item(unrelated, section("who"), {"platform": "snapchat", "username": "someone.else"})
    for report in (first, second, unrelated):
        scan_saved_record(report.pk)
    return Seeded(first, second, unrelated)


def _audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_a_caseworker_without_intel_view_is_refused() -> None:
    seeded = seed_cluster()
    client = signed_in("caseworker")
    for url in (
        "/staff/intel/",
        "/staff/intel/search/?q=x",
        f"/staff/intel/clusters/{seeded.cluster_id}/",
        f"/staff/intel/clusters/{seeded.cluster_id}/export.stix",
        "/staff/intel/warninglist/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/intel/recluster/").status_code == 403
    assert not _audited("cluster.viewed")


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/staff/intel/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_an_analyst_sees_the_cluster_of_the_two_linked_reports() -> None:
    seeded = seed_cluster()
    client = signed_in("analyst")
    page = client.get("/staff/intel/")
    assert page.status_code == 200
    clusters = page.context["clusters"]
    assert [(c.id, c.size) for c in clusters] == [(seeded.cluster_id, 2)]
    html = page.content.decode()
    assert f"/staff/intel/clusters/{seeded.cluster_id}/" in html
    assert "Recompute clusters" not in html  # administrators only
    assert 'href="/staff/intel/"' in html  # the navigation link
    assert 'href="/staff/intel/warninglist/"' in html  # analysts read it


def test_the_cluster_page_explains_the_link_and_is_audited() -> None:
    seeded = seed_cluster()
    client = signed_in("analyst")
    page = client.get(f"/staff/intel/clusters/{seeded.cluster_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "These 2 reports are linked because" in html
    assert WALLET in html
    assert seeded.first.reference in html
    assert seeded.second.reference in html
    assert seeded.unrelated.reference not in html
    assert "500 GBP" in html
    assert "1,000 USD" in html
    assert "200 USD" in html  # paid
    assert "Possible links, not merged" in html
    assert "Kind: P2WPKH (native SegWit, bech32)<br>Network: Bitcoin" in html
    # An analyst has no access to cases, so references are not links to them.
    assert "/staff/cases/" not in html
    data = re.search(
        r'<script id="cluster-graph-data" type="application/json">(.*?)</script>', html
    )
    assert data is not None
    graph = json.loads(data[1])
    kinds = sorted(node["kind"] for node in graph["nodes"])
    assert kinds == ["indicator", "report", "report"]
    assert len(graph["edges"]) == 2
    assert 'role="img"' in html
    assert 'data-node-count="3"' in html
    events = _audited("cluster.viewed")
    assert [(e.actor, e.target) for e in events] == [("analyst-1", f"cluster {seeded.cluster_id}")]


def test_an_administrator_can_open_the_cases_from_the_cluster() -> None:
    seeded = seed_cluster()
    html = signed_in("admin").get(f"/staff/intel/clusters/{seeded.cluster_id}/").content.decode()
    assert f'href="/staff/cases/{seeded.first.reference}/"' in html
    assert "Recompute clusters" not in html


def test_a_report_that_is_in_no_cluster_has_no_cluster_page() -> None:
    seeded = seed_cluster()
    client = signed_in("analyst")
    assert client.get(f"/staff/intel/clusters/{seeded.unrelated.pk}/").status_code == 404
    assert client.get(f"/staff/intel/clusters/{seeded.cluster_id}/export.pdf").status_code == 404


def test_search_canonicalises_what_is_typed() -> None:
    seeded = seed_cluster()
    client = signed_in("analyst")
    page = client.get("/staff/intel/search/", {"q": "07911 123456"})
    assert page.status_code == 200
    html = page.content.decode()
    assert OFFENDER_PHONE in html
    assert "Kind: mobile<br>Country: Guernsey (GG)<br>Carrier (as allocated): JT" in html
    wallet = client.get("/staff/intel/search/", {"q": WALLET_AS_TYPED}).content.decode()
    assert WALLET in wallet
    assert "Network: Bitcoin" in wallet
    assert f"/staff/intel/clusters/{seeded.cluster_id}/" in wallet
    assert _audited("indicators.searched")


def test_an_empty_search_says_what_to_do() -> None:
    page = signed_in("analyst").get("/staff/intel/search/", {"q": "  "})
    assert page.status_code == 400
    assert "govuk-error-summary" in page.content.decode()


@pytest.mark.parametrize("kind", ["stix", "misp", "csv"])
def test_every_export_is_a_download_and_is_audited(kind: str) -> None:
    seeded = seed_cluster()
    response = signed_in("analyst").get(f"/staff/intel/clusters/{seeded.cluster_id}/export.{kind}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert WALLET in response.content.decode()
    events = _audited("cluster.exported")
    assert [(e.target, e.detail) for e in events] == [
        (f"cluster {seeded.cluster_id}", {"format": kind})
    ]


def test_an_administrator_recomputes_clusters() -> None:
    seeded = seed_cluster()
    ClusterMembership.objects.all().delete()
    client = signed_in("admin")
    assert "Recompute clusters" in client.get("/staff/intel/").content.decode()
    response = client.post("/staff/intel/recluster/")
    assert response.status_code == 302
    assert ClusterMembership.objects.filter(cluster=seeded.first.pk).count() == 2
    assert _audited("clusters.recomputed")
    assert signed_in("analyst", "analyst-2").post("/staff/intel/recluster/").status_code == 403


def test_an_administrator_adds_and_removes_a_warninglist_entry() -> None:
    seeded = seed_cluster()
    client = signed_in("admin")
    page = client.get("/staff/intel/warninglist/")
    assert page.status_code == 200
    assert "Warninglist" in page.content.decode()
    response = client.post(
        "/staff/intel/warninglist/",
        {"type": "crypto_address", "value": WALLET_AS_TYPED, "match": "exact", "reason": "Demo"},
    )
    assert response.status_code == 302
    entry = WarninglistEntry.objects.get(value=WALLET)
    assert entry.added_by == "admin-1"
    assert Indicator.objects.get(value=WALLET).warninglisted
    assert not ClusterMembership.objects.filter(report=seeded.first).exists()
    assert "Entry added" in client.get(response["Location"]).content.decode()

    confirm = client.get(f"/staff/intel/warninglist/{entry.pk}/remove/")
    assert "Remove this entry?" in confirm.content.decode()
    assert WarninglistEntry.objects.filter(pk=entry.pk).exists()  # asking removes nothing
    assert client.post(f"/staff/intel/warninglist/{entry.pk}/remove/").status_code == 302
    assert not WarninglistEntry.objects.filter(pk=entry.pk).exists()
    assert ClusterMembership.objects.get(report=seeded.first).cluster == seeded.first.pk
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="warninglist.").order_by("pk")
    ] == [
        "warninglist.added",
        "warninglist.removed",
    ]


def test_bad_warninglist_input_is_shown_again_with_what_was_typed() -> None:
    client = signed_in("admin")
    before = WarninglistEntry.objects.count()
    response = client.post(
        "/staff/intel/warninglist/",
        {"type": "phone", "value": "not a number 12", "match": "exact", "reason": "Shared line"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_value"' in html
    assert 'value="not a number 12"' in html
    assert 'value="Shared line"' in html
    assert '<option value="phone" selected>' in html

    missing = client.post("/staff/intel/warninglist/", {"type": "email", "value": "x@example.com"})
    assert missing.status_code == 400
    assert "Say why this value must not link reports" in missing.content.decode()
    assert 'value="x@example.com"' in missing.content.decode()

    domain = client.post(
        "/staff/intel/warninglist/",
        {"type": "phone", "value": "+447911123456", "match": "domain", "reason": "Shared"},
    )
    assert domain.status_code == 400
    assert 'href="#id_match"' in domain.content.decode()
    assert WarninglistEntry.objects.count() == before


def test_analysts_read_the_warninglist_but_cannot_change_it() -> None:
    client = signed_in("analyst")
    page = client.get("/staff/intel/warninglist/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "instagram.com" in html
    assert "Only an administrator can add or remove entries" in html
    assert "Add an entry" not in html
    assert "/remove/" not in html
    entry = WarninglistEntry.objects.first()
    assert entry is not None
    assert client.get(f"/staff/intel/warninglist/{entry.pk}/remove/").status_code == 403
    assert client.post(f"/staff/intel/warninglist/{entry.pk}/remove/").status_code == 403
    assert WarninglistEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(
        "/staff/intel/warninglist/",
        {"type": "email", "value": "x@example.com", "match": "exact", "reason": "No"},
    )
    assert response.status_code == 403
    assert not WarninglistEntry.objects.filter(value="x@example.com").exists()


@pytest.mark.parametrize(
    ("query", "kind", "words"),
    [
        ("07700 900123", "not-indexed", "range of fictional numbers for TV and radio drama"),
        ("07911 12345", "not-indexed", "is not a valid phone number"),
        ("noreply@instagram.com", "warninglisted", "is on the warninglist"),
        ("+44 7911 123457", "not-mentioned", "No report mentions +447911123457 yet"),
    ],
)
def test_a_search_that_finds_nothing_says_why(query: str, kind: str, words: str) -> None:
    seed_cluster()
    page = signed_in("analyst").get("/staff/intel/search/", {"q": query})
    assert page.status_code == 200
    html = page.content.decode()
    why = html[html.index('id="why-nothing"') :]
    assert f'data-kind="{kind}"' in why
    assert words in why
