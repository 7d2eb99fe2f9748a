"""Health of the database and the task worker, for /healthz and for operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from motcua.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Health:
    database: str
    worker: str

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.worker == "ok"


def check_health() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return Health(database="unavailable", worker="unknown")
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if latest is None:
        worker = "missing"
    elif timezone.now() - latest > timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS):
        worker = "stale"
    else:
        worker = "ok"
    return Health(database="ok", worker=worker)


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})
