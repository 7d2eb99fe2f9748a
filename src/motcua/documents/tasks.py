"""Background work of the data store: thin, takes ids, safe to run again."""

from __future__ import annotations

from django_tasks import task

from motcua.documents.services import scan_store_copy_make


@task()
def scan_store_copy_task(digitized_id: int) -> None:
    """OCR, PDF/A and the officer's signature for a scanned component (``services.scan_store_copy_make``)."""
    scan_store_copy_make(digitized_id=digitized_id)
