"""Backup and restore drill: data and files backed up, restored into a FRESH database (a new SQLite file,
or a new PostgreSQL database created and dropped here), every table's row count and every file's
checksum compared; a backup missing a file is refused before anything is written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from motcua.core.backup import file_tree
from motcua.signing.ca import demo_certificate_issue

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.fixture
def history(people: dict[str, Any], transactional_db: Any) -> dict[str, Any]:
    """Committed rows (province, catalog, people, two dossiers with their PDFs) and a signing key."""
    from motcua.workflow.services import dossier_submit_online
    from tests.intake import birth_application

    for _ in range(2):
        dossier_submit_online(actor=people["citizen"], application=birth_application())
    demo_certificate_issue(Path(settings.MOTCUA_SIGNING_DIR), username="desk", full_name="Cán bộ", organisation="Xã An")
    return people


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def restore(backup: Path, var: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py backup_restore`` in its own process, on a fresh database and var directory."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_", "DATABASE_URL"))}
    base |= {"MOTCUA_DEMO": "1", "MOTCUA_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "backup_restore", "--from", str(backup)],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name!='sqlite_sequence'")
        ]
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        db.close()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite drill")
def test_sqlite_backup_restores_every_row_and_file_into_a_new_file(history: Any, tmp_path: Path) -> None:
    before, media, signing = (
        live_counts(),
        file_tree(Path(settings.MEDIA_ROOT)),
        file_tree(Path(settings.MOTCUA_SIGNING_DIR)),
    )
    assert (before["dossiers_dossier"], len(media), len(signing)) == (2, 4, 4)

    call_command("backup_create", "--to", str(tmp_path / "backup"))
    fresh = tmp_path / "restored.sqlite3"
    done = restore(tmp_path / "backup", tmp_path / "var", MOTCUA_SQLITE_PATH=str(fresh))

    assert done.returncode == 0, done.stderr
    assert f"{sum(before.values())} rows, 8 files" in done.stdout
    assert sqlite_counts(fresh) == before
    assert file_tree(tmp_path / "var" / "media") == media
    assert file_tree(tmp_path / "var" / "signing") == signing


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite drill")
def test_a_backup_missing_a_file_is_refused_and_writes_nothing(history: Any, tmp_path: Path) -> None:
    call_command("backup_create", "--to", str(tmp_path / "backup"))
    lost = next(p for p in sorted((tmp_path / "backup" / "media").rglob("*")) if p.is_file())
    lost.unlink()
    fresh = tmp_path / "restored.sqlite3"

    done = restore(tmp_path / "backup", tmp_path / "var", MOTCUA_SQLITE_PATH=str(fresh))

    assert done.returncode == 1
    assert "the backup does not match its manifest: missing ['media/" in done.stderr
    assert sqlite_counts(fresh) == {}  # the fresh file holds no table
    assert not (tmp_path / "var" / "media").exists()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite drill")
def test_a_restore_never_overwrites_a_database_in_use(history: Any, tmp_path: Path) -> None:
    call_command("backup_create", "--to", str(tmp_path / "backup"))
    used = tmp_path / "used.sqlite3"
    shutil.copy(tmp_path / "backup" / "database.sqlite3", used)
    before = sqlite_counts(used)

    done = restore(tmp_path / "backup", tmp_path / "var", MOTCUA_SQLITE_PATH=str(used))

    assert done.returncode == 1
    assert "the database is not empty: restore into a new database" in done.stderr
    assert sqlite_counts(used) == before


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (DATABASE_URL)")
def test_postgres_backup_restores_every_row_and_file_into_a_new_database(history: Any, tmp_path: Path) -> None:
    before, media = live_counts(), file_tree(Path(settings.MEDIA_ROOT))
    call_command("backup_create", "--to", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "database.pgdump").stat().st_size > 0
    fresh = f"restore_drill_{uuid.uuid4().hex[:12]}"
    server = os.environ["DATABASE_URL"]
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = server.rsplit("/", 1)[0] + f"/{fresh}"
        done = restore(tmp_path / "backup", tmp_path / "var", DATABASE_URL=url)

        assert done.returncode == 0, done.stderr
        with psycopg.connect(url) as restored:
            names = [r[0] for r in restored.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            counts = {n: restored.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # type: ignore[index]
        assert counts == before
        assert file_tree(tmp_path / "var" / "media") == media
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
