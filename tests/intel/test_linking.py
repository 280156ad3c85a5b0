"""Linking reports by shared indicators: incremental, full recompute, counts, fuzzy links."""

import itertools
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.cases.models import Case, EvidenceItem, Report
from dontpay.cases.reports import add_item
from dontpay.domain.correlate import PROFILE_PHOTO, SCRIPT
from dontpay.domain.indicators import Indicator, canonical_indicator, find_indicators
from dontpay.domain.reports import section
from dontpay.intel.clusters import cluster_list, explain_cluster, search_indicators
from dontpay.intel.linking import (
    fuzzy_links,
    index_report,
    index_script,
    link_report,
    recluster_all,
    times_reported_before,
    unindex_report,
)
from dontpay.intel.models import ClusterMembership, ProfilePhoto, ReportIndicator
from dontpay.intel.models import Indicator as StoredIndicator

from ..cases.factories import sent_report

pytestmark = pytest.mark.django_db
RECORD = ReportIndicator.RECORD
_numbers = itertools.count(1)


def _report(jurisdiction: str = "GB") -> Report:
    number = next(_numbers)
    return Report.objects.create(
        reference=f"DP-T{number:08d}",
        passphrase_hash="-",
        wrapped_key=b"",
        record=b"",
        jurisdiction=jurisdiction,
        link_consent_at=timezone.now(),
    )


def _wallet(value: str) -> Indicator:
    return canonical_indicator("crypto_address", value)


WALLET_1 = "bc1qm34lsc65zpw79lxes69zkqmk6ee3ewf0j77s3h"
WALLET_2 = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
PHONES = ("+44 7911 123456", "07911 123456", "0044 7911-123-456")
HANDLES = ("@The.Ring_One", "https://instagram.com/the.ring_one")


def _rings() -> list[list[list[Indicator]]]:
    """Three planted rings and their indicators per report, plus ten unlinked reports.

    Ring A is joined through a bridge (its fourth report mentions both wallets); ring B spells
    one phone number three ways; ring C mixes a handle and the profile link for it."""
    ring_a = [[_wallet(WALLET_1 if j <= 3 else WALLET_2)] for j in range(8)]
    ring_a[3].append(_wallet(WALLET_2))
    ring_b = [[canonical_indicator("phone", PHONES[j % 3])] for j in range(6)]
    ring_c = [
        [canonical_indicator("handle", HANDLES[j % 2], platform="instagram")] for j in range(15)
    ]
    for ring in (ring_a, ring_b, ring_c):
        for j, indicators in enumerate(ring):
            indicators += find_indicators(f"write to lone{j}.{id(ring)}@example.org")
    noise = [find_indicators(f"noise{j}@example.net or +44 7911 55{j:04d}") for j in range(10)]
    return [ring_a, ring_b, ring_c, noise]


def _clusters() -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for report_id, cluster in ClusterMembership.objects.values_list("report_id", "cluster"):
        found[cluster].add(report_id)
    return dict(found)


def _index_in_order(order: list[int]) -> tuple[list[set[int]], list[int]]:
    groups = _rings()
    reports = {}
    work = []
    for ring_number, ring in enumerate(groups):
        for indicators in ring:
            report = _report()
            reports.setdefault(ring_number, set()).add(report.pk)
            work.append((report, indicators))
    noise_ids = sorted(reports[3])
    for position in order:
        report, indicators = work[position % len(work)]
        index_report(report, RECORD, indicators)
    for report, indicators in work:  # any report the order skipped
        index_report(report, RECORD, indicators)
    return [reports[0], reports[1], reports[2]], noise_ids


def _expected(rings: list[set[int]]) -> dict[int, set[int]]:
    return {min(ring): ring for ring in rings}


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(range(39)))
def test_planted_rings_are_recovered_exactly_whatever_the_order(order: list[int]) -> None:
    with transaction.atomic():
        rings, noise = _index_in_order(order)
        assert _clusters() == _expected(rings)
        assert not ClusterMembership.objects.filter(report_id__in=noise).exists()
        summary = recluster_all()
        assert summary.reports_moved == 0
        assert summary.clusters == 3
        assert summary.linked_reports == 29
        assert _clusters() == _expected(rings)
        transaction.set_rollback(True)


def test_recluster_all_recovers_the_rings_from_the_index_alone() -> None:
    rings, _ = _index_in_order(list(range(39)))
    ClusterMembership.objects.all().delete()
    summary = recluster_all()
    assert summary.reports_moved == 29
    assert _clusters() == _expected(rings)


def test_link_report_returns_the_cluster_or_none() -> None:
    first, second, alone = _report(), _report(), _report()
    index_report(first, RECORD, [_wallet(WALLET_1)])
    assert ClusterMembership.objects.count() == 0
    index_report(second, RECORD, [_wallet(WALLET_1)])
    index_report(alone, RECORD, [_wallet(WALLET_2)])
    assert link_report(second.pk) == first.pk
    assert link_report(alone.pk) is None


def test_losing_the_bridging_indicator_splits_the_cluster() -> None:
    rings, _ = _index_in_order(list(range(39)))
    ring_a = sorted(rings[0])
    bridge = Report.objects.get(pk=ring_a[3])
    index_report(bridge, RECORD, [_wallet(WALLET_1)])
    clusters = _clusters()
    assert clusters[ring_a[0]] == set(ring_a[:4])
    assert clusters[ring_a[4]] == set(ring_a[4:])
    # Putting it back merges them again, under the smallest report id.
    index_report(bridge, RECORD, [_wallet(WALLET_1), _wallet(WALLET_2)])
    assert _clusters()[ring_a[0]] == set(ring_a)


def test_a_deleted_report_leaves_its_cluster_and_counts() -> None:
    first, middle, last = _report(), _report(), _report()
    index_report(first, RECORD, [_wallet(WALLET_1)])
    index_report(middle, RECORD, [_wallet(WALLET_1), _wallet(WALLET_2)])
    index_report(last, RECORD, [_wallet(WALLET_2)])
    assert _clusters() == {first.pk: {first.pk, middle.pk, last.pk}}
    unindex_report(middle)
    assert _clusters() == {}
    assert StoredIndicator.objects.get(key=_wallet(WALLET_1).key).report_count == 1


def test_sources_are_indexed_separately() -> None:
    first, second = _report(), _report()
    index_report(first, RECORD, [_wallet(WALLET_1)])
    index_report(second, ReportIndicator.OCR, [_wallet(WALLET_1)])
    index_report(second, RECORD, [])  # the record says nothing: the screenshot still links
    assert _clusters() == {first.pk: {first.pk, second.pk}}
    index_report(second, ReportIndicator.OCR, [])
    assert _clusters() == {}


def test_a_value_shared_by_unusually_many_reports_is_flagged_and_still_links(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_COMMON_INDICATOR_REPORTS = 3
    reports = [_report() for _ in range(4)]
    for report in reports[:2]:
        index_report(report, RECORD, [_wallet(WALLET_1)])
    stored = StoredIndicator.objects.get(key=_wallet(WALLET_1).key)
    assert stored.flagged_at is None
    for report in reports[2:]:
        index_report(report, RECORD, [_wallet(WALLET_1)])
    stored.refresh_from_db()
    assert stored.report_count == 4
    assert stored.flagged_at is not None
    assert _clusters() == {reports[0].pk: {r.pk for r in reports}}
    assert [c.flagged for c in cluster_list()] == [True]


def test_times_reported_before_counts_other_live_reports_of_payment_accounts_only() -> None:
    mine, other, deleted, unrelated = _report(), _report(), _report(), _report()
    paypal = canonical_indicator("handle", "paypal.me/ringpay", platform="paypal")
    instagram = canonical_indicator("handle", "@ringface", platform="instagram")
    phone = canonical_indicator("phone", PHONES[0])
    index_report(mine, RECORD, [_wallet(WALLET_1), paypal, instagram, phone])
    index_report(other, RECORD, [_wallet(WALLET_1), paypal, instagram, phone])
    index_report(deleted, RECORD, [_wallet(WALLET_1)])
    Report.objects.filter(pk=deleted.pk).update(deleted_at="2026-01-01T00:00Z")
    index_report(unrelated, RECORD, [_wallet(WALLET_2)])
    counted = {indicator.key: times for indicator, times in times_reported_before(mine)}
    assert counted == {_wallet(WALLET_1).key: 1, paypal.key: 1}
    assert [times for _, times in times_reported_before(unrelated)] == [0]
    assert all(isinstance(times, int) for _, times in times_reported_before(mine))


def _photo(report: Report, pdq: str) -> None:
    evidence = EvidenceItem.objects.create(
        report=report,
        blob_id=f"blob{next(_numbers)}",
        kind="screenshot",
        media_type="image/png",
        extension="png",
        size=1,
        sha256="0" * 64,
        name=b"",
    )
    ProfilePhoto.objects.create(evidence=evidence, report=report, pdq=pdq, quality=100)


SCRIPT_TEXT = (
    "Hi dear I have recorded you and I have all your followers and family. If you do not pay "
    "500 pounds to this account in the next hour I will send the video to everyone you know, "
    "your school and your parents will see it. Do not block me or report me or it goes out "
    "right now. Send the money and I delete everything, I promise you that."
)


def test_same_profile_photo_and_near_duplicate_scripts_are_found_but_never_merged() -> None:
    first, same_photo, same_script, unrelated = (_report() for _ in range(4))
    _photo(first, "f" * 64)
    _photo(same_photo, "0" * 6 + "f" * 58)  # 24 bits away
    _photo(unrelated, "0" * 64)
    index_script(first, SCRIPT_TEXT)
    index_script(same_script, SCRIPT_TEXT.replace("500 pounds", "400 euros"))
    words = SCRIPT_TEXT.split()
    index_script(unrelated, " ".join(random.Random(2).sample(words, len(words))))
    links = fuzzy_links(first.pk)
    assert {(link.report_id, link.kind) for link in links} == {
        (same_photo.pk, PROFILE_PHOTO),
        (same_script.pk, SCRIPT),
    }
    photo = next(link for link in links if link.kind == PROFILE_PHOTO)
    assert photo.distance == 24
    assert link_report(first.pk) is None
    assert not ClusterMembership.objects.exists()


def test_explanation_totals_money_and_names_the_joining_indicators() -> None:
    first = sent_report("GB", under_18=False)
    second = sent_report("US", under_18=False)
    add_item(first, section("demands"), {"amount": "500", "currency": "GBP"})
    add_item(first, section("payments"), {"amount": "100", "currency": "GBP"})
    add_item(second, section("demands"), {"amount": "300", "currency": "USD"})
    add_item(second, section("demands"), {"amount": "250.50", "currency": "GBP"})
    add_item(second, section("who"), {"platform": "snapchat", "username": "ringleader"})
    Case.objects.filter(report=second).update(amount_paid=Decimal("40"), currency="USD")
    index_report(first, RECORD, [_wallet(WALLET_1)])
    index_report(second, RECORD, [_wallet(WALLET_1), _wallet(WALLET_2)])
    explanation = explain_cluster(first.pk)
    assert [r.reference for r in explanation.reports] == [first.reference, second.reference]
    assert [(s.key, s.report_ids) for s in explanation.shared_indicators] == [
        (_wallet(WALLET_1).key, (first.pk, second.pk))
    ]
    assert explanation.indicator_count == 2
    assert explanation.demanded == {"GBP": Decimal("750.50"), "USD": Decimal("300.00")}
    assert explanation.paid == {"GBP": Decimal("100.00"), "USD": Decimal("40.00")}
    assert explanation.platforms == ("snapchat",)
    assert explanation.jurisdictions == ("GB", "US")


def test_search_finds_an_indicator_however_it_is_spelled() -> None:
    first, second = _report(), _report()
    index_report(first, RECORD, [canonical_indicator("phone", PHONES[0])])
    index_report(second, RECORD, [canonical_indicator("phone", PHONES[1])])
    hits = search_indicators(PHONES[2])
    assert [(hit.key, hit.report_count, hit.cluster_ids) for hit in hits] == [
        ("phone::+447911123456", 2, (first.pk,))
    ]
    assert [hit.value for hit in search_indicators("7911123")] == ["+447911123456"]
    assert search_indicators("nothing-like-it") == []


def test_the_recluster_command_reports_what_it_did() -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    first, second = _report(), _report()
    index_report(first, RECORD, [_wallet(WALLET_1)])
    index_report(second, RECORD, [_wallet(WALLET_1)])
    ClusterMembership.objects.all().delete()
    out = StringIO()
    call_command("recluster", "--json", stdout=out, skip_checks=True)
    summary = json.loads(out.getvalue())
    assert (summary["clusters"], summary["linked_reports"], summary["reports_moved"]) == (1, 2, 2)


def test_a_profile_photo_links_only_between_reports_whose_authors_agreed() -> None:
    first, private = _report(), _report()
    Report.objects.filter(pk=private.pk).update(link_consent_at=None)
    _photo(first, "f" * 64)
    _photo(private, "f" * 64)
    assert fuzzy_links(first.pk) == []
    assert fuzzy_links(private.pk) == []
