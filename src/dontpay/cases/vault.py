"""The organisation's vault: keys, each report's data key, and its encrypted blobs."""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from dontpay.domain.custody import (
    OrganisationKeys,
    Vault,
    decrypt,
    encrypt,
    load_organisation_keys,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)

from .models import Report


@cache
def _keys(data_dir: Path, master_key: str | None) -> OrganisationKeys:
    return load_organisation_keys(data_dir, master_key)


def organisation_keys() -> OrganisationKeys:
    """The organisation's encryption and signing keys (created on first use)."""
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    return _keys(settings.DATA_DIR, settings.DONTPAY_MASTER_KEY)


def vault() -> Vault:
    """The encrypted blob store."""
    return Vault(settings.DONTPAY_VAULT_DIR)


def wrapped_new_data_key(reference: str) -> tuple[bytes, bytes]:
    """A fresh data key for a report, and the same key wrapped for storage."""
    key = new_data_key()
    return key, wrap_data_key(organisation_keys().encryption_key, key, reference)


def data_key(report: Report) -> bytes:
    """The report's data key; fails once the report has been deleted."""
    return unwrap_data_key(
        organisation_keys().encryption_key, bytes(report.wrapped_key), report.reference
    )


def seal_json(key: bytes, reference: str, value: Any) -> bytes:
    """Encrypt a JSON value bound to this report's reference."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return encrypt(key, text, reference.encode())


def open_json(key: bytes, reference: str, sealed: bytes) -> Any:
    """Decrypt what `seal_json` sealed."""
    return json.loads(decrypt(key, sealed, reference.encode()))
