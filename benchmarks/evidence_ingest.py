"""Evidence ingest: how much of the speed of hashing and encrypting does the vault keep?

Claim: storing evidence the way an upload does (`Vault.store_many` on up to 10 files at once,
each SHA-256 + AES-256-GCM + an atomic, fsynced write to disk) keeps at least 0.70 of the
throughput of the bare work it cannot avoid: SHA-256 and AES-256-GCM of the same bytes in
memory, one file after another. The files are random (incompressible, like photos and video)
and read into memory before timing, so both sides start from the same bytes. Each side runs
`--runs` times, interleaved, and the best run counts.

A second baseline says what the disk allows: the same bytes written as the vault writes them
(temporary file, fsync, rename, fsync of the folder), 10 at a time, with no hashing or
encryption at all. No durable store can be faster than that, so when the disk alone is slower
than the in-memory baseline, the target cannot be met on that disk and the table says so.
CPU seconds (all threads) are printed beside wall time: they vary far less on a shared machine.

    uv run python benchmarks/evidence_ingest.py [--files 100] [--size-mb 2] [--runs 3] [--dir D]

`--dir` chooses where the files and the vault go (default: the system temporary directory);
point it at the disk the real vault will use, since fsync costs what that disk makes it cost.
"""

import argparse
import hashlib
import os
import platform
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from unittest import mock

import cryptography
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dontpay.domain.custody import Vault, new_data_key
from dontpay.domain.custody.vault import SealedBlob, store_concurrently

#: Files an upload page sends at most (see help/uploads.py), stored together by the vault.
UPLOAD_BATCH = 10

TARGET_RATIO = 0.70
DISK_ALONE = "disk alone: the same bytes written as the vault does, no crypto"
MB = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--size-mb", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dontpay-bench-", dir=args.dir) as work:
        root = Path(work)
        blobs = _make_files(root / "files", args.files, int(args.size_mb * MB))
        total_mb = sum(len(blob) for blob in blobs) / MB
        key = new_data_key()
        # A vault in service has all of its 256 folders after its first thousand or so blobs.
        vault_dir = root / "vault"
        for shard in range(256):
            (vault_dir / f"{shard:02x}").mkdir(parents=True)

        def baseline() -> None:
            cipher = AESGCM(key)
            for blob in blobs:
                hashlib.sha256(blob).hexdigest()
                cipher.encrypt(os.urandom(12), blob, b"0" * 32)

        def ours(
            durable: bool = True, batch: int = UPLOAD_BATCH, directory: Path = vault_dir
        ) -> Callable[[], None]:
            def store_all() -> None:
                vault = Vault(directory)
                with _without_fsync() if not durable else nullcontext():
                    for start in range(0, len(blobs), batch):
                        vault.store_many(key, blobs[start : start + batch])

            return store_all

        def disk_alone() -> None:
            vault = Vault(vault_dir)

            def write(_key: bytes, plaintext: bytes) -> SealedBlob:
                blob_id = secrets.token_hex(16)
                vault.write_sealed(blob_id, plaintext)
                return SealedBlob(blob_id, len(plaintext), "")

            for start in range(0, len(blobs), UPLOAD_BATCH):
                store_concurrently(write, key, blobs[start : start + UPLOAD_BATCH])

        def reset() -> None:
            """Empty the vaults, keeping the folders of the one in service."""
            shutil.rmtree(root / "new-vault", ignore_errors=True)
            for shard in vault_dir.iterdir():
                for blob in shard.iterdir():
                    blob.unlink()

        contenders = {
            "baseline: sha256 + AES-GCM in memory": baseline,
            "ours: Vault.store_many, 10 files an upload (durable)": ours(),
            "for comparison: one file at a time (Vault.store)": ours(batch=1),
            "for comparison: 10 at a time without fsync": ours(durable=False),
            "for comparison: into a new vault (its 256 folders made as needed)": ours(
                directory=root / "new-vault"
            ),
            DISK_ALONE: disk_alone,
        }
        best = {name: float("inf") for name in contenders}
        cpu = {name: float("inf") for name in contenders}
        for _ in range(args.runs):
            for name, run in contenders.items():
                reset()
                os.sync()
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                best[name] = min(best[name], time.perf_counter() - started)
                cpu[name] = min(cpu[name], time.process_time() - started_cpu)
        reset()

    _print_table(total_mb, len(blobs), best, cpu, args.runs)


def _make_files(directory: Path, count: int, size: int) -> list[bytes]:
    directory.mkdir()
    for number in range(count):
        (directory / f"evidence-{number:03d}.bin").write_bytes(os.urandom(size))
    return [path.read_bytes() for path in sorted(directory.iterdir())]


def _without_fsync() -> AbstractContextManager[object]:
    return mock.patch("os.fsync", return_value=None)


def _print_table(
    total_mb: float, count: int, best: dict[str, float], cpu: dict[str, float], runs: int
) -> None:
    print(
        f"{count} files, {total_mb:.0f} MB; best of {runs} runs; "
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"cryptography {cryptography.__version__}; load average {os.getloadavg()[0]:.2f}"
    )
    width = max(len(name) for name in best)
    print(f"{'':{width}}  {'MB':>6}  {'seconds':>8}  {'MB/s':>8}  {'CPU s':>6}")
    for name, seconds in best.items():
        print(
            f"{name:{width}}  {total_mb:6.0f}  {seconds:8.3f}  {total_mb / seconds:8.1f}  "
            f"{cpu[name]:6.3f}"
        )
    names = list(best)
    baseline, ours = best[names[0]], best[names[1]]
    ratio = baseline / ours
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio ours/baseline (throughput): {ratio:.2f}; target >= {TARGET_RATIO}: {verdict}")
    ceiling = baseline / best[DISK_ALONE]
    print(
        f"the disk alone reaches {ceiling:.2f} of the baseline (the ceiling for any durable "
        f"store here); ours reaches {best[DISK_ALONE] / ours:.2f} of the disk alone"
    )


if __name__ == "__main__":
    main()
