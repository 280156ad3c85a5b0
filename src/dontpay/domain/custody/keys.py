"""The organisation's keys, all derived from one 32-byte master secret.

One secret is one thing to back up and one thing to guard: losing it loses every report, so it
lives either in the environment (`DONTPAY_MASTER_KEY`, base64) or in `master.key` in the data
directory, created on first run and readable by its owner only. The AES key and the Ed25519 seed
come from it through HKDF with distinct labels, so neither key reveals the other.
"""

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .durable import fsync_directory, write_all

MASTER_KEY_BYTES = 32
MASTER_KEY_FILE = "master.key"
MASTER_KEY_VARIABLE = "DONTPAY_MASTER_KEY"
ENCRYPTION_KEY_INFO = b"dontpay encryption key v1"
SIGNING_KEY_INFO = b"dontpay signing key v1"
_HOW_TO_MAKE_ONE = (
    "make one with: "
    "python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'"
)


class InvalidMasterKey(ValueError):
    """The master secret given, or found on disk, cannot be used safely."""


@dataclass(frozen=True)
class OrganisationKeys:
    """The key that wraps reports' data keys, and the key that signs packs and custody heads."""

    encryption_key: bytes = field(repr=False)
    signing_key: Ed25519PrivateKey = field(repr=False)

    def public_key_pem(self) -> bytes:
        """The signing key's public half, as a SubjectPublicKeyInfo PEM block."""
        return self.signing_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def public_key_fingerprint(self) -> str:
        """SHA-256 (hex) of the raw 32-byte public key: what recipients compare out of band."""
        raw = self.signing_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return hashlib.sha256(raw).hexdigest()


def load_organisation_keys(data_dir: Path, master_key: str | None) -> OrganisationKeys:
    """The keys from `master_key` (base64, the value of `DONTPAY_MASTER_KEY`) if it is set and
    not empty, else from `data_dir/master.key`, which is created on first run.

    Raises `InvalidMasterKey` for bad base64, a secret that is not 32 bytes, or a key file other
    users can read or write.
    """
    secret = _decode_master_key(master_key) if master_key else _read_or_create(data_dir)
    return derive_organisation_keys(secret)


def derive_organisation_keys(master_secret: bytes) -> OrganisationKeys:
    """Both keys from the 32-byte master secret, by HKDF-SHA256 with a label for each."""
    if len(master_secret) != MASTER_KEY_BYTES:
        raise InvalidMasterKey(f"the master secret must be {MASTER_KEY_BYTES} bytes")
    return OrganisationKeys(
        encryption_key=_derive(master_secret, ENCRYPTION_KEY_INFO),
        signing_key=Ed25519PrivateKey.from_private_bytes(_derive(master_secret, SIGNING_KEY_INFO)),
    )


def _derive(master_secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master_secret)


def _decode_master_key(value: str) -> bytes:
    try:
        secret = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidMasterKey(
            f"{MASTER_KEY_VARIABLE} is not valid base64; {_HOW_TO_MAKE_ONE}"
        ) from error
    if len(secret) != MASTER_KEY_BYTES:
        raise InvalidMasterKey(
            f"{MASTER_KEY_VARIABLE} decodes to {len(secret)} bytes, not {MASTER_KEY_BYTES}; "
            f"{_HOW_TO_MAKE_ONE}"
        )
    return secret


def _read_or_create(data_dir: Path) -> bytes:
    path = data_dir / MASTER_KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    _create(path)
    return _read(path)


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise InvalidMasterKey(f"{path} is not a regular file")
        if status.st_mode & 0o077:
            raise InvalidMasterKey(
                f"{path} has permissions {stat.S_IMODE(status.st_mode):04o}, so other users may "
                f"read or change it; run: chmod 600 {path}"
            )
        secret = os.read(fd, MASTER_KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(secret) != MASTER_KEY_BYTES:
        raise InvalidMasterKey(
            f"{path} is not {MASTER_KEY_BYTES} bytes long; restore it from your backup"
        )
    return secret


def _create(path: Path) -> None:
    """Write a new secret so that `path` either does not exist or holds all 32 bytes.

    The secret goes to a private temporary file first, then is hard-linked to its name: a crash
    leaves no half-written key, and when two processes start at once (web server and worker)
    the loser of the race reads the winner's key instead of making a second one.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        try:
            write_all(fd, secrets.token_bytes(MASTER_KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_directory(path.parent)
