"""Backup and restore of one deployment: the database, the stored files and the signing keys.

A backup is a directory: ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
server runs) or ``database.pgdump`` (``pg_dump`` custom format), ``media/`` (MEDIA_ROOT, when the files
are on local disk), ``signing/`` (MOTCUA_SIGNING_DIR), and ``manifest.json``: the SHA-256 of every file
and the row count of every table as copied. A restore checks every checksum before it writes anything,
goes only into an empty database and empty file directories, and afterwards compares the restored row
counts and files with the manifest. docs/deployment.md ("Backup and restore") is the operator's guide.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_tree(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``root`` (empty when it does not exist)."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _file_dirs() -> dict[str, Path]:
    """The stored-file directories a backup carries: media only when the files are on local disk (object
    storage keeps its own versions, see docs/deployment.md)."""
    dirs = {"signing": Path(settings.MOTCUA_SIGNING_DIR)}
    if isinstance(default_storage, FileSystemStorage):
        dirs["media"] = Path(settings.MEDIA_ROOT)
    return dirs


def _row_counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def backup_create(*, target: Path) -> dict[str, Any]:
    """Write a backup of the configured database and file directories into ``target`` (new or empty)."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        counts = _sqlite_backup(target / SQLITE_FILE)
        database = SQLITE_FILE
    elif vendor == "postgresql":
        counts = _pg_backup(target / PG_FILE)
        database = PG_FILE
    else:
        raise BackupError(f"no backup for the {vendor} database")
    for name, source in _file_dirs().items():
        if source.is_dir():
            shutil.copytree(source, target / name)
    manifest = {
        "format": 1,
        "created_at": datetime.now(UTC).isoformat(),
        "vendor": vendor,
        "database": database,
        "tables": counts,
        "file_dirs": sorted(_file_dirs()),
        "files": file_tree(target),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def _sqlite_backup(destination: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(destination)
    try:
        connection.connection.backup(copy)  # page by page, consistent, while others keep writing
        cursor = copy.cursor()
        # The tables Django's introspection lists (what the restore counts): sqlite_sequence is SQLite's own.
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
        tables = sorted(r[0] for r in cursor.execute(query))
        return {t: cursor.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        copy.close()


def _pg_backup(destination: Path) -> dict[str, int]:
    # One snapshot for the dump and the counts: rows committed meanwhile are in neither.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        done = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(destination),
            ],
            env=_pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return _row_counts(cursor)


def backup_restore(*, source: Path) -> Restored:
    """Restore the backup in ``source`` into the configured (empty) database and file directories, then
    check that every table has the manifest's row count and every file its checksum."""
    manifest = _checked_manifest(source)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"a {manifest['vendor']} backup cannot be restored into {connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a new database")
    dirs = _file_dirs()
    for name in manifest["file_dirs"]:
        if name not in dirs:
            raise BackupError(f"the backup holds {name}/ but this deployment does not store it on disk")
        if dirs[name].is_dir() and any(dirs[name].iterdir()):
            raise BackupError(f"{dirs[name]} is not empty: restore into new directories")
    if connection.vendor == "sqlite":
        _sqlite_restore(source / SQLITE_FILE)
    else:
        _pg_restore(source / PG_FILE)
    for name in manifest["file_dirs"]:
        if (source / name).is_dir():
            shutil.copytree(source / name, dirs[name], dirs_exist_ok=True)
    return _verify(manifest, dirs)


def _checked_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read: {exc}") from exc
    present = file_tree(source)
    present.pop(MANIFEST, None)
    missing = sorted(set(manifest["files"]) - set(present))
    changed = sorted(p for p, h in manifest["files"].items() if p in present and present[p] != h)
    extra = sorted(set(present) - set(manifest["files"]))
    if missing or changed or extra:
        raise BackupError(
            f"the backup does not match its manifest: missing {missing}, changed {changed}, unknown {extra}"
        )
    return manifest


def _sqlite_restore(backup_file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_restore(backup_file: Path) -> None:
    connection.close()  # pg_restore works on its own connection
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(backup_file),
        ],
        env=_pg_env(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _verify(manifest: dict[str, Any], dirs: dict[str, Path]) -> Restored:
    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    if counts != manifest["tables"]:
        wrong = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"restored row counts differ from the backup in {wrong}")
    files = 0
    for name in manifest["file_dirs"]:
        expected = {p.removeprefix(f"{name}/"): h for p, h in manifest["files"].items() if p.startswith(f"{name}/")}
        restored = file_tree(dirs[name])
        if restored != expected:
            raise BackupError(f"restored files of {name}/ differ from the backup")
        files += len(restored)
    return Restored(tables=len(counts), rows=sum(counts.values()), files=files)
