"""Organisation keys: one master secret, from the environment or a private file made on first
run, and refused loudly whenever it could be wrong or exposed."""

import base64
import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dontpay.domain.custody import InvalidMasterKey, OrganisationKeys, load_organisation_keys

from .conftest import MASTER_KEY, OTHER_MASTER_KEY


def raw_private(keys: OrganisationKeys) -> bytes:
    return keys.signing_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def test_first_run_creates_a_private_32_byte_key_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    load_organisation_keys(data_dir, None)
    path = data_dir / "master.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) == 32
    assert sorted(os.listdir(data_dir)) == ["master.key"]


def test_key_file_is_reused(tmp_path: Path) -> None:
    first = load_organisation_keys(tmp_path, None)
    secret = (tmp_path / "master.key").read_bytes()
    second = load_organisation_keys(tmp_path, None)
    assert (tmp_path / "master.key").read_bytes() == secret
    assert same(second, first)


def test_separate_data_dirs_get_separate_keys(tmp_path: Path) -> None:
    first = load_organisation_keys(tmp_path / "a", None)
    second = load_organisation_keys(tmp_path / "b", None)
    assert first.encryption_key != second.encryption_key


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    fingerprints: list[str] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        fingerprints.append(load_organisation_keys(tmp_path, None).public_key_fingerprint())

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fingerprints) == 8
    assert len(set(fingerprints)) == 1
    assert sorted(os.listdir(tmp_path)) == ["master.key"]


def same(first: OrganisationKeys, second: OrganisationKeys) -> bool:
    return first.encryption_key == second.encryption_key and raw_private(first) == raw_private(
        second
    )


def test_master_key_from_the_environment_is_used_and_no_file_is_made(tmp_path: Path) -> None:
    from_env = load_organisation_keys(tmp_path, MASTER_KEY)
    assert not (tmp_path / "master.key").exists()
    assert same(load_organisation_keys(tmp_path / "elsewhere", MASTER_KEY), from_env)
    assert not same(load_organisation_keys(tmp_path, OTHER_MASTER_KEY), from_env)
    assert same(load_organisation_keys(tmp_path, f"  {MASTER_KEY}\n"), from_env)


def test_environment_key_wins_over_the_file(tmp_path: Path) -> None:
    from_file = load_organisation_keys(tmp_path, None)
    from_env = load_organisation_keys(tmp_path, MASTER_KEY)
    assert from_env.encryption_key != from_file.encryption_key


def test_the_two_keys_are_derived_apart_from_each_other_and_the_secret(tmp_path: Path) -> None:
    keys = load_organisation_keys(tmp_path, MASTER_KEY)
    secret = base64.b64decode(MASTER_KEY)
    assert len(keys.encryption_key) == 32
    assert len({keys.encryption_key, raw_private(keys), secret}) == 3


def test_public_key_pem_and_fingerprint(tmp_path: Path) -> None:
    keys = load_organisation_keys(tmp_path, MASTER_KEY)
    public_key = serialization.load_pem_public_key(keys.public_key_pem())
    assert isinstance(public_key, Ed25519PublicKey)
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert keys.public_key_fingerprint() == hashlib.sha256(raw).hexdigest()
    assert keys.public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----\n")


def test_keys_do_not_show_their_secrets_in_repr(tmp_path: Path) -> None:
    keys = load_organisation_keys(tmp_path, MASTER_KEY)
    assert keys.encryption_key.hex() not in repr(keys)
    assert repr(keys.encryption_key) not in repr(keys)


@pytest.mark.parametrize("value", ["not base64!", "AAAA*AAA", "ü" * 44, "QUJ"])
def test_bad_base64_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(InvalidMasterKey, match="DONTPAY_MASTER_KEY is not valid base64"):
        load_organisation_keys(tmp_path, value)


@pytest.mark.parametrize("length", [1, 16, 31, 33, 64])
def test_a_master_key_of_the_wrong_length_is_refused(tmp_path: Path, length: int) -> None:
    value = base64.b64encode(b"k" * length).decode()
    with pytest.raises(InvalidMasterKey, match=f"decodes to {length} bytes, not 32"):
        load_organisation_keys(tmp_path, value)
    assert not (tmp_path / "master.key").exists()


def test_invalid_master_key_is_a_value_error() -> None:
    assert issubclass(InvalidMasterKey, ValueError)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o666])
def test_a_key_file_other_users_can_reach_is_refused(tmp_path: Path, mode: int) -> None:
    load_organisation_keys(tmp_path, None)
    (tmp_path / "master.key").chmod(mode)
    with pytest.raises(InvalidMasterKey, match="chmod 600"):
        load_organisation_keys(tmp_path, None)


def test_an_owner_read_only_key_file_is_accepted(tmp_path: Path) -> None:
    first = load_organisation_keys(tmp_path, None)
    (tmp_path / "master.key").chmod(0o400)
    assert same(load_organisation_keys(tmp_path, None), first)


@pytest.mark.parametrize("length", [0, 16, 31, 33])
def test_a_key_file_of_the_wrong_length_is_refused(tmp_path: Path, length: int) -> None:
    path = tmp_path / "master.key"
    path.write_bytes(b"k" * length)
    path.chmod(0o600)
    with pytest.raises(InvalidMasterKey, match="not 32 bytes long"):
        load_organisation_keys(tmp_path, None)
    assert path.read_bytes() == b"k" * length


def test_a_key_file_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "master.key").mkdir(mode=0o700)
    with pytest.raises(InvalidMasterKey, match="not a regular file"):
        load_organisation_keys(tmp_path, None)
