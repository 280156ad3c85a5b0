"""The report pack: a ZIP that a person, police or a platform can check offline.

It holds the report's files as given (``report.pdf``, ``report.json``, ``custody.jsonl``,
``evidence/…``) plus three of its own: ``manifest.json`` lists the SHA-256 of every other file,
``manifest.sig`` is the organisation's raw Ed25519 signature of manifest.json's exact bytes, and
``public_key.pem`` is the key to check it with. A cluster referral pack is the same bundle with
other members (``referral.json``, ``referral.pdf``, one ``reports/<reference>/custody.jsonl`` per
sent report). So any change to any file is detectable with
``unzip``, ``sha256sum`` and ``openssl`` alone (docs/report-pack.md shows how). The embedded key
only proves the pack is whole; that it came from the organisation takes a trusted copy of its key.

Packs are built in memory, deterministically (sorted names, fixed timestamps), and verified in
memory: nothing is ever extracted to disk, and declared sizes are checked before reading so that
a hostile ZIP cannot exhaust memory or time.
"""

import hashlib
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..bounded_json import load_json
from .chain import InvalidEvent, event_from_json, verify_chain
from .keys import OrganisationKeys

FORMAT = "dontpay-report-pack/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
CUSTODY = "custody.jsonl"
#: Written by `build_pack` itself, so a member may not use these names.
PACK_FILES = (MANIFEST, SIGNATURE, PUBLIC_KEY)
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
#: Members smaller than this are not checked for their compression ratio.
RATIO_CHECKED_FROM_BYTES = 10 * 1024**2
_MAX_PACK_FILE_BYTES = {MANIFEST: 64 * 1024**2, SIGNATURE: 64, PUBLIC_KEY: 4096}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
#: Formats that are compressed already: deflating them again costs time and saves nothing.
_STORED_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic", ".heif", ".pdf", ".mp4", ".mov"}
    | {".m4v", ".webm", ".mp3", ".m4a", ".zip", ".gz"}
)
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: What `zipfile` raises on a damaged or hostile archive. It raises NotImplementedError (an
#: exception, not unfinished code here) for compression methods it cannot read.
_UNREADABLE_ZIP: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    ValueError,
    EOFError,
    OSError,
)
_CHUNK_BYTES = 1024 * 1024


class InvalidPackMember(ValueError):
    """A member cannot go in a pack: an unsafe or clashing name, or a broken custody chain."""


@dataclass(frozen=True)
class PackVerification:
    """The outcome of `verify_pack`: `problem` names the first discrepancy found, if any."""

    valid: bool
    items: int
    problem: str | None


class _Refused(Exception):
    """Raised inside `verify_pack` at the first problem; it becomes the result's `problem`."""

    def __init__(self, problem: str, items: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.items = items


def build_pack(members: Mapping[str, bytes], keys: OrganisationKeys) -> bytes:
    """A signed pack of `members` (name: contents), as the bytes of a ZIP file.

    Raises `InvalidPackMember` for a name that is unsafe, clashes with another or with one of
    `PACK_FILES`, or for a ``custody.jsonl`` (in any folder) whose chain does not verify: the
    organisation's signature must never vouch for a broken history.
    """
    names = sorted(members)
    seen = {_name_key(name) for name in PACK_FILES}
    for name in names:
        if reason := unsafe_name_reason(name):
            raise InvalidPackMember(f"{_shown(name)}: unsafe member name ({reason})")
        if _name_key(name) in seen:
            raise InvalidPackMember(f"{_shown(name)}: clashes with another file in the pack")
        seen.add(_name_key(name))
    for name in custody_members(names):
        if problem := custody_problem(members[name]):
            raise InvalidPackMember(f"{_shown(name)}: {problem}")
    manifest = manifest_bytes({name: hashlib.sha256(members[name]).hexdigest() for name in names})
    pack_files = {
        MANIFEST: manifest,
        SIGNATURE: keys.signing_key.sign(manifest),
        PUBLIC_KEY: keys.public_key_pem(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [*pack_files.items(), *((name, members[name]) for name in names)]:
            archive.writestr(_entry(name, len(data)), data)
    return buffer.getvalue()


def manifest_bytes(files: Mapping[str, str]) -> bytes:
    """manifest.json for these SHA-256 hex digests: sorted keys, indent 2, trailing newline."""
    manifest = {"format": FORMAT, "algorithm": "sha256", "files": dict(files)}
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def verify_pack(data: bytes, trusted_public_key_pem: bytes | None = None) -> PackVerification:
    """Check a pack: ZIP structure, key, signature, every file's hash, and the custody chain.

    Without `trusted_public_key_pem` this proves the pack is whole and was signed by the key it
    carries; with it, also that the key is the organisation's. Raises `ValueError` only if the
    trusted key itself is not an Ed25519 public key in PEM form.
    """
    trusted = None if trusted_public_key_pem is None else _load_public_key(trusted_public_key_pem)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _UNREADABLE_ZIP:
        return PackVerification(valid=False, items=0, problem="not a ZIP file")
    try:
        with archive:
            items = _verify_archive(archive, trusted)
    except _Refused as refused:
        return PackVerification(valid=False, items=refused.items, problem=refused.problem)
    return PackVerification(valid=True, items=items, problem=None)


def unsafe_name_reason(name: str) -> str | None:
    """Why `name` is unsafe as a member name, or ``None``.

    A name must be a relative POSIX path with no ``..`` part, backslash, drive letter, empty or
    ``.`` part, or control or invisible character, so extracting a pack with any tool writes
    only inside the chosen folder. ``..`` inside a part (``photo..png``) is harmless and allowed:
    people's own file names have it.
    """
    if not name:
        return "empty"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "absolute"
    if ".." in name.split("/"):
        return 'has a ".." part'
    if "\\" in name:
        return "contains a backslash"
    if not name.isprintable():
        return "contains a control or invisible character"
    if any(part in ("", ".") for part in name.split("/")):
        return 'has an empty or "." part'
    return None


def custody_members(names: Iterable[str]) -> list[str]:
    """The members that are custody chains: ``custody.jsonl`` in any folder, so a pack of
    several reports (a cluster referral) carries one chain per report, each checked."""
    return sorted(name for name in names if name.rsplit("/", 1)[-1] == CUSTODY)


def custody_problem(data: bytes) -> str | None:
    """The first problem with a ``custody.jsonl`` file's chain, or ``None`` if it verifies."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    events = []
    for number, line in enumerate(lines, start=1):
        try:
            events.append(event_from_json(line))
        except InvalidEvent as error:
            return f"line {number}: {error}"
    problems = verify_chain(events)
    return problems[0] if problems else None


def _verify_archive(archive: zipfile.ZipFile, trusted: Ed25519PublicKey | None) -> int:
    infos = archive.infolist()
    _check_structure(infos)
    by_name = {info.filename: info for info in infos}
    for name in PACK_FILES:
        if name not in by_name:
            raise _Refused(f"{name}: missing from the pack")
    public_key = _pack_public_key(_read_pack_file(archive, by_name[PUBLIC_KEY]))
    if trusted is not None and _raw(public_key) != _raw(trusted):
        raise _Refused(f"{PUBLIC_KEY}: not the trusted key")
    manifest = _read_pack_file(archive, by_name[MANIFEST])
    try:
        public_key.verify(_read_pack_file(archive, by_name[SIGNATURE]), manifest)
    except InvalidSignature:
        suspects = MANIFEST if trusted is not None else f"{MANIFEST} and {PUBLIC_KEY}"
        raise _Refused(f"{SIGNATURE}: signature does not match {suspects}") from None
    files = _parse_manifest(manifest)
    items = len(files)
    for info in infos:
        if info.filename not in files and info.filename not in PACK_FILES:
            raise _Refused(f"{_shown(info.filename)}: not listed in the manifest", items)
    for name in files:
        if name not in by_name:
            raise _Refused(f"{_shown(name)}: listed in the manifest but missing", items)
    for info in infos:
        if info.filename in files and _sha256(archive, info) != files[info.filename]:
            raise _Refused(f"{_shown(info.filename)}: sha256 does not match the manifest", items)
    for name in custody_members(files):
        if problem := custody_problem(_read(archive, by_name[name])):
            raise _Refused(f"{_shown(name)}: {problem}", items)
    return items


def _check_structure(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse unsafe or repeated names, encrypted members, and sizes that look like a zip bomb,
    all from the central directory, before anything is decompressed."""
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if reason := unsafe_name_reason(name):
            raise _Refused(f"{_shown(name)}: unsafe member name ({reason})")
        if _name_key(name) in seen:
            raise _Refused(f"{_shown(name)}: appears more than once in the ZIP")
        seen.add(_name_key(name))
        if info.flag_bits & 0x1:
            raise _Refused(f"{_shown(name)}: encrypted members are not allowed")
        if (
            info.file_size > RATIO_CHECKED_FROM_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * info.compress_size
        ):
            raise _Refused(f"{_shown(name)}: compressed more than {MAX_COMPRESSION_RATIO} to 1")
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _Refused(f"pack is too large: {total} bytes uncompressed, over the 2 GiB limit")


def _pack_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = _load_public_key(pem)
    except ValueError as error:
        raise _Refused(f"{PUBLIC_KEY}: {error}") from None
    if pem != key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise _Refused(f"{PUBLIC_KEY}: not in the exact form dontpay writes")
    return key


def _load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key in PEM form")
    return key


def _parse_manifest(manifest: bytes) -> dict[str, str]:
    try:
        data: Any = load_json(manifest)
    except (UnicodeDecodeError, ValueError):
        raise _Refused(f"{MANIFEST}: not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Refused(f"{MANIFEST}: format is not {FORMAT}")
    if data.get("algorithm") != "sha256":
        raise _Refused(f"{MANIFEST}: algorithm is not sha256")
    files = data.get("files")
    if not isinstance(files, dict):
        raise _Refused(f"{MANIFEST}: files is not an object")
    for name, digest in files.items():
        if unsafe_name_reason(name) or name in PACK_FILES:
            raise _Refused(f"{MANIFEST}: lists an unsafe name {_shown(name)}")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise _Refused(f"{MANIFEST}: the sha256 of {_shown(name)} is not 64 hex characters")
    return files


def _read_pack_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > _MAX_PACK_FILE_BYTES[info.filename]:
        raise _Refused(f"{info.filename}: too large ({info.file_size} bytes)")
    return _read(archive, info)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    return b"".join(_chunks(archive, info))


def _sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(archive, info):
        digest.update(chunk)
    return digest.hexdigest()


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, a chunk at a time; a damaged member (bad CRC, bad deflate data, a
    local header that disagrees with the directory) is refused by name."""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK_BYTES):
                yield chunk
    except _UNREADABLE_ZIP as error:
        raise _Refused(f"{_shown(info.filename)}: damaged in the ZIP ({error})") from None


def _entry(name: str, size: int) -> zipfile.ZipInfo:
    """A member's ZIP header. Large members are stored, never deflated, so a genuine pack can
    never trip the compression-ratio check that `verify_pack` applies to bombs."""
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.create_system = 3  # Unix, wherever the pack is built
    info.external_attr = 0o100644 << 16
    stored = (
        PurePosixPath(name).suffix.lower() in _STORED_SUFFIXES or size >= RATIO_CHECKED_FROM_BYTES
    )
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _name_key(name: str) -> str:
    """Names that one filesystem or another would treat as the same file compare equal."""
    return unicodedata.normalize("NFC", name).casefold()


def _shown(name: str) -> str:
    return name if name.isprintable() else repr(name)


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
