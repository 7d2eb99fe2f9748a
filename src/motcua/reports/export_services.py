"""Exports of the indicators over long periods, built in the background (issue 7, item 5).

A short period is exported at once by the view; a long one would hold a web worker too long, so it
becomes a ``ReportExport`` row and a task builds the file, telling its progress on the row as it goes.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.identity.selectors import covers
from motcua.reports.exports import EXPORTERS, filters_text
from motcua.reports.indicators import Scope
from motcua.reports.models import ReportExport
from motcua.reports.scope_query import REPORT_ROLES, ReportAgencyForbidden

logger = logging.getLogger(__name__)
SYNC_DAYS = 92


def export_sync_days() -> int:
    """Periods up to this many days are exported at once; longer ones run as a task."""
    return int(getattr(settings, "MOTCUA_EXPORT_SYNC_DAYS", SYNC_DAYS))


def export_runs_in_background(scope: Scope) -> bool:
    return scope.days > export_sync_days()


def scope_of(export: ReportExport) -> Scope:
    return Scope(
        agency=export.agency,
        start=export.start,
        end=export.end,
        sector_id=export.sector_id,
        procedure_id=export.procedure_id,
    )


# Queues the export's task: set by ReportsConfig.ready() to ``reports.tasks``' task, which calls back
# into this module (a direct import would be an import cycle; a contract keeps the package acyclic).
export_enqueue: Callable[[int], None] | None = None


def _enqueue(export_id: int) -> None:
    assert export_enqueue is not None, "ReportsConfig.ready() registers the export task"
    export_enqueue(export_id)


def report_export_request(*, actor: Any, scope: Scope, fmt: str) -> ReportExport:
    """Ask for an export of a unit's indicators, built by a task.

    Only supervisors and leaders of the unit read its reports (the reports' scoping rule, see
    ``reports.scope_query``); the task is queued with the row (database queue) or once it is committed.
    """
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r}")
    if not covers(actor, REPORT_ROLES, scope.agency):
        raise ReportAgencyForbidden()
    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=actor,
            agency=scope.agency,
            start=scope.start,
            end=scope.end,
            sector_id=scope.sector_id,
            procedure_id=scope.procedure_id,
            format=fmt,
        )
        if settings.MOTCUA_TASKS_IN_TRANSACTION:
            _enqueue(export.pk)  # the task row commits (or rolls back) with the export row
        else:
            transaction.on_commit(partial(_enqueue, export.pk), robust=True)
    return export


def _set_progress(export_id: int, percent: int) -> None:
    ReportExport.objects.filter(pk=export_id, status=ReportExport.State.RUNNING).update(progress=percent)


def report_export_run(*, export_id: int) -> ReportExport | None:
    """Build the file of an export. Safe to run again: a finished export is left as it is, an
    interrupted one is built anew. A failure is recorded on the row (and logged), never raised."""
    export = ReportExport.objects.select_related("agency").filter(pk=export_id).first()
    if export is None or export.status == ReportExport.State.DONE:
        return export
    export.status, export.progress, export.error = ReportExport.State.RUNNING, 0, ""
    export.save(update_fields=["status", "progress", "error"])
    scope = scope_of(export)
    try:
        data = EXPORTERS[export.format](
            scope,
            filters_text=filters_text(scope),
            now=timezone.now(),
            progress=partial(_set_progress, export.pk),
        )
        export.file.save(f"{secrets.token_hex(16)}.{export.format}", ContentFile(data), save=False)
    except Exception as exc:
        logger.exception("report export %s failed", export.pk)
        export.status, export.error = ReportExport.State.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    else:
        export.status, export.progress = ReportExport.State.DONE, 100
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "progress", "error", "file", "finished_at"])
    return export


def report_export_for(user: Any, export_id: int) -> ReportExport | None:
    """An export, to the one who asked for it only."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ReportExport.objects.select_related("agency").filter(pk=export_id, requested_by=user).first()
