"""Linked reports for analysts: the cluster list, indicator search, a cluster's explanation and
network graph, its exports, and the warninglist (read by analysts, edited by administrators).
Every view of a cluster and every export writes an audit event."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dontpay.accounts.access import requires
from dontpay.accounts.audit import audit
from dontpay.accounts.roles import role_may
from dontpay.cases.models import Report
from dontpay.domain.correlate import ClusterExplanation, EmptyCluster
from dontpay.domain.indicators import described, enrichment

from .clusters import cluster_list, explain_cluster, search_indicators
from .exports import cluster_csv, cluster_indicators, misp_event, stix_bundle
from .forms import TYPE_NAMES, SearchForm, WarninglistForm
from .linking import recluster_all
from .models import WarninglistEntry
from .not_found import why_nothing_found
from .prepared_referrals import latest_referral
from .referral import graphml_export
from .warninglist import InvalidEntry, add_entry, remove_entry

#: Export kind → (media type, file name extension).
EXPORTS = {
    "stix": ("application/stix+json;version=2.1", "stix.json"),
    "misp": ("application/json", "misp.json"),
    "csv": ("text/csv", "csv"),
    "graphml": ("application/graphml+xml", "graphml"),
}


def _role(request: HttpRequest) -> str:
    return str(request.user.staff.role)  # type: ignore[union-attr]


def indicator_facts(indicators: Iterable[Any]) -> dict[str, list[tuple[str, str]]]:
    """What each indicator is (type of number, bank, network, domain…), by key, as (label,
    value) pairs for the tables; computed offline from shipped data."""
    return {
        indicator.key: described(enrichment(indicator.type, indicator.value, indicator.qualifier))
        for indicator in indicators
    }


@requires("intel.view")
def cluster_list_page(request: HttpRequest) -> HttpResponse:
    """Clusters of two or more linked reports, largest and most recent first."""
    clusters = cluster_list()
    audit(request, "clusters.listed", "linked reports", clusters=len(clusters))
    return render(
        request,
        "intel/clusters.html",
        {
            "clusters": clusters,
            "any_flagged": any(cluster.flagged for cluster in clusters),
            "search": SearchForm(),
            "may_recluster": role_may(_role(request), "intel.recluster"),
        },
    )


@requires("intel.recluster")
@require_POST
def recluster(request: HttpRequest) -> HttpResponse:
    """Recompute every cluster from the index (after warninglist changes, for example)."""
    summary = recluster_all()
    audit(request, "clusters.recomputed", "linked reports", clusters=summary.clusters)
    return redirect(f"{reverse('intel:clusters')}?recomputed=1")


@requires("intel.view")
def search_page(request: HttpRequest) -> HttpResponse:
    """Indicators matching what was typed, canonicalised as reports are."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = search_indicators(form.cleaned_data["q"]) if form.is_valid() else None
    explanations = []
    if results is not None:
        audit(request, "indicators.searched", "indicator search", results=len(results))
        if not results:
            explanations = why_nothing_found(form.cleaned_data["q"])
    return render(
        request,
        "intel/search.html",
        {
            "search": form,
            "results": results,
            "facts": indicator_facts(results or []),
            "explanations": explanations,
            "type_names": TYPE_NAMES,
        },
        status=400 if form.errors else 200,
    )


def _explanation(cluster_id: int) -> ClusterExplanation:
    try:
        return explain_cluster(cluster_id)
    except EmptyCluster:
        raise Http404(f"no cluster {cluster_id}") from None


def cluster_graph(explanation: ClusterExplanation, case_links: bool) -> dict[str, Any]:
    """The nodes (reports and the indicators that join them) and edges (mentions) the page's
    graph draws; the tables beside it say the same in words."""
    nodes: list[dict[str, Any]] = [
        {
            "id": f"r{report.id}",
            "label": report.reference,
            "kind": "report",
            "href": reverse("cases:case", args=[report.reference])
            if case_links and report.has_case
            else "",
        }
        for report in explanation.reports
    ]
    edges = []
    for number, shared in enumerate(explanation.shared_indicators):
        node = f"i{number}"
        label = f"{shared.qualifier} {shared.value}" if shared.qualifier else shared.value
        nodes.append({"id": node, "label": label, "kind": "indicator", "flagged": shared.flagged})
        edges += [{"source": f"r{report}", "target": node} for report in shared.report_ids]
    return {"nodes": nodes, "edges": edges}


@requires("intel.view")
def cluster_page(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """Why these reports are linked, in words, tables and a network graph."""
    explanation = _explanation(cluster_id)
    audit(request, "cluster.viewed", f"cluster {cluster_id}", reports=len(explanation.reports))
    case_links = role_may(_role(request), "cases.view")
    others = {link.link.report_id for link in explanation.fuzzy_links}
    references = {
        **{other.pk: other.staff_label for other in Report.objects.filter(id__in=others)},
        **{report.id: report.reference for report in explanation.reports},
    }
    with_case = {
        *Report.objects.filter(id__in=others, sent_at__isnull=False).values_list(
            "reference", flat=True
        ),
        *(report.reference for report in explanation.reports if report.has_case),
    }
    graph = cluster_graph(explanation, case_links)
    return render(
        request,
        "intel/cluster.html",
        {
            "cluster": explanation,
            "facts": indicator_facts(explanation.shared_indicators),
            "graph": graph,
            "references": references,
            "with_case": with_case,
            "case_links": case_links,
            "may_export": role_may(_role(request), "intel.export"),
            "may_refer": role_may(_role(request), "intel.refer"),
            "referral": latest_referral(cluster_id, request.user.get_username()),
            "type_names": TYPE_NAMES,
        },
    )


@requires("intel.export")
def cluster_export(request: HttpRequest, cluster_id: int, kind: str) -> HttpResponse:
    """The cluster as a STIX 2.1 bundle, a MISP event, CSV or GraphML, downloaded (and
    audited)."""
    if kind not in EXPORTS:
        raise Http404(f"no {kind} export")
    explanation = _explanation(cluster_id)
    indicators = cluster_indicators(explanation)
    audit(request, "cluster.exported", f"cluster {cluster_id}", format=kind)
    content: str | bytes
    if kind == "stix":
        content = stix_bundle(explanation, indicators)
    elif kind == "misp":
        content = misp_event(explanation, indicators)
    elif kind == "graphml":
        content = graphml_export(explanation)
    else:
        content = cluster_csv(indicators)
    media_type, extension = EXPORTS[kind]
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="dontpay-cluster-{cluster_id}.{extension}"'
    )
    return response


@requires("warninglist.view")
@require_http_methods(["GET", "POST"])
def warninglist_page(request: HttpRequest) -> HttpResponse:
    """Values that must never link reports: the list (analysts read it, since it decides what
    their clusters show), and for administrators a form to add one."""
    may_change = role_may(_role(request), "warninglist.change")
    if request.method == "POST" and not may_change:
        raise PermissionDenied("warninglist.change")
    form = WarninglistForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = add_entry(
                data["type"],
                data["value"],
                data["match"],
                data["reason"],
                added_by=request.user.get_username(),
            )
        except InvalidEntry as problem:
            form.add_service_error(str(problem))
        else:
            audit(request, "warninglist.added", f"warninglist {entry.pk}", type=entry.type)
            return redirect(f"{reverse('intel:warninglist')}?added={entry.pk}")
    return render(
        request,
        "intel/warninglist.html",
        {
            "form": form,
            "entries": WarninglistEntry.objects.all(),
            "added": request.GET.get("added", ""),
            "removed": "removed" in request.GET,
            "type_names": TYPE_NAMES,
            "may_change": may_change,
        },
        status=400 if form.errors else 200,
    )


@requires("warninglist.change")
@require_http_methods(["GET", "POST"])
def warninglist_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove one entry."""
    entry = get_object_or_404(WarninglistEntry, pk=pk)
    if request.method == "POST":
        remove_entry(entry)
        audit(request, "warninglist.removed", f"warninglist {pk}", type=entry.type)
        return redirect(f"{reverse('intel:warninglist')}?removed=1")
    return render(
        request, "intel/warninglist_remove.html", {"entry": entry, "type_names": TYPE_NAMES}
    )
