"""``manage.py backup_create --to DIR``: the database, stored files and signing keys, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database, the stored files and the signing keys into a new directory (docs/deployment.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(target=options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup in {options['to']}: {manifest['vendor']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {len(manifest['files'])} files (SHA-256 in manifest.json)"
        )
