"""The demo gives an analyst something to look at: rings of sent, consenting reports that link
into clusters, on values the warninglist leaves alone."""

import pytest
from django.db.models import Count

from dontpay.cases.models import Report
from dontpay.domain.indicators import find_indicators
from dontpay.intel.linking import fuzzy_links
from dontpay.intel.models import ClusterMembership, ProfilePhoto
from dontpay.intel.warninglist import is_warninglisted
from dontpay.site.demo_data import demo_reports
from dontpay.site.demo_rings import REPORTS_PER_RING, RINGS, ring_values

from ..accounts.staff import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_rings_link_into_clusters_an_analyst_sees_first() -> None:
    demo_reports()
    rings = Report.objects.filter(sent_at__isnull=False, link_consent_at__isnull=False)
    assert rings.count() >= len(RINGS) * REPORTS_PER_RING
    sizes = sorted(
        ClusterMembership.objects.values("cluster")
        .annotate(n=Count("report"))
        .values_list("n", flat=True),
        reverse=True,
    )
    assert len([size for size in sizes if size >= REPORTS_PER_RING]) >= len(RINGS), sizes
    for value in ring_values():
        for found in find_indicators(value, region="US"):
            assert not is_warninglisted(found), value
    photographed = ProfilePhoto.objects.values_list("report_id", flat=True).first()
    assert photographed is not None
    clusters = dict(ClusterMembership.objects.values_list("report_id", "cluster"))
    across = [
        link
        for link in fuzzy_links(photographed)
        if link.kind == "profile-photo" and clusters[link.report_id] != clusters[photographed]
    ]
    assert across, "the demo shows a possible link between two clusters"

    page = signed_in("analyst").get("/staff/intel/").text
    assert f"{len(sizes)} clusters," in page
    demo_reports()  # once only
    assert Report.objects.count() == rings.count()
