"""The evidence vault in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, …).

Same blobs, same format and same promises as the folder vault (`Vault`), so the rest of the
product cannot tell them apart: a blob is encrypted in this process before it is sent, so the
store only ever holds ciphertext; `store` returns only once the PUT has succeeded, and the caller
commits its row only after that, so a row never names a blob that is not stored. A PUT is atomic
(a reader sees the whole object or none), so there are no temporary files; a crash between the
PUT and the row leaves an orphan, which the sweeper finds by listing the bucket.

Objects are named ``<prefix>/<first two characters>/<blob id>``, as the folder shards them.
"""

import hashlib
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from .envelope import decrypt, encrypt
from .vault import MissingBlob, SealedBlob, check_blob_id, is_blob_id, store_concurrently


class InvalidVaultUrl(ValueError):
    """Not ``s3://bucket`` or ``s3://bucket/prefix``."""


def parse_vault_url(url: str) -> tuple[str, str]:
    """The bucket and key prefix (no slashes at either end) named by ``s3://bucket/prefix``."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise InvalidVaultUrl(f"not an s3://bucket/prefix URL: {url!r}")
    return parts.netloc, parts.path.strip("/")


class ObjectVault:
    """Blobs as objects under `prefix` in `bucket`, through a boto3 S3 client."""

    def __init__(
        self, client: Any, bucket: str, prefix: str = "", clock: Callable[[], float] = time.time
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self._clock = clock

    def store(self, data_key: bytes, plaintext: bytes) -> SealedBlob:
        """Encrypt `plaintext` under `data_key` (the blob id is the associated data) and PUT it.

        When this returns, the store has acknowledged the whole object.
        """
        blob_id = secrets.token_hex(16)
        sealed = encrypt(data_key, plaintext, blob_id.encode("ascii"))
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(blob_id),
            Body=sealed,
            ContentType="application/octet-stream",
        )
        return SealedBlob(
            blob_id=blob_id, size=len(plaintext), sha256=hashlib.sha256(plaintext).hexdigest()
        )

    def store_many(self, data_key: bytes, plaintexts: Sequence[bytes]) -> list[SealedBlob]:
        """`store` each plaintext, several at once (the network waits overlap), in order."""
        return store_concurrently(self.store, data_key, plaintexts)

    def open(self, data_key: bytes, blob_id: str) -> bytes:
        """The plaintext of a blob; raises `MissingBlob`, or `DecryptionFailed` if it was altered,
        moved from another id, or sealed under another key."""
        key = self._key(blob_id)
        try:
            sealed = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise MissingBlob(blob_id) from None
        return decrypt(data_key, sealed, blob_id.encode("ascii"))

    def read_sealed(self, blob_id: str) -> bytes:
        """The stored ciphertext of a blob, as it is in the bucket (for backups)."""
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(blob_id))["Body"]
        except self.client.exceptions.NoSuchKey:
            raise MissingBlob(blob_id) from None
        return bytes(body.read())

    def write_sealed(self, blob_id: str, sealed: bytes) -> None:
        """Put back a blob's ciphertext under its id, as a backup holds it (for restores)."""
        self.client.put_object(Bucket=self.bucket, Key=self._key(blob_id), Body=sealed)

    def remove(self, blob_id: str) -> None:
        """Delete a blob for good; removing a blob that is already gone is not an error."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(blob_id))

    def blob_ids(self, *, older_than: float = 0.0) -> Iterator[str]:
        """The ids of every blob in the bucket under the prefix, page by page.

        An orphan sweeper should pass `older_than` (seconds): a blob stored moments ago may have
        no database row only because its caller has not written it yet.
        """
        cutoff = self._clock() - older_than
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Contents", []):
                shard, _, blob_id = entry["Key"][len(self.prefix) :].partition("/")
                if not (is_blob_id(blob_id) and blob_id.startswith(shard)):
                    continue
                if older_than and entry["LastModified"].timestamp() > cutoff:
                    continue
                yield blob_id

    def remove_temporaries(self, *, older_than: float = 0.0) -> int:
        """Nothing to do: a PUT leaves no partial object behind."""
        return 0

    def ready(self) -> bool:
        """Whether the bucket answers to these credentials."""
        self.client.head_bucket(Bucket=self.bucket)
        return True

    def _key(self, blob_id: str) -> str:
        check_blob_id(blob_id)
        return f"{self.prefix}{blob_id[:2]}/{blob_id}"
