"""Prometheus metrics for operators: how busy the service is, never what it holds.

Labels are chosen from short fixed sets — the URL pattern's name (never the path, which can
carry a report reference), the method, the status class — so no reference, indicator, hash or
personal detail can ever appear in a label. Counts that live in the database (queue depth,
bank size) are read when Prometheus scrapes, so every process reports the same numbers.
Each web process is scraped on its own port; a scraper adds them up.
"""

import hmac
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=False)

REQUESTS = Counter(
    "dontpay_http_requests",
    "HTTP requests answered, by URL pattern name, method and status class.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "dontpay_http_request_duration_seconds",
    "Time to answer a request, by URL pattern name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
MATCH_CALLS = Counter(
    "dontpay_match_api_calls",
    "Calls to the platform match API, by kind (image or video) and outcome status class.",
    ["kind", "status"],
    registry=REGISTRY,
)
MATCH_SIGNALS = Counter(
    "dontpay_match_api_signals",
    "Hashes or video features sent to the match API for matching.",
    ["kind"],
    registry=REGISTRY,
)

_MATCH_ROUTES = {"api-v1:match": "image", "api-v1:match_video": "video"}
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DatabaseCounts(Collector):
    """Task queue depth by status, and live bank entries by signal type, read at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from dontpay.bank.models import BankEntry

        queue = GaugeMetricFamily(
            "dontpay_task_queue", "Background tasks in the queue, by status.", labels=["status"]
        )
        by_status = dict(
            DBTaskResult.objects.filter(status__in=("READY", "RUNNING"))
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        for status in ("READY", "RUNNING"):
            queue.add_metric([status.lower()], by_status.get(status, 0))
        yield queue
        bank = GaugeMetricFamily(
            "dontpay_bank_entries", "Live hash-bank entries, by signal type.", labels=["type"]
        )
        live = dict(
            BankEntry.objects.filter(live=True)
            .values_list("signal_type")
            .annotate(n=Count("id"))
            .values_list("signal_type", "n")
        )
        for signal_type, _ in BankEntry.SIGNAL_TYPES:
            bank.add_metric([signal_type], live.get(signal_type, 0))
        yield bank


REGISTRY.register(DatabaseCounts())


class MetricsMiddleware:
    """Counts and times every request by its URL pattern's name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        route = _route_name(request)
        status = f"{response.status_code // 100}xx"
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(route, method, status).inc()
        LATENCY.labels(route).observe(time.perf_counter() - start)
        kind = _MATCH_ROUTES.get(route)
        if kind:
            MATCH_CALLS.labels(kind, status).inc()
        return response


def count_match_signals(kind: str, how_many: int) -> None:
    """Record how many hashes (or video features) one match call asked about."""
    MATCH_SIGNALS.labels(kind).inc(how_many)


def _route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"
    return match.view_name or "unnamed"


def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, to a scraper with the token or from an allowed address;
    anyone else gets 404, as if there were nothing here."""
    if not scrape_allowed(request):
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


def scrape_allowed(request: HttpRequest) -> bool:
    token = settings.DONTPAY_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    return request.META.get("REMOTE_ADDR", "") in settings.DONTPAY_METRICS_ADDRESSES
