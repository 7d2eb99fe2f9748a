"""``manage.py backup_restore --from DIR``: into an empty database and empty file directories, checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup_create directory into an empty database and check rows and files (docs/deployment.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path, help="a backup_create directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup_restore(source=options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {restored.tables} tables, {restored.rows} rows, {restored.files} files; "
            "row counts and checksums match the manifest"
        )
