"""Background work of the reports: thin, takes ids, safe to run again."""

from __future__ import annotations

from django_tasks import task

from motcua.reports.export_services import report_export_run


@task()
def report_export_task(export_id: int) -> None:
    """Build the file of a requested export (``reports.export_services.report_export_run``)."""
    report_export_run(export_id=export_id)
