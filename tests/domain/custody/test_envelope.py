"""Envelope encryption: what is sealed opens only with the same key and associated data, and
any change to the sealed bytes is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dontpay.domain.custody import (
    KEY_BYTES,
    DecryptionFailed,
    decrypt,
    encrypt,
    new_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from dontpay.domain.custody.envelope import encrypt_in_pieces

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def flipped(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_new_data_keys_are_32_random_bytes() -> None:
    keys = {new_data_key() for _ in range(100)}
    assert len(keys) == 100
    assert {len(key) for key in keys} == {KEY_BYTES} == {32}


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 4096, 1024 * 1024 + 3])
def test_encrypt_then_decrypt_round_trips(size: int) -> None:
    plaintext = bytes(index % 251 for index in range(size))
    sealed = encrypt(KEY, plaintext, b"blob-1")
    assert decrypt(KEY, sealed, b"blob-1") == plaintext


@given(
    plaintext=st.binary(max_size=300),
    associated_data=st.binary(max_size=40),
    piece_bytes=st.integers(min_value=1, max_value=64),
)
def test_encrypting_in_pieces_gives_what_decrypt_opens(
    plaintext: bytes, associated_data: bytes, piece_bytes: int
) -> None:
    pieces = encrypt_in_pieces(KEY, plaintext, associated_data, piece_bytes)
    sealed = b"".join(bytes(piece) for piece in pieces)
    assert len(sealed) == 1 + 12 + len(plaintext) + 16
    assert decrypt(KEY, sealed, associated_data) == plaintext


def test_encrypting_in_pieces_reuses_one_buffer() -> None:
    pieces = encrypt_in_pieces(KEY, bytes(5000), b"", piece_bytes=1000)
    next(pieces)
    first = next(pieces)
    assert isinstance(first, memoryview)
    second = next(pieces)
    assert isinstance(second, memoryview)
    assert first.obj is second.obj


def test_sealed_format_is_version_nonce_ciphertext_and_tag() -> None:
    sealed = encrypt(KEY, b"hello", b"")
    assert sealed[:1] == b"\x01"
    assert len(sealed) == 1 + 12 + len(b"hello") + 16


def test_each_encryption_uses_a_new_nonce() -> None:
    first, second = encrypt(KEY, b"same", b"ad"), encrypt(KEY, b"same", b"ad")
    assert first[1:13] != second[1:13]
    assert first != second


def test_wrong_key_is_refused() -> None:
    sealed = encrypt(KEY, b"evidence", b"ad")
    with pytest.raises(DecryptionFailed):
        decrypt(OTHER_KEY, sealed, b"ad")


def test_wrong_associated_data_is_refused() -> None:
    sealed = encrypt(KEY, b"evidence", b"blob-1")
    with pytest.raises(DecryptionFailed):
        decrypt(KEY, sealed, b"blob-2")


def test_every_flipped_byte_is_refused() -> None:
    sealed = encrypt(KEY, b"a short message", b"ad")
    for position in range(len(sealed)):
        with pytest.raises(DecryptionFailed):
            decrypt(KEY, flipped(sealed, position), b"ad")


def test_truncated_or_extended_data_is_refused() -> None:
    sealed = encrypt(KEY, b"a short message", b"ad")
    for length in range(len(sealed)):
        with pytest.raises(DecryptionFailed):
            decrypt(KEY, sealed[:length], b"ad")
    with pytest.raises(DecryptionFailed):
        decrypt(KEY, sealed + b"\x00", b"ad")


def test_a_key_of_the_wrong_length_cannot_encrypt_and_cannot_decrypt() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        encrypt(KEY[:16], b"x", b"")
    with pytest.raises(DecryptionFailed):
        decrypt(KEY[:16], encrypt(KEY, b"x", b""), b"")


def test_wrapped_data_key_unwraps_for_its_report() -> None:
    data_key = new_data_key()
    wrapped = wrap_data_key(KEY, data_key, "DP-7KQ2-M9XA")
    assert data_key not in wrapped
    assert len(wrapped) == 12 + 32 + 16
    assert unwrap_data_key(KEY, wrapped, "DP-7KQ2-M9XA") == data_key


def test_wrapped_data_key_cannot_move_to_another_report() -> None:
    wrapped = wrap_data_key(KEY, new_data_key(), "DP-7KQ2-M9XA")
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(KEY, wrapped, "DP-7KQ2-M9XB")


def test_wrapped_data_key_needs_the_organisation_key() -> None:
    wrapped = wrap_data_key(KEY, new_data_key(), "r")
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(OTHER_KEY, wrapped, "r")
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(KEY[:31], wrapped, "r")


def test_every_flipped_or_missing_byte_of_a_wrapped_key_is_refused() -> None:
    wrapped = wrap_data_key(KEY, new_data_key(), "r")
    for position in range(len(wrapped)):
        with pytest.raises(DecryptionFailed):
            unwrap_data_key(KEY, flipped(wrapped, position), "r")
        with pytest.raises(DecryptionFailed):
            unwrap_data_key(KEY, wrapped[:position], "r")


def test_only_32_byte_data_keys_are_wrapped() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        wrap_data_key(KEY, b"short", "r")
    not_a_key = b"\x00" * 12 + b"x"
    with pytest.raises(DecryptionFailed):
        unwrap_data_key(KEY, not_a_key, "r")
