"""The vault: blobs are stored encrypted, bound to their ids, written atomically, and only
complete blobs are ever listed — in a folder and in S3-compatible object storage alike.

Tests taking `vault` run against both stores; those taking `folder` or `bucket` check what only
one of them has (file modes, temporary files; object keys, prefixes)."""

import hashlib
import os
import re
import stat
import time
from pathlib import Path

import pytest

from dontpay.domain.custody import (
    BlobStore,
    DecryptionFailed,
    InvalidBlobId,
    MissingBlob,
    ObjectVault,
    Vault,
    new_data_key,
    parse_vault_url,
)
from dontpay.domain.custody.object_vault import InvalidVaultUrl
from tests.s3 import S3Endpoint

#: Distinctive enough that finding it in a file means the file holds plaintext.
SECRET = b"He said he would send the photos to my school at 9pm. " * 40


class Clock:
    """A clock the test can move forward, for the object store's idea of "older than"."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def folder(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "vault")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bucket(s3_endpoint: S3Endpoint, clock: Clock) -> ObjectVault:
    return ObjectVault(s3_endpoint.client(), s3_endpoint.new_bucket(), "org/evidence", clock)


@pytest.fixture(params=["folder", "s3"])
def vault(request: pytest.FixtureRequest) -> BlobStore:
    store: BlobStore = request.getfixturevalue("folder" if request.param == "folder" else "bucket")
    return store


@pytest.fixture
def key() -> bytes:
    return new_data_key()


def path_of(vault: Vault, blob_id: str) -> Path:
    return vault.root / blob_id[:2] / blob_id


def all_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_store_then_open_round_trips(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, SECRET)
    assert vault.open(key, sealed.blob_id) == SECRET


def test_sealed_blob_describes_the_plaintext(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, SECRET)
    assert re.fullmatch(r"[0-9a-f]{32}", sealed.blob_id)
    assert sealed.size == len(SECRET)
    assert sealed.sha256 == hashlib.sha256(SECRET).hexdigest()


def test_large_blobs_round_trip_with_the_right_hash(vault: BlobStore, key: bytes) -> None:
    plaintext = os.urandom(3 * 1024 * 1024 + 5)
    sealed = vault.store(key, plaintext)
    assert sealed.sha256 == hashlib.sha256(plaintext).hexdigest()
    assert sealed.size == len(plaintext)
    assert vault.open(key, sealed.blob_id) == plaintext
    assert len(vault.read_sealed(sealed.blob_id)) == 1 + 12 + len(plaintext) + 16


def test_empty_blobs_are_stored(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, b"")
    assert (sealed.size, vault.open(key, sealed.blob_id)) == (0, b"")


def test_each_blob_gets_a_new_id(vault: BlobStore, key: bytes) -> None:
    ids = {vault.store(key, b"same").blob_id for _ in range(20)}
    assert len(ids) == 20


def test_blobs_are_sharded_by_the_first_two_characters_and_private(
    folder: Vault, key: bytes
) -> None:
    vault = folder
    sealed = vault.store(key, SECRET)
    path = path_of(vault, sealed.blob_id)
    assert all_files(vault.root) == [path]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_stored_blob_never_holds_the_plaintext(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, SECRET)
    on_disk = vault.read_sealed(sealed.blob_id)
    assert len(on_disk) == 1 + 12 + len(SECRET) + 16
    assert b"send the photos" not in on_disk
    assert SECRET[:16] not in on_disk
    assert key not in on_disk


@pytest.mark.parametrize("position", [0, 1, 12, 13, 500, -17, -1])
def test_a_flipped_byte_in_store_is_refused(vault: BlobStore, key: bytes, position: int) -> None:
    sealed = vault.store(key, SECRET)
    data = bytearray(vault.read_sealed(sealed.blob_id))
    data[position] ^= 0x01
    vault.write_sealed(sealed.blob_id, bytes(data))
    with pytest.raises(DecryptionFailed):
        vault.open(key, sealed.blob_id)


def test_every_flipped_byte_of_a_small_blob_is_refused(folder: Vault, key: bytes) -> None:
    vault = folder
    sealed = vault.store(key, b"screenshot")
    path = path_of(vault, sealed.blob_id)
    original = path.read_bytes()
    for position in range(len(original)):
        altered = bytearray(original)
        altered[position] ^= 0x80
        path.write_bytes(bytes(altered))
        with pytest.raises(DecryptionFailed):
            vault.open(key, sealed.blob_id)


def test_a_blob_opens_only_with_its_key(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, SECRET)
    with pytest.raises(DecryptionFailed):
        vault.open(new_data_key(), sealed.blob_id)


def test_a_blob_copied_under_another_id_is_refused(vault: BlobStore, key: bytes) -> None:
    first, second = vault.store(key, b"first"), vault.store(key, b"second")
    vault.write_sealed(second.blob_id, vault.read_sealed(first.blob_id))
    with pytest.raises(DecryptionFailed):
        vault.open(key, second.blob_id)


def test_opening_a_missing_blob_raises_missing_blob(vault: BlobStore, key: bytes) -> None:
    with pytest.raises(MissingBlob):
        vault.open(key, "0" * 32)
    assert issubclass(MissingBlob, LookupError)


def test_remove_deletes_and_is_idempotent(vault: BlobStore, key: bytes) -> None:
    kept, removed = vault.store(key, b"kept"), vault.store(key, b"removed")
    vault.remove(removed.blob_id)
    vault.remove(removed.blob_id)
    vault.remove("f" * 32)
    with pytest.raises(MissingBlob):
        vault.open(key, removed.blob_id)
    assert list(vault.blob_ids()) == [kept.blob_id]


def test_blob_ids_lists_every_stored_blob(vault: BlobStore, key: bytes) -> None:
    assert list(vault.blob_ids()) == []
    stored = {vault.store(key, bytes([number])).blob_id for number in range(40)}
    assert set(vault.blob_ids()) == stored


@pytest.mark.parametrize(
    "blob_id",
    [
        "../../etc/passwd",
        "ab/../../../../etc/passwd",
        "/etc/passwd",
        "0" * 31,
        "0" * 33,
        "A" * 32,
        "g" * 32,
        "0" * 32 + "\n",
        "../" + "0" * 29,
        "",
    ],
)
def test_anything_but_a_blob_id_is_refused(vault: BlobStore, key: bytes, blob_id: str) -> None:
    with pytest.raises(InvalidBlobId):
        vault.open(key, blob_id)
    with pytest.raises(ValueError, match="not a blob id"):
        vault.remove(blob_id)


def plant_temporary(vault: Vault, key: bytes) -> Path:
    """A temporary file exactly like the one a crashed `store` leaves behind."""
    shard = path_of(vault, vault.store(key, b"neighbour").blob_id).parent
    temporary = shard / f".{shard.name}{'1' * 30}.0badc0de.tmp"
    temporary.write_bytes(b"half a blob")
    return temporary


def test_blob_ids_never_lists_temporary_or_stray_files(folder: Vault, key: bytes) -> None:
    vault = folder
    temporary = plant_temporary(vault, key)
    (vault.root / "notes.txt").write_text("not a blob")
    (temporary.parent / ("e" * 32)).write_text("a blob id in the wrong shard")
    (vault.root / "zz").mkdir()
    (vault.root / "zz" / ("0" * 32)).write_text("not a shard")
    assert list(vault.blob_ids()) == [
        path.name
        for path in temporary.parent.iterdir()
        if path.name.startswith(temporary.parent.name)
    ]


def test_remove_temporaries_removes_leftovers_only(folder: Vault, key: bytes) -> None:
    vault = folder
    temporary = plant_temporary(vault, key)
    blobs = list(vault.blob_ids())
    assert vault.remove_temporaries() == 1
    assert not temporary.exists()
    assert list(vault.blob_ids()) == blobs
    assert vault.remove_temporaries() == 0


def test_remove_temporaries_can_spare_writes_in_progress(folder: Vault, key: bytes) -> None:
    vault = folder
    recent = plant_temporary(vault, key)
    old = recent.with_name(f".{recent.parent.name}{'2' * 30}.00000000.tmp")
    old.write_bytes(b"crashed an hour ago")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    assert vault.remove_temporaries(older_than=600) == 1
    assert recent.exists()
    assert not old.exists()


def test_blob_ids_can_leave_out_blobs_stored_moments_ago(folder: Vault, key: bytes) -> None:
    vault = folder
    recent, old = vault.store(key, b"recent"), vault.store(key, b"old")
    hour_ago = time.time() - 3600
    os.utime(path_of(vault, old.blob_id), (hour_ago, hour_ago))
    assert list(vault.blob_ids(older_than=600)) == [old.blob_id]
    assert set(vault.blob_ids()) == {recent.blob_id, old.blob_id}


def test_a_failed_write_leaves_nothing_behind(
    folder: Vault, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = folder

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        vault.store(key, SECRET)
    monkeypatch.undo()
    assert list(vault.blob_ids()) == []
    assert all_files(vault.root) == []


def test_a_missing_vault_directory_is_an_empty_vault(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "not-yet")
    assert list(vault.blob_ids()) == []
    assert vault.remove_temporaries() == 0


def test_store_many_stores_every_blob_in_order(tmp_path: Path) -> None:
    from dontpay.domain.custody import new_data_key

    vault = Vault(tmp_path)
    key = new_data_key()
    plaintexts = [bytes([n]) * (n * 1000 + 1) for n in range(12)]
    blobs = vault.store_many(key, plaintexts)
    assert [blob.size for blob in blobs] == [len(p) for p in plaintexts]
    assert [vault.open(key, blob.blob_id) for blob in blobs] == plaintexts
    assert set(vault.blob_ids()) == {blob.blob_id for blob in blobs}


def test_a_read_of_an_id_never_stored_raises_missing_blob(vault: BlobStore) -> None:
    with pytest.raises(MissingBlob):
        vault.read_sealed("a" * 32)


def test_a_blob_written_back_from_a_backup_opens(vault: BlobStore, key: bytes) -> None:
    sealed = vault.store(key, SECRET)
    copy = vault.read_sealed(sealed.blob_id)
    vault.remove(sealed.blob_id)
    vault.write_sealed(sealed.blob_id, copy)
    assert vault.open(key, sealed.blob_id) == SECRET


def test_either_store_is_ready_when_it_can_be_written(vault: BlobStore) -> None:
    assert vault.ready()


def test_objects_are_named_by_prefix_and_shard(
    bucket: ObjectVault, s3_endpoint: S3Endpoint, key: bytes
) -> None:
    sealed = bucket.store(key, SECRET)
    listed = s3_endpoint.client().list_objects_v2(Bucket=bucket.bucket)["Contents"]
    assert [entry["Key"] for entry in listed] == [
        f"org/evidence/{sealed.blob_id[:2]}/{sealed.blob_id}"
    ]
    assert listed[0]["Size"] == 1 + 12 + len(SECRET) + 16


def test_the_bucket_listing_ignores_other_prefixes_and_stray_keys(
    bucket: ObjectVault, s3_endpoint: S3Endpoint, key: bytes
) -> None:
    sealed = bucket.store(key, b"kept")
    client = s3_endpoint.client()
    for stray in [
        "other/evidence/ab/" + "ab" * 16,  # another deployment's prefix
        "org/evidence/notes.txt",
        f"org/evidence/zz/{'0' * 32}",  # a blob id in the wrong shard
        f"org/evidence/{sealed.blob_id[:2]}/{sealed.blob_id}.bak",
    ]:
        client.put_object(Bucket=bucket.bucket, Key=stray, Body=b"not a blob")
    assert list(bucket.blob_ids()) == [sealed.blob_id]
    assert bucket.remove_temporaries() == 0


def test_the_bucket_listing_can_leave_out_blobs_stored_moments_ago(
    bucket: ObjectVault, clock: Clock, key: bytes
) -> None:
    stored = {bucket.store(key, bytes([n])).blob_id for n in range(3)}
    assert list(bucket.blob_ids(older_than=600)) == []
    clock.offset = 3600  # an hour later
    assert set(bucket.blob_ids(older_than=600)) == stored


def test_the_bucket_listing_pages_through_more_than_a_thousand_blobs(
    s3_endpoint: S3Endpoint, key: bytes
) -> None:
    store = ObjectVault(s3_endpoint.client(), s3_endpoint.new_bucket())
    client = s3_endpoint.client()
    ids = [f"{n:032x}" for n in range(1005)]
    for blob_id in ids:
        store.write_sealed(blob_id, b"x")
    assert sorted(store.blob_ids()) == ids
    assert client.list_objects_v2(Bucket=store.bucket)["IsTruncated"]


def test_a_failed_put_stores_nothing_and_raises(s3_endpoint: S3Endpoint, key: bytes) -> None:
    missing = ObjectVault(s3_endpoint.client(), "no-such-bucket-here")
    with pytest.raises(Exception, match="NoSuchBucket"):
        missing.store(key, SECRET)
    with pytest.raises(Exception, match=r"404|Not Found|NoSuchBucket"):
        missing.ready()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://evidence", ("evidence", "")),
        ("s3://evidence/", ("evidence", "")),
        ("s3://evidence/org/vault/", ("evidence", "org/vault")),
    ],
)
def test_vault_urls_name_a_bucket_and_prefix(url: str, expected: tuple[str, str]) -> None:
    assert parse_vault_url(url) == expected


@pytest.mark.parametrize("url", ["evidence", "http://evidence/x", "s3:///x", "s3://b/x?y=1"])
def test_anything_but_an_s3_url_is_refused(url: str) -> None:
    with pytest.raises(InvalidVaultUrl):
        parse_vault_url(url)
