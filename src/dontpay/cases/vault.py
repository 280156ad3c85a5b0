"""The organisation's vault: keys, each report's data key, and its encrypted blobs.

A report's data key reaches code in one of two ways: unwrapped with the organisation key, once
the person has sent the record; or held for the length of one request of the person's own,
after their passphrase (or their open session) unwrapped it (`holding_owner_key`). Code that
needs the key calls `data_key` either way and never sees the difference.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from dontpay.domain.custody import (
    BlobStore,
    DecryptionFailed,
    ObjectVault,
    OrganisationKeys,
    Vault,
    decrypt,
    encrypt,
    load_organisation_keys,
    parse_vault_url,
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


def vault() -> BlobStore:
    """The encrypted blob store: a bucket when ``DONTPAY_VAULT_URL`` names one, else the folder
    ``DONTPAY_VAULT_DIR``."""
    if settings.DONTPAY_VAULT_URL:
        return _object_vault(settings.DONTPAY_VAULT_URL)
    return Vault(settings.DONTPAY_VAULT_DIR)


@cache
def _object_vault(url: str) -> ObjectVault:
    """One client per process and URL: boto3 clients are thread-safe and pool connections."""
    import boto3
    from botocore.config import Config

    bucket, prefix = parse_vault_url(url)
    client = boto3.client(
        "s3",
        config=Config(retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=20),
    )
    return ObjectVault(client, bucket, prefix)


#: Data keys held for the current request, by report id (see `holding_owner_key`).
_owner_keys: ContextVar[dict[int, bytes] | None] = ContextVar("owner_keys", default=None)


class RecordNotShared(DecryptionFailed):
    """The record is private: only its owner's passphrase can unwrap its data key."""


@contextmanager
def holding_owner_key(report_id: int, key: bytes) -> Iterator[None]:
    """Make `key` the data key of report `report_id` for the code run inside this block."""
    token = _owner_keys.set({**(_owner_keys.get() or {}), report_id: key})
    try:
        yield
    finally:
        _owner_keys.reset(token)


def organisation_wrapping(key: bytes, reference: str) -> bytes:
    """`key` wrapped by the organisation key: what sending a record adds."""
    return wrap_data_key(organisation_keys().encryption_key, key, reference)


def data_key(report: Report) -> bytes:
    """The report's data key: the owner's, if held for this request, else the organisation's
    unwrapping. Raises `RecordNotShared` for a private record, `DecryptionFailed` once the
    report has been deleted."""
    held = (_owner_keys.get() or {}).get(report.pk)
    if held is not None:
        return held
    if not report.wrapped_key:
        raise RecordNotShared(f"report {report.reference} has not been sent")
    return unwrap_data_key(
        organisation_keys().encryption_key, bytes(report.wrapped_key), report.reference
    )


def can_read(report: Report) -> bool:
    """Whether `data_key` would give this report's key here and now."""
    return report.pk in (_owner_keys.get() or {}) or bool(report.wrapped_key)


def seal_json(key: bytes, reference: str, value: Any) -> bytes:
    """Encrypt a JSON value bound to this report's reference."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return encrypt(key, text, reference.encode())


def open_json(key: bytes, reference: str, sealed: bytes) -> Any:
    """Decrypt what `seal_json` sealed."""
    return json.loads(decrypt(key, sealed, reference.encode()))
