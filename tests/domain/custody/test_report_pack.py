"""Report packs: what is built verifies, and any change to any file of a pack, or to the pack's
shape, is refused with a problem that names the file."""

import hashlib
import io
import json
import warnings
import zipfile
from collections.abc import Callable, Mapping

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.domain.custody import (
    CustodyEvent,
    InvalidPackMember,
    OrganisationKeys,
    PackVerification,
    build_pack,
    verify_pack,
)
from dontpay.domain.custody import report_pack as report_pack_module
from dontpay.domain.custody.keys import derive_organisation_keys

from .conftest import jsonl

PACK_FILES = ("manifest.json", "manifest.sig", "public_key.pem")


@pytest.fixture
def members(chain: list[CustodyEvent]) -> dict[str, bytes]:
    return {
        "report.pdf": b"%PDF-1.7\n% a small stand-in for the rendered report\n%%EOF\n",
        "report.json": b'{"reference": "DP-7KQ2-M9XA", "format": "dontpay-report/1"}\n',
        "custody.jsonl": jsonl(chain),
        "evidence/01-screenshot.png": b"\x89PNG\r\n\x1a\n" + bytes(range(64)),
        "evidence/02-chat export.txt": "12/03 21:04 pay me or else \u2013 Zo\u00eb\n".encode(),
    }


@pytest.fixture
def pack(members: dict[str, bytes], keys: OrganisationKeys) -> bytes:
    return build_pack(members, keys)


def contents(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(files: Mapping[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """A plain ZIP of these files, in this order, built without any of build_pack's checks."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; we want them
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items() if isinstance(files, Mapping) else files:
                archive.writestr(name, data)
    return buffer.getvalue()


def rebuilt(pack: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    files = contents(pack)
    change(files)
    return zipped(files)


def signed_by(keys: OrganisationKeys, members: Mapping[str, bytes]) -> bytes:
    """A pack signed by `keys` exactly as build_pack would, but skipping its checks."""
    manifest = report_pack_module.manifest_bytes(
        {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    )
    return zipped(
        {
            "manifest.json": manifest,
            "manifest.sig": keys.signing_key.sign(manifest),
            "public_key.pem": keys.public_key_pem(),
            **members,
        }
    )


def refused(result: PackVerification) -> str:
    assert not result.valid
    assert result.problem is not None
    return result.problem


def test_a_built_pack_verifies(pack: bytes, keys: OrganisationKeys) -> None:
    assert verify_pack(pack) == PackVerification(valid=True, items=5, problem=None)
    assert verify_pack(pack, keys.public_key_pem()) == PackVerification(True, 5, None)


def test_a_pack_holds_the_members_and_its_own_three_files(
    pack: bytes, members: dict[str, bytes], keys: OrganisationKeys
) -> None:
    files = contents(pack)
    assert sorted(files) == sorted([*members, *PACK_FILES])
    assert {name: files[name] for name in members} == members
    assert files["public_key.pem"] == keys.public_key_pem()


def test_the_manifest_lists_every_member_by_sha256(pack: bytes, members: dict[str, bytes]) -> None:
    manifest = contents(pack)["manifest.json"]
    expected = {
        "format": "dontpay-report-pack/1",
        "algorithm": "sha256",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    assert json.loads(manifest) == expected
    assert manifest == (json.dumps(expected, sort_keys=True, indent=2) + "\n").encode()


def test_the_signature_is_raw_ed25519_over_the_exact_manifest_bytes(pack: bytes) -> None:
    files = contents(pack)
    public_key = serialization.load_pem_public_key(files["public_key.pem"])
    assert isinstance(public_key, Ed25519PublicKey)
    assert len(files["manifest.sig"]) == 64
    public_key.verify(files["manifest.sig"], files["manifest.json"])


def test_packs_are_deterministic(members: dict[str, bytes], keys: OrganisationKeys) -> None:
    reordered = dict(reversed(list(members.items())))
    assert build_pack(members, keys) == build_pack(reordered, keys)
    with zipfile.ZipFile(io.BytesIO(build_pack(members, keys))) as archive:
        names = [info.filename for info in archive.infolist()]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert names == [*PACK_FILES, *sorted(members)]


def test_an_empty_pack_is_valid_with_no_items(keys: OrganisationKeys) -> None:
    assert verify_pack(build_pack({}, keys)) == PackVerification(True, 0, None)


@pytest.mark.parametrize(
    "name",
    [
        "report.pdf",
        "report.json",
        "custody.jsonl",
        "evidence/01-screenshot.png",
        "evidence/02-chat export.txt",
        "manifest.json",
        "manifest.sig",
        "public_key.pem",
    ],
)
@pytest.mark.parametrize("trusted", [False, True])
def test_every_flipped_byte_of_every_member_is_found_and_named(
    pack: bytes, keys: OrganisationKeys, name: str, trusted: bool
) -> None:
    original = contents(pack)[name]
    trusted_key = keys.public_key_pem() if trusted else None
    for position in range(len(original)):
        altered = bytearray(original)
        altered[position] ^= 0x01

        def alter(files: dict[str, bytes], altered: bytes = bytes(altered)) -> None:
            files[name] = altered

        problem = refused(verify_pack(rebuilt(pack, alter), trusted_key))
        assert name in problem, f"byte {position}: {problem}"


def test_rebuilding_without_changes_still_verifies(pack: bytes) -> None:
    assert verify_pack(rebuilt(pack, lambda files: None)).valid


def test_an_extra_member_is_refused(pack: bytes) -> None:
    def add(files: dict[str, bytes]) -> None:
        files["evidence/x.png"] = b"planted"

    problem = refused(verify_pack(rebuilt(pack, add)))
    assert problem == "evidence/x.png: not listed in the manifest"


def test_a_missing_member_is_refused(pack: bytes) -> None:
    result = verify_pack(rebuilt(pack, lambda files: files.pop("report.json") and None))
    assert result == PackVerification(False, 5, "report.json: listed in the manifest but missing")


@pytest.mark.parametrize("name", PACK_FILES)
def test_a_pack_missing_one_of_its_own_files_is_refused(pack: bytes, name: str) -> None:
    problem = refused(verify_pack(rebuilt(pack, lambda files: files.pop(name) and None)))
    assert problem == f"{name}: missing from the pack"


@pytest.mark.parametrize(
    "name",
    ["../evil", "evidence/../../evil", "/etc/passwd", "evidence\\evil.png", "C:/evil", "a//b"],
)
def test_unsafe_member_names_are_refused(pack: bytes, name: str) -> None:
    def add(files: dict[str, bytes]) -> None:
        files[name] = b"evil"

    problem = refused(verify_pack(rebuilt(pack, add)))
    assert problem.startswith(f"{name}: unsafe member name")


def test_a_name_that_appears_twice_is_refused(pack: bytes) -> None:
    files = list(contents(pack).items())
    twice = zipped([*files, ("report.json", b'{"reference": "someone else"}')])
    assert refused(verify_pack(twice)) == "report.json: appears more than once in the ZIP"
    case = zipped([*files, ("Report.json", b"{}")])
    assert refused(verify_pack(case)) == "Report.json: appears more than once in the ZIP"


@pytest.mark.parametrize("data", [b"", b"not a zip", b"%PDF-1.7\n", b"PK\x03\x04" + b"\0" * 40])
def test_something_that_is_not_a_zip_is_refused(data: bytes) -> None:
    assert verify_pack(data) == PackVerification(False, 0, "not a ZIP file")


FUZZ_PACK = build_pack(
    {"report.json": b"{}", "evidence/01-a.png": b"png", "notes.txt": b"text " * 50},
    derive_organisation_keys(bytes(32)),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaging_the_raw_zip_anywhere_never_crashes_the_check(data: st.DataObject) -> None:
    damaged = bytearray(FUZZ_PACK)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        position = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[position] = data.draw(st.integers(min_value=0, max_value=255))
    result = verify_pack(bytes(damaged))
    assert result.valid == (result.problem is None)


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_check(data: bytes) -> None:
    assert not verify_pack(b"PK\x03\x04" + data).valid


def test_a_truncated_pack_is_refused(pack: bytes) -> None:
    assert not verify_pack(pack[: len(pack) // 2]).valid
    assert not verify_pack(pack[:-1]).valid


def test_a_wrong_trusted_key_is_refused(pack: bytes, other_keys: OrganisationKeys) -> None:
    problem = refused(verify_pack(pack, other_keys.public_key_pem()))
    assert problem == "public_key.pem: not the trusted key"


def test_a_trusted_key_that_is_not_an_ed25519_pem_is_an_error(pack: bytes) -> None:
    with pytest.raises(ValueError, match="not an Ed25519 public key"):
        verify_pack(pack, b"-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n")


def test_a_pack_re_signed_by_someone_else_needs_the_trusted_key_to_be_caught(
    members: dict[str, bytes], keys: OrganisationKeys, other_keys: OrganisationKeys
) -> None:
    forged = build_pack({**members, "report.json": b'{"forged": true}\n'}, other_keys)
    assert verify_pack(forged).valid
    assert refused(verify_pack(forged, keys.public_key_pem())) == (
        "public_key.pem: not the trusted key"
    )


def test_a_signed_pack_with_a_broken_custody_chain_is_refused(
    members: dict[str, bytes], chain: list[CustodyEvent], keys: OrganisationKeys
) -> None:
    events = list(chain)
    events[2] = CustodyEvent(**{**events[2].__dict__, "actor": "someone else"})
    broken = signed_by(keys, {**members, "custody.jsonl": jsonl(events)})
    assert verify_pack(broken, keys.public_key_pem()) == PackVerification(
        False, 5, "custody.jsonl: event 3: hash does not match its contents"
    )
    unreadable = signed_by(keys, {**members, "custody.jsonl": b"not json\n"})
    assert refused(verify_pack(unreadable)).startswith("custody.jsonl: line 1: not JSON")
    empty = signed_by(keys, {**members, "custody.jsonl": b""})
    assert refused(verify_pack(empty)) == "custody.jsonl: chain is empty"


def test_a_custody_chain_in_a_folder_is_checked_too(
    members: dict[str, bytes], chain: list[CustodyEvent], keys: OrganisationKeys
) -> None:
    events = list(chain)
    events[1] = CustodyEvent(**{**events[1].__dict__, "kind": "deleted"})
    nested = {**members, "reports/DP-AAAA-AAAA/custody.jsonl": jsonl(events)}
    with pytest.raises(InvalidPackMember, match=r"^reports/DP-AAAA-AAAA/custody\.jsonl: event 2"):
        build_pack(nested, keys)
    assert verify_pack(signed_by(keys, nested)) == PackVerification(
        False, 6, "reports/DP-AAAA-AAAA/custody.jsonl: event 2: hash does not match its contents"
    )
    whole = {**members, "reports/DP-AAAA-AAAA/custody.jsonl": jsonl(chain)}
    assert verify_pack(build_pack(whole, keys)) == PackVerification(True, 6, None)


def test_a_pack_without_a_custody_chain_is_valid(
    members: dict[str, bytes], keys: OrganisationKeys
) -> None:
    del members["custody.jsonl"]
    assert verify_pack(build_pack(members, keys)) == PackVerification(True, 4, None)


def test_a_manifest_of_another_format_is_refused(
    members: dict[str, bytes], keys: OrganisationKeys
) -> None:
    manifest = json.dumps({"format": "something/2", "files": {}}).encode()
    pack = zipped(
        {
            "manifest.json": manifest,
            "manifest.sig": keys.signing_key.sign(manifest),
            "public_key.pem": keys.public_key_pem(),
        }
    )
    assert refused(verify_pack(pack)) == "manifest.json: format is not dontpay-report-pack/1"


def test_a_damaged_member_is_named(keys: OrganisationKeys) -> None:
    evidence = b"\x89PNG\r\n\x1a\n" + b"distinctive evidence bytes" * 4
    pack = bytearray(build_pack({"evidence/01-screenshot.png": evidence}, keys))
    start = pack.index(evidence)  # stored, not deflated: PNGs are compressed already
    pack[start + 20] ^= 0x01
    problem = refused(verify_pack(bytes(pack)))
    assert problem.startswith("evidence/01-screenshot.png: damaged in the ZIP")


def test_an_encrypted_member_is_refused(pack: bytes) -> None:
    data = bytearray(pack)
    entry = data.index(b"PK\x01\x02")  # the first central directory entry: manifest.json
    assert data[entry + 46 : entry + 46 + len(b"manifest.json")] == b"manifest.json"
    data[entry + 8] |= 0x1  # general purpose flag bit 0: encrypted
    problem = refused(verify_pack(bytes(data)))
    assert problem == "manifest.json: encrypted members are not allowed"


def test_a_highly_compressed_large_member_is_refused_as_a_zip_bomb(pack: bytes) -> None:
    def add(files: dict[str, bytes]) -> None:
        files["evidence/bomb.txt"] = bytes(11 * 1024 * 1024)

    problem = refused(verify_pack(rebuilt(pack, add)))
    assert problem == "evidence/bomb.txt: compressed more than 200 to 1"


def test_a_small_highly_compressed_member_is_fine(keys: OrganisationKeys) -> None:
    assert verify_pack(build_pack({"blank.txt": bytes(1024 * 1024)}, keys)).valid


def test_a_pack_too_large_when_uncompressed_is_refused(
    pack: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_pack_module, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert refused(verify_pack(pack)).startswith("pack is too large")


@pytest.mark.parametrize(
    "name",
    [
        "/report.pdf",
        "../report.pdf",
        "evidence/../../report.pdf",
        "evidence\\01.png",
        "",
        "evidence/",
        "evidence//01.png",
        "./report.pdf",
        "C:report.pdf",
        "evidence/01\n.png",
        "evidence/01\u200b.png",
        "manifest.json",
        "Manifest.JSON",
        "public_key.pem",
    ],
)
def test_build_refuses_unsafe_or_reserved_names(keys: OrganisationKeys, name: str) -> None:
    with pytest.raises(InvalidPackMember):
        build_pack({name: b"x"}, keys)
    assert issubclass(InvalidPackMember, ValueError)


def test_build_refuses_names_that_clash(keys: OrganisationKeys) -> None:
    with pytest.raises(InvalidPackMember, match="clashes"):
        build_pack({"report.json": b"{}", "Report.json": b"{}"}, keys)
    with pytest.raises(InvalidPackMember, match="clashes"):
        build_pack({"evidence/caf\u00e9.png": b"a", "evidence/cafe\u0301.png": b"b"}, keys)


def test_double_dots_inside_a_name_are_allowed(keys: OrganisationKeys) -> None:
    pack = build_pack({"evidence/01-photo..png": b"x", "evidence/02-...txt": b"y"}, keys)
    assert verify_pack(pack).valid


def test_build_refuses_a_broken_custody_chain(
    members: dict[str, bytes], chain: list[CustodyEvent], keys: OrganisationKeys
) -> None:
    with pytest.raises(
        InvalidPackMember, match=r"custody\.jsonl: event 2: sequence should be 2, not 3"
    ):
        build_pack({**members, "custody.jsonl": jsonl([chain[0], chain[2]])}, keys)


def test_a_large_very_compressible_member_still_verifies() -> None:
    """A 12 MB repetitive chat export would deflate past the bomb ratio; it is stored instead."""
    from dontpay.domain.custody.keys import derive_organisation_keys

    keys = derive_organisation_keys(bytes(32))
    pack = build_pack({"evidence/01-chat.txt": b"pay up " * 2_000_000}, keys)
    assert verify_pack(pack).valid
