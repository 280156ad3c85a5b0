"""Backups that restore: a consistent copy of the database and the vault, never the master key.

A backup is a folder:

* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the service runs)
  or ``database.pgdump`` (``pg_dump`` custom format, taken in an exported snapshot);
* ``vault/``: every blob, exactly as stored (ciphertext: the backup holds no plaintext);
* ``manifest.json``: the format, the database engine, row counts of every table as of the
  snapshot, the blob count, and the fingerprint of the organisation's public signing key — so a
  restore can check that it loaded everything and that it is being given the right master key.

The master key is not in it, on purpose: a backup that carried its own key would be readable
by anyone who took a copy. Back the key up separately and keep it apart.

The database is copied first, then the vault. Blobs added meanwhile are copied too (and swept
as orphans after a restore); a blob removed meanwhile (its report deleted during the backup)
is missing from the backup, and `restore` says how many such blobs it could not find.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from dontpay.cases.vault import organisation_keys, vault
from dontpay.domain.custody import MissingBlob, Vault

FORMAT = "dontpay-backup-1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
#: Blobs copied at once: object storage is slow per request and fast in parallel.
COPY_WORKERS = 8


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    engine: str
    tables: int
    rows: int
    blobs: int


def backup(target: Path) -> BackupSummary:
    """Write a backup of this deployment into `target`, which must be empty or absent."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    engine = _engine()
    if engine == "sqlite":
        _copy_sqlite(Path(connection.settings_dict["NAME"]), target / SQLITE_FILE)
        rows = _sqlite_counts(target / SQLITE_FILE)
    else:
        rows = _dump_postgres(target / POSTGRES_FILE)
    blobs = _copy_blobs(vault(), Vault(target / "vault"))
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "rows": rows,
        "blobs": blobs,
        "signing_key_fingerprint": organisation_keys().public_key_fingerprint(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupSummary(engine, len(rows), sum(rows.values()), blobs)


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    blobs: int
    missing_blobs: int


def restore(source: Path) -> RestoreSummary:
    """Fill this empty deployment (database and vault) from the backup in `source`."""
    manifest = _read_manifest(source)
    if not settings.DONTPAY_MASTER_KEY and not (settings.DATA_DIR / "master.key").exists():
        raise BackupError(
            "no master key is in place: put the organisation's master key (DONTPAY_MASTER_KEY, "
            f"or the file {settings.DATA_DIR / 'master.key'}) in place first; a backup never "
            "holds it"
        )
    if manifest["signing_key_fingerprint"] != organisation_keys().public_key_fingerprint():
        raise BackupError(
            "the master key in place is not the one this backup was made with: put the "
            "organisation's master key (DONTPAY_MASTER_KEY or master.key in the data directory) "
            "in place first"
        )
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database, and this deployment uses "
            f"{engine}: restore it into {manifest['engine']}"
        )
    _require_empty_database()
    target_vault = vault()
    if next(iter(target_vault.blob_ids()), None) is not None:
        raise BackupError("the vault is not empty: restore into a new vault")
    if engine == "sqlite":
        connections.close_all()
        _copy_sqlite(source / SQLITE_FILE, Path(connection.settings_dict["NAME"]))
    else:
        _restore_postgres(source / POSTGRES_FILE)
    counts = _live_counts(list(manifest["rows"]))
    wrong = {t: (n, counts.get(t)) for t, n in manifest["rows"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the backup's: {wrong}")
    blobs = _copy_blobs(Vault(source / "vault"), target_vault)
    return RestoreSummary(sum(counts.values()), blobs, int(manifest["blobs"]) - blobs)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _tables() -> list[str]:
    """Every table of every installed model (Django's, the libraries' and ours)."""
    existing = set(connection.introspection.table_names())
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} & existing)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database, by SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _closing(sqlite3.connect(source)) as src, _closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    os.chmod(target, 0o600)


@contextmanager
def _closing(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield db
    finally:
        db.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    tables = _tables()
    with _closing(sqlite3.connect(path)) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _live_counts(tables: list[str]) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _postgres_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGUSER": db["USER"] or ""}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _dump_postgres(target: Path) -> dict[str, int]:
    """pg_dump in a snapshot exported from a transaction that also counts every table's rows,
    so the counts in the manifest are exactly those of the dump."""
    pg_dump = _tool("pg_dump")
    tables = _tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        connection.set_autocommit(False)
        try:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ]
            )
        finally:
            connection.rollback()
            connection.set_autocommit(True)
    os.chmod(target, 0o600)
    return counts


def _restore_postgres(source: Path) -> None:
    pg_restore = _tool("pg_restore")
    connections.close_all()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ]
    )


def _run(command: list[str]) -> None:
    with tempfile.TemporaryFile(mode="w+") as errors:
        result = subprocess.run(  # noqa: S603 - fixed programs, arguments we built
            command, env=_postgres_environment(), stderr=errors, check=False
        )
        if result.returncode:
            errors.seek(0)
            raise BackupError(f"{Path(command[0]).name} failed: {errors.read().strip()[-500:]}")


def _require_empty_database() -> None:
    """A database that holds nothing anyone made: no reports, cases, bank entries or staff.
    (`dontpay migrate` leaves reference data, such as the warninglist, which the restore
    replaces.)"""
    counts = _live_counts([apps.get_model(label)._meta.db_table for label in _CONTENT_MODELS])
    filled = sorted(table for table, n in counts.items() if n)
    if filled:
        raise BackupError(
            f"the database is not empty ({', '.join(filled[:5])} have rows): restore into a new "
            "database"
        )


#: What a deployment holds that only its users made; any row in these means "not empty".
_CONTENT_MODELS = ("cases.Report", "cases.Case", "bank.BankEntry", "bank.Submission", "auth.User")


def _copy_blobs(source: Any, target: Any) -> int:
    """Copy every blob's ciphertext from one store to another; returns how many were copied."""

    def copy(blob_id: str) -> bool:
        try:
            target.write_sealed(blob_id, source.read_sealed(blob_id))
        except MissingBlob:  # removed since it was listed
            return False
        return True

    with ThreadPoolExecutor(COPY_WORKERS, thread_name_prefix="backup") as pool:
        return sum(pool.map(copy, source.blob_ids()))


def _read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a dontpay backup") from None
    except (OSError, ValueError) as problem:
        raise BackupError(f"cannot read {source / MANIFEST}: {problem}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a backup this version can restore ({FORMAT})")
    return manifest
