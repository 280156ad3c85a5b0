"""Health endpoints for load balancers and orchestrators; they say nothing about any case.

``/healthz``: the process is alive and answering (no dependency is touched, so a database
outage does not get every web process restarted). ``/readyz``: this process can serve — the
database answers and is fully migrated, the cache answers, and the vault can be listed. 503
names which check failed, never why in detail, since the answer is public.
"""

import secrets

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

from dontpay.cases.vault import vault


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _database_ready,
        "migrations": _migrations_applied,
        "cache": _cache_ready,
        "vault": _vault_ready,
    }
    failed = []
    for name, check in checks.items():
        try:
            ready = check()
        except Exception:  # any failure means "not ready"; details stay in no public answer
            ready = False
        if not ready:
            failed.append(name)
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


_migrated = False


def _migrations_applied() -> bool:
    """Whether every migration this code knows is applied. Once true it stays true for the
    life of the process (migrations are not unapplied under a running server), so it is checked
    once, not at every probe: loading the migration graph takes tens of milliseconds."""
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _cache_ready() -> bool:
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    ready = bool(cache.get(key) == value)
    cache.delete(key)
    return ready


def _vault_ready() -> bool:
    return vault().ready()
