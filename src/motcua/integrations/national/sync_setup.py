"""Wiring of the national sync, called from ``IntegrationsConfig.ready`` (one line there)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def connect_sync() -> None:
    from motcua.core import periodic
    from motcua.integrations.national.sync import outbox_add, sync_resume
    from motcua.integrations.national.tasks import enqueue_sync
    from motcua.workflow import writer

    # The outbox row commits with the event (in the writer's transaction); the task sends it soon after.
    if outbox_add not in writer.on_event_written:
        writer.on_event_written.append(outbox_add)
    if enqueue_sync not in writer.on_event_committed:
        writer.on_event_committed.append(enqueue_sync)
    # Every worker resumes what is due: retries, lapsed claims, messages whose task was lost.
    periodic.register(
        "integrations.national_sync",
        every=timedelta(seconds=settings.MOTCUA_NATIONAL_SYNC_INTERVAL_SECONDS),
        job=sync_resume,
    )
