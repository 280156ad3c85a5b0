"""Every test gets its own data directory: its own vault, master key and (on SQLite) database
file, so nothing a test writes is left in the working tree or seen by another test."""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.s3 import S3Endpoint


DOMAIN_TESTS = Path(__file__).parent / "domain"

# Property tests judge what the code does, not how fast a shared machine ran it: a loaded CI
# host must not fail a test by timing out its example generation or one slow example.
settings.register_profile("dontpay", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("dontpay")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, leave out the tests of `domain/`: that package never imports Django, so
    its tests cannot touch a database and the SQLite run has already run them."""
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    domain = [item for item in items if item.path.is_relative_to(DOMAIN_TESTS)]
    if domain:
        config.hook.pytest_deselected(items=domain)
        items[:] = [item for item in items if not item.path.is_relative_to(DOMAIN_TESTS)]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On SQLite, keep the test database in a file, so a second process can open it. Under
    pytest-xdist each worker gets its own database (the suffix fixture names it)."""
    from django.db import connections

    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A fresh data directory with its own vault and master key."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DONTPAY_VAULT_DIR = tmp_path / "data" / "vault"
    settings.DONTPAY_MASTER_KEY = None
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Rate limits count in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def s3_endpoint() -> "Iterator[S3Endpoint]":
    """An S3-compatible endpoint (moto's server) for this test session."""
    from tests.s3 import moto_server

    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_vault_settings(settings, s3_endpoint: "S3Endpoint", monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Point the product's vault at a fresh bucket on the test S3 endpoint."""
    from dontpay.cases import vault as vault_module

    for name, value in s3_endpoint.environment.items():
        monkeypatch.setenv(name, value)
    settings.DONTPAY_VAULT_URL = f"s3://{s3_endpoint.new_bucket()}/evidence"
    vault_module._object_vault.cache_clear()
    yield settings.DONTPAY_VAULT_URL
    vault_module._object_vault.cache_clear()
