"""Background sending of the national sync: thin, take ids, safe to run again (the outbox decides)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from motcua.dossiers.models import DossierEvent
from motcua.integrations.national.sync import sync_deliver


@task()
def sync_dossier_task(dossier_id: int) -> None:
    """Send the dossier's due messages, in order (a failure waits for its retry: ``sync_resume``)."""
    sync_deliver(dossier_id=dossier_id)


@task()
def sync_event_task(event_id: int) -> None:
    dossier_id = DossierEvent.objects.filter(pk=event_id).values_list("dossier_id", flat=True).first()
    if dossier_id is not None:
        sync_deliver(dossier_id=dossier_id)


def enqueue_sync(event_id: int) -> None:
    """Registered with the workflow writer (``on_event_committed``): send the event's messages soon."""
    if settings.MOTCUA_NATIONAL_SYNC_ENABLED:
        sync_event_task.enqueue(event_id=event_id)
