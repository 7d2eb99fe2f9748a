"""Health of the database, the task worker and the task queue, for /healthz and for operators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from motcua.core.models import TaskLease, WorkerHeartbeat


@dataclass(frozen=True)
class TaskCounts:
    """``ready``: waiting tasks (deferred ones included); ``overdue``: due for longer than
    MOTCUA_TASK_OVERDUE_SECONDS and still waiting; ``running``: leased; ``expired_leases``: running on a
    worker that stopped renewing its lease (dead), not yet taken again."""

    ready: int = 0
    overdue: int = 0
    running: int = 0
    expired_leases: int = 0

    @property
    def stuck(self) -> int:
        return self.overdue + self.expired_leases


@dataclass(frozen=True)
class Health:
    database: str
    worker: str
    tasks: TaskCounts = field(default_factory=TaskCounts)

    @property
    def tasks_status(self) -> str:
        return "stuck" if self.tasks.stuck > settings.MOTCUA_TASKS_STUCK_MAX else "ok"

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.worker == "ok" and self.tasks_status == "ok"


def task_counts() -> TaskCounts:
    """Counts read from indexes only (the READY partial index, the lease table): cheap enough for a
    load balancer's probe however many finished tasks the table keeps."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    overdue_since = now - timedelta(seconds=settings.MOTCUA_TASK_OVERDUE_SECONDS)
    never_deferred = Q(run_after=get_date_max(), enqueued_at__lt=overdue_since)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        ready=Count("pk"), overdue=Count("pk", filter=never_deferred | Q(run_after__lt=overdue_since))
    )
    leased = TaskLease.objects.aggregate(running=Count("pk"), expired=Count("pk", filter=Q(expires_at__lt=now)))
    return TaskCounts(
        ready=waiting["ready"],
        overdue=waiting["overdue"],
        running=leased["running"],
        expired_leases=leased["expired"],
    )


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
    return Health(database="ok", worker=worker, tasks=task_counts())


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})
