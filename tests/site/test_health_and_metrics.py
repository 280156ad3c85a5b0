"""/healthz, /readyz and /metrics: answers for operators that say nothing about any case."""

import re
from pathlib import Path

import pytest
from django.test import Client

from dontpay.bank.submissions import submit_signals
from dontpay.bank.tokens import create_token
from dontpay.cases.reports import create_report
from dontpay.intel.tasks import relink_report
from dontpay.site import health
from tests.processes import REDIS_URL

pytestmark = pytest.mark.django_db

PHOTO = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def redis_cache(url: str) -> dict[str, object]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_healthz_says_only_that_the_process_is_alive(client: Client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ready_with_database_cache_and_vault(client: Client) -> None:
    create_report()  # something to hide
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ready_with_redis_and_a_bucket(
    client: Client, settings, s3_vault_settings: str
) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = redis_cache(REDIS_URL)
    assert client.get("/readyz").json() == {"status": "ok"}


def test_readyz_names_an_unreachable_cache(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "failed": ["cache"]},
    )


def test_readyz_names_a_vault_that_cannot_be_written(
    client: Client, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "not-a-folder").write_text("a file where the vault should be")
    settings.DONTPAY_VAULT_DIR = tmp_path / "not-a-folder"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["vault"]


def test_readyz_names_a_missing_bucket(client: Client, settings, s3_vault_settings: str) -> None:  # type: ignore[no-untyped-def]
    from dontpay.cases import vault

    settings.DONTPAY_VAULT_URL = "s3://no-such-bucket-anywhere/evidence"
    vault._object_vault.cache_clear()
    assert client.get("/readyz").json()["failed"] == ["vault"]


def test_readyz_names_unapplied_migrations(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    assert client.get("/readyz").json()["failed"] == ["migrations"]


def scrape(client: Client, **headers: str) -> str:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def value(text: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert found, f"{series} is not in the metrics"
    return float(found[1])


def test_metrics_count_requests_by_route_name_never_by_path(client: Client) -> None:
    new = create_report()
    client.get("/")
    client.get(f"/report/{new.report.reference}/{new.passphrase}/")  # a 404 carrying secrets
    client.post("/report/sign-in/", {"reference": new.report.reference, "passphrase": "guess"})
    text = scrape(client)
    assert (
        value(text, 'dontpay_http_requests_total{method="GET",route="help:start",status="2xx"}')
        >= 1
    )
    assert (
        value(text, 'dontpay_http_requests_total{method="GET",route="unmatched",status="4xx"}') >= 1
    )
    assert 'route="help:report_sign_in"' in text
    assert new.report.reference not in text
    assert new.passphrase not in text
    assert "/report/" not in text
    assert "guess" not in text


def test_metrics_count_match_calls_signals_bank_size_and_queue(client: Client) -> None:
    secret = create_token("Example Platform", ["match"]).secret
    submit_signals([("pdq", PHOTO, 90)], "web")
    relink_report.enqueue(create_report().report.pk)
    body = {"signals": [{"type": "pdq", "value": PHOTO}] * 3}
    before = scrape(client)
    response = client.post(
        "/api/v1/match",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    text = scrape(client)

    def grew(series: str) -> float:
        old = value(before, series) if series in before else 0.0
        return value(text, series) - old

    assert grew('dontpay_match_api_signals_total{kind="image"}') == 3
    assert grew('dontpay_match_api_calls_total{kind="image",status="2xx"}') == 1
    assert value(text, 'dontpay_bank_entries{type="pdq"}') == 1
    assert value(text, 'dontpay_task_queue{status="ready"}') == 1
    assert PHOTO not in text
    assert secret not in text


def test_metrics_are_hidden_from_addresses_not_allowed(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_METRICS_ADDRESSES = ["10.0.0.9"]
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_metrics_need_the_right_token_when_one_is_set(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_METRICS_ADDRESSES = []
    settings.DONTPAY_METRICS_TOKEN = "a-long-random-scrape-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    scrape(client, Authorization="Bearer a-long-random-scrape-token")


def test_production_allows_no_scraper_unless_configured() -> None:
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.DONTPAY_METRICS_ADDRESSES)"
    env = {
        "DONTPAY_MODE": "production",
        "SECRET_KEY": "x" * 40,
        "DONTPAY_ALLOWED_HOSTS": "example.org",
        "DJANGO_SETTINGS_MODULE": "dontpay.site.settings",
        "PATH": "/usr/bin:/bin",
    }
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DONTPAY_DATA_DIR": "/tmp/dontpay-metrics-test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "[]"
