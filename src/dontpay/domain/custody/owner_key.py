"""The person's own wrapping of their report's data key, derived from their passphrase.

Until a report is sent, this is the only wrapping its data key has, so nobody without the
passphrase can read the record: not staff, and not someone holding the database and the
organisation's master key. The key-encryption key is argon2id of the passphrase with a random
salt per report (RFC 9106's second recommended parameters: 64 MiB, 3 passes), so each guess
costs an attacker the same memory-hard work the server spends on one sign-in. A successful
unwrap (AES-GCM authenticates it) is also the passphrase check: no separate hash is kept.
"""

import os

from argon2.low_level import Type, hash_secret_raw

from .envelope import KEY_BYTES, DecryptionFailed, unwrap_data_key, wrap_data_key

SALT_BYTES = 16
#: argon2id parameters (RFC 9106, section 4, second recommended option).
TIME_COST = 3
MEMORY_COST_KIB = 64 * 1024
PARALLELISM = 4


class WrongPassphrase(Exception):
    """The passphrase does not unwrap this report's data key."""


def passphrase_key(passphrase: str, salt: bytes) -> bytes:
    """The 256-bit key-encryption key for `passphrase` (already normalised) and `salt`."""
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=TIME_COST,
        memory_cost=MEMORY_COST_KIB,
        parallelism=PARALLELISM,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def wrap_for_owner(data_key: bytes, passphrase: str, report_id: str) -> bytes:
    """`data_key` wrapped by the passphrase's key and bound to `report_id`: salt + wrapped."""
    salt = os.urandom(SALT_BYTES)
    return salt + wrap_data_key(passphrase_key(passphrase, salt), data_key, report_id)


def unwrap_for_owner(wrapped: bytes, passphrase: str, report_id: str) -> bytes:
    """The data key that `wrap_for_owner` wrapped, or `WrongPassphrase`.

    Always spends one full key derivation, also for a malformed `wrapped`, so a wrong guess
    takes as long as a right one.
    """
    salt = wrapped[:SALT_BYTES].ljust(SALT_BYTES, b"\0")
    key = passphrase_key(passphrase, salt)
    try:
        return unwrap_data_key(key, wrapped[SALT_BYTES:], report_id)
    except DecryptionFailed as error:
        raise WrongPassphrase from error
