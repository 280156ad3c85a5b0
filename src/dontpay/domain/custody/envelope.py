"""AES-256-GCM envelope encryption: evidence is sealed with a per-report data key, and that data
key is stored only wrapped (encrypted) by the organisation key.

A per-report key means one report can be destroyed by forgetting its key, and the organisation
key never touches evidence directly. Associated data binds each ciphertext to where it belongs
(a wrapped key to its report, a blob to its id), so ciphertexts cannot be swapped around unseen.
"""

import os
from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
#: The first byte of a sealed blob, so the format can change without guessing.
VERSION = b"\x01"
_HEADER_BYTES = len(VERSION) + NONCE_BYTES


class DecryptionFailed(Exception):
    """The key or associated data is wrong, or the ciphertext was changed or cut short."""


def new_data_key() -> bytes:
    """A fresh random 256-bit key for one report's evidence."""
    return os.urandom(KEY_BYTES)


def wrap_data_key(organisation_key: bytes, data_key: bytes, report_id: str) -> bytes:
    """Encrypt `data_key` under the organisation key, bound to `report_id`: nonce + ciphertext."""
    _check_key(data_key, "data key")
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(organisation_key).encrypt(nonce, data_key, report_id.encode("utf-8"))


def unwrap_data_key(organisation_key: bytes, wrapped: bytes, report_id: str) -> bytes:
    """The data key wrapped by `wrap_data_key` for this report, or `DecryptionFailed`."""
    try:
        cipher = _cipher(organisation_key)
        nonce, ciphertext = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
        data_key = cipher.decrypt(nonce, ciphertext, report_id.encode("utf-8"))
    except (InvalidTag, ValueError, OverflowError) as error:
        raise DecryptionFailed(f"cannot unwrap the data key of report {report_id!r}") from error
    if len(data_key) != KEY_BYTES:
        raise DecryptionFailed(f"the wrapped key of report {report_id!r} is not {KEY_BYTES} bytes")
    return data_key


def encrypt(data_key: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    """Seal `plaintext`: version byte + 12-byte random nonce + ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + _cipher(data_key).encrypt(nonce, plaintext, associated_data)


def encrypt_in_pieces(
    data_key: bytes, plaintext: bytes, associated_data: bytes, piece_bytes: int = 1024 * 1024
) -> Iterator[bytes | memoryview]:
    """What `encrypt` returns, in pieces, for writing a large blob to disk as it is encrypted.

    One buffer of `piece_bytes` is reused for every piece of ciphertext, so sealing a 500 MB
    video needs no second 500 MB: write (or copy) each piece before asking for the next.
    """
    _check_key(data_key, "key")
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(data_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    yield VERSION + nonce
    buffer = bytearray(piece_bytes + 15)  # update_into wants room for a block more than given
    source = memoryview(plaintext)
    for start in range(0, len(source), piece_bytes):
        written = encryptor.update_into(source[start : start + piece_bytes], buffer)
        yield memoryview(buffer)[:written]
    encryptor.finalize()
    yield encryptor.tag


def decrypt(data_key: bytes, sealed: bytes, associated_data: bytes) -> bytes:
    """Open a blob sealed by `encrypt`, or raise `DecryptionFailed`."""
    if len(sealed) < _HEADER_BYTES + TAG_BYTES:
        raise DecryptionFailed("sealed data is too short")
    if sealed[: len(VERSION)] != VERSION:
        raise DecryptionFailed(f"unknown sealed format version {sealed[0]}")
    try:
        cipher = _cipher(data_key)
        nonce = sealed[len(VERSION) : _HEADER_BYTES]
        return cipher.decrypt(nonce, memoryview(sealed)[_HEADER_BYTES:], associated_data)
    except (InvalidTag, ValueError, OverflowError) as error:
        raise DecryptionFailed("wrong key or associated data, or the data was changed") from error


def _cipher(key: bytes) -> AESGCM:
    _check_key(key, "key")
    return AESGCM(key)


def _check_key(key: bytes, what: str) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"{what} must be {KEY_BYTES} bytes, not {len(key)}")
