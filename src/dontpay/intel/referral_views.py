"""Asking for a cluster's referral pack, waiting while a worker prepares it, and downloading it.

A pack takes about a minute for 200 reports, longer than a web request may hold a thread, so the
request only asks (`prepared_referrals`). Its page says it is being prepared and, without
JavaScript, asks the browser to load it again every `REFRESH_SECONDS` (the HTTP ``Refresh``
header) until it is ready or has failed; the staff member can stop that and check by hand. Only
who asked may see the page or download the pack, once. Each step is audited.
"""

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dontpay.accounts.access import requires
from dontpay.accounts.audit import audit

from .models import ClusterMembership, PreparedReferral
from .prepared_referrals import kept_until, own_referral, request_referral, take_for_download

#: Seconds between the checks the page asks the browser for while a pack is prepared.
REFRESH_SECONDS = 5


@requires("intel.refer")
@require_POST
def cluster_referral(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Ask a worker to prepare the cluster's referral pack, then show its page."""
    if not ClusterMembership.objects.filter(cluster=cluster_id).exists():
        raise Http404(f"no cluster {cluster_id}")
    prepared = request_referral(cluster_id, request.user.get_username())
    audit(request, "cluster.export-requested", f"cluster {cluster_id}", format="referral-pack")
    return redirect("intel:prepared_referral", cluster_id=cluster_id, pk=prepared.pk)


@requires("intel.refer")
def prepared_referral_page(request: HttpRequest, cluster_id: int, pk: int) -> HttpResponse:
    """The pack being prepared (checked again every few seconds), ready to download, failed,
    or no longer here (downloaded, expired or discarded: 404, with a way to ask again)."""
    prepared = own_referral(pk, cluster_id, request.user.get_username())
    automatic = request.GET.get("refresh") != "off"
    response = render(
        request,
        "intel/prepared_referral.html",
        {
            "cluster_id": cluster_id,
            "prepared": prepared,
            "kept_until": kept_until(prepared) if prepared else None,
            "automatic": automatic,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=200 if prepared else 404,
    )
    if prepared and prepared.state == PreparedReferral.PREPARING and automatic:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires("intel.refer")
@require_POST
def prepared_referral_download(request: HttpRequest, cluster_id: int, pk: int) -> HttpResponse:
    """The pack's ZIP, once, to who asked for it; it is deleted from the server as it is
    downloaded. Anything else goes back to the pack's page, which says why."""
    prepared = own_referral(pk, cluster_id, request.user.get_username())
    with transaction.atomic():
        data = take_for_download(prepared) if prepared else None
        if prepared is None or data is None:
            return redirect(reverse("intel:prepared_referral", args=[cluster_id, pk]))
        audit(
            request,
            "cluster.downloaded",
            f"cluster {cluster_id}",
            format="referral-pack",
            reports_sent=len(prepared.sent_references),
        )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="dontpay-cluster-{cluster_id}-referral.zip"'
    )
    return response
