"""The evidence vault: encrypted blobs on the filesystem, written atomically and durably.

A blob is written to a temporary file beside its final name, synced, renamed into place and its
directory synced, so after a crash a blob either exists whole or not at all. Temporary files
start with a dot and end in ``.tmp``; `blob_ids` never lists them, so the caller's orphan
sweeper (which removes blobs no database row names) cannot mistake a write in progress, or a
crashed one, for a blob. The caller writes its row only after `store` returns.
"""

import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .durable import fsync_directory, start_writeback, write_all
from .envelope import decrypt, encrypt_in_pieces

_BLOB_ID = re.compile(r"[0-9a-f]{32}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_TEMPORARY = re.compile(r"\.[0-9a-f]{32}\.[0-9a-f]{8}\.tmp")
#: Below this, starting a thread costs more than hashing alongside the write saves.
_HASH_ALONGSIDE_FROM = 1024 * 1024


class MissingBlob(LookupError):
    """No blob has this id (never stored, or removed)."""


class InvalidBlobId(ValueError):
    """Not a blob id: 32 lowercase hex characters. Refused before any path is built from it."""


@dataclass(frozen=True)
class SealedBlob:
    """A stored blob: its id, and the size and SHA-256 (hex) of its plaintext."""

    blob_id: str
    size: int
    sha256: str


class BlobStore(Protocol):
    """Where sealed blobs live: the folder `Vault` or the `ObjectVault` in S3. Blobs are
    encrypted in this process before either sees them, in one format."""

    def store(self, data_key: bytes, plaintext: bytes) -> SealedBlob: ...
    def store_many(self, data_key: bytes, plaintexts: Sequence[bytes]) -> list[SealedBlob]: ...
    def open(self, data_key: bytes, blob_id: str) -> bytes: ...
    def read_sealed(self, blob_id: str) -> bytes: ...
    def write_sealed(self, blob_id: str, sealed: bytes) -> None: ...
    def remove(self, blob_id: str) -> None: ...
    def blob_ids(self, *, older_than: float = 0.0) -> Iterator[str]: ...
    def remove_temporaries(self, *, older_than: float = 0.0) -> int: ...
    def ready(self) -> bool: ...


#: Blobs stored at once by `store_many`: enough to keep both cores and the disk busy.
STORE_WORKERS = 4


def check_blob_id(blob_id: object) -> None:
    """Raise `InvalidBlobId` for anything but 32 lower-case hex digits (never a path)."""
    if not isinstance(blob_id, str) or not _BLOB_ID.fullmatch(blob_id):
        raise InvalidBlobId(f"not a blob id: {blob_id!r}")


def is_blob_id(name: str) -> bool:
    """Whether a stored name is a blob id."""
    return _BLOB_ID.fullmatch(name) is not None


def store_concurrently(
    store: Callable[[bytes, bytes], SealedBlob], data_key: bytes, plaintexts: Sequence[bytes]
) -> list[SealedBlob]:
    """`store` each plaintext on up to `STORE_WORKERS` threads, returning blobs in order. When
    this returns every blob is stored; if any store fails, the others still complete (their
    blobs are swept later if nothing refers to them) and the first error is raised."""
    if len(plaintexts) <= 1:
        return [store(data_key, plaintext) for plaintext in plaintexts]
    workers = min(STORE_WORKERS, len(plaintexts))
    with ThreadPoolExecutor(workers, thread_name_prefix="vault") as pool:
        futures = [pool.submit(store, data_key, plaintext) for plaintext in plaintexts]
    return [future.result() for future in futures]


class Vault:
    """Blobs under `root`, sharded into subdirectories by the first two characters of the id."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def store(self, data_key: bytes, plaintext: bytes) -> SealedBlob:
        """Encrypt `plaintext` under `data_key` (the blob id is the associated data) and write it.

        When this returns, the blob is on disk and will survive a crash. Large blobs are hashed
        on another thread while this one encrypts and writes them a piece at a time.
        """
        blob_id = secrets.token_hex(16)
        sha256 = _sha256_alongside(plaintext)
        shard = self._shard(blob_id)
        temporary = shard / f".{blob_id}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            try:
                offset = 0
                for piece in encrypt_in_pieces(data_key, plaintext, blob_id.encode("ascii")):
                    write_all(fd, piece)
                    start_writeback(fd, offset, len(piece))
                    offset += len(piece)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, shard / blob_id)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        fsync_directory(shard)
        return SealedBlob(blob_id=blob_id, size=len(plaintext), sha256=sha256())

    def store_many(self, data_key: bytes, plaintexts: Sequence[bytes]) -> list[SealedBlob]:
        """`store` each plaintext, several at once, returning their blobs in the same order.

        Hashing, AES-GCM and fsync all release the GIL, so while one blob waits for the disk
        another is being encrypted (see `store_concurrently`).
        """
        return store_concurrently(self.store, data_key, plaintexts)

    def open(self, data_key: bytes, blob_id: str) -> bytes:
        """The plaintext of a blob; raises `MissingBlob`, or `DecryptionFailed` if it was altered,
        moved from another id, or sealed under another key."""
        try:
            sealed = self._path(blob_id).read_bytes()
        except FileNotFoundError:
            raise MissingBlob(blob_id) from None
        return decrypt(data_key, sealed, blob_id.encode("ascii"))

    def remove(self, blob_id: str) -> None:
        """Delete a blob for good; removing a blob that is already gone is not an error."""
        path = self._path(blob_id)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        fsync_directory(path.parent)

    def blob_ids(self, *, older_than: float = 0.0) -> Iterator[str]:
        """The ids of every complete blob, shard by shard; temporary files are never listed.

        An orphan sweeper should pass `older_than` (seconds): a blob stored moments ago may
        have no database row only because its caller has not written it yet.
        """
        cutoff = time.time() - older_than
        for shard in self._shards():
            with os.scandir(shard) as entries:  # closed before yielding: callers may dawdle
                blob_ids = [
                    entry.name
                    for entry in entries
                    if _BLOB_ID.fullmatch(entry.name)
                    and entry.name.startswith(shard.name)
                    and entry.is_file(follow_symlinks=False)
                    and not (older_than and _modified_after(entry, cutoff))
                ]
            yield from blob_ids

    def remove_temporaries(self, *, older_than: float = 0.0) -> int:
        """Delete temporary files left by writes that crashed, and say how many went.

        With the default, run it only while nothing is storing (at start-up, say), since a
        write in progress would lose its file. From a periodic job alongside writers, pass
        `older_than` (seconds): files modified more recently than that are left alone.
        """
        cutoff = time.time() - older_than
        removed = 0
        for shard in self._shards():
            with os.scandir(shard) as entries:
                leftovers = [entry for entry in entries if _TEMPORARY.fullmatch(entry.name)]
            for entry in leftovers:
                if older_than and _modified_after(entry, cutoff):
                    continue
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    continue
                removed += 1
        return removed

    def read_sealed(self, blob_id: str) -> bytes:
        """The stored ciphertext of a blob, as it is on disk (for backups)."""
        try:
            return self._path(blob_id).read_bytes()
        except FileNotFoundError:
            raise MissingBlob(blob_id) from None

    def write_sealed(self, blob_id: str, sealed: bytes) -> None:
        """Put back a blob's ciphertext under its id, as a backup holds it (for restores),
        as atomically and durably as `store` does."""
        self._path(blob_id)  # refuses anything but a blob id
        shard = self._shard(blob_id)
        temporary = shard / f".{blob_id}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            try:
                write_all(fd, sealed)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, shard / blob_id)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        fsync_directory(shard)

    def ready(self) -> bool:
        """Whether blobs can be written here: the folder exists (or can be made) and is
        writable."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return os.access(self.root, os.W_OK | os.X_OK)

    def _path(self, blob_id: str) -> Path:
        check_blob_id(blob_id)
        return self.root / blob_id[:2] / blob_id

    def _shard(self, blob_id: str) -> Path:
        """The directory for a new blob, created (and made durable) if it is new."""
        shard = self.root / blob_id[:2]
        if shard.is_dir():
            return shard
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            shard.mkdir(mode=0o700)
        except FileExistsError:
            return shard
        fsync_directory(self.root)
        return shard

    def _shards(self) -> list[Path]:
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        return sorted(
            Path(entry.path)
            for entry in entries
            if _SHARD.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
        )


def _modified_after(entry: os.DirEntry[str], cutoff: float) -> bool:
    """Whether the file was written after `cutoff`; a file that has just vanished counts, so
    that nobody acts on it."""
    try:
        return entry.stat(follow_symlinks=False).st_mtime > cutoff
    except FileNotFoundError:
        return True


def _sha256_alongside(data: bytes) -> Callable[[], str]:
    """Start hashing `data`; the function returned waits for the hex digest.

    hashlib releases the GIL while it hashes a large buffer, so on another thread the hash of
    a large blob costs no time on a machine with a core to spare.
    """
    if len(data) < _HASH_ALONGSIDE_FROM:
        digest = hashlib.sha256(data).hexdigest()
        return lambda: digest
    result: list[str] = []
    thread = threading.Thread(
        target=lambda: result.append(hashlib.sha256(data).hexdigest()), daemon=True
    )
    thread.start()

    def wait() -> str:
        thread.join()
        if not result:
            raise RuntimeError("hashing the blob failed")
        return result[0]

    return wait
