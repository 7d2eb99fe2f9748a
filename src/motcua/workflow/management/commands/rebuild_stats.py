"""Recompute the daily dossier counts from the event log (after an import, a repair or a bulk seed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.workflow.stats import stats_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily dossier counts (DossierDayStat) from the dossier events."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = stats_rebuild()
        self.stdout.write(f"{rows} daily count rows rebuilt from the events")
