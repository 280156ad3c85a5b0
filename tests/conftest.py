"""Every test gets its own data directory: its own vault, master key and (on SQLite) database
file, so nothing a test writes is left in the working tree or seen by another test."""

from pathlib import Path

import pytest


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
