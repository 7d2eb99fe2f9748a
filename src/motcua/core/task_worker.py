"""The task worker: django_tasks_db's queue and worker, plus what they lack to never lose a task.

- **Lease**: a task is claimed with a ``core.models.TaskLease`` that the worker renews while the task
  runs. A worker killed mid-task leaves an expired lease; the next worker puts the task back in the
  queue (``requeue_expired``), so it runs again (tasks are idempotent: at-least-once).
- **Retries**: a task that raises runs again after ``retry_delay(attempt)`` (exponential, capped) until
  ``MOTCUA_TASK_MAX_ATTEMPTS``; then it is ``FAILED`` with its last error. The attempts are the claims
  recorded in the row's ``worker_ids`` (one per attempt, a lost one included).
- **Periodic jobs** (``core.periodic``) run between tasks.
- **Faults**: a database error in the loop ("database is locked", a lost connection) is logged and the
  loop waits (exponential, up to 30 s) and goes on; a task left ``RUNNING`` by it is recovered by its lease.

The same functions run the tasks in the tests (``run_ready_tasks``): there is one task path.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import suppress
from datetime import datetime, timedelta
from functools import partial
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from motcua.core import periodic
from motcua.core.health import beat
from motcua.core.models import TaskLease

logger = logging.getLogger("motcua.tasks")

LOOP_BACKOFF_MAX_SECONDS = 30.0


class LeaseExpired(Exception):
    """The worker running the task stopped renewing its lease: it died, or hung longer than the lease."""


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[-64:]


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS)


def renew_interval() -> float:
    """Renew well before the lease expires: every heartbeat, or a third of the lease if that is shorter."""
    return min(float(settings.WORKER_HEARTBEAT_SECONDS), settings.MOTCUA_TASK_LEASE_SECONDS / 3)


def exponential_backoff(attempt: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, …): base × 2^(attempt - 1) seconds, capped (the
    tasks here, the national sync's outbox)."""
    return timedelta(seconds=min(base_seconds * 2 ** (attempt - 1), max_seconds))


def retry_delay(attempt: int) -> timedelta:
    """A failed task's wait (``exponential_backoff`` with the task settings)."""
    return exponential_backoff(
        attempt,
        base_seconds=settings.MOTCUA_TASK_RETRY_BASE_SECONDS,
        max_seconds=settings.MOTCUA_TASK_RETRY_MAX_SECONDS,
    )


def _error_fields(row: DBTaskResult, exc: BaseException) -> None:
    row.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    row.traceback = "".join(format_exception(exc))


def _retry_or_fail(row: DBTaskResult, exc: BaseException, now: datetime, *, lost: bool = False) -> None:
    """Put a failed attempt back in the queue after its backoff (a lost one, whose worker died, at
    once: it did not fail), or fail the task after its last attempt."""
    attempts = len(row.worker_ids)
    _error_fields(row, exc)
    if attempts < settings.MOTCUA_TASK_MAX_ATTEMPTS:
        row.status = TaskResultStatus.READY
        row.run_after = now if lost else now + retry_delay(attempts)
        row.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
        logger.warning(
            "task %s %s: attempt %d of %d ended in an error, runs again at %s: %s",
            row.task_path,
            row.pk,
            attempts,
            settings.MOTCUA_TASK_MAX_ATTEMPTS,
            row.run_after.isoformat(),
            exc,
        )
    else:
        row.status = TaskResultStatus.FAILED
        row.finished_at = now
        row.return_value = None
        row.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
        logger.error("task %s %s failed after %d attempts: %s", row.task_path, row.pk, attempts, exc)


def requeue_expired(now: datetime | None = None) -> int:
    """Put back in the queue the running tasks whose lease expired (their worker died); a task that has
    used up its attempts fails instead. Returns how many tasks were requeued or failed."""
    now = now or timezone.now()
    if not TaskLease.objects.filter(expires_at__lt=now).exists():
        return 0  # the usual case, without taking the write lock
    with exclusive_transaction():
        expired = list(
            TaskLease.objects.select_for_update(skip_locked=True)
            .filter(expires_at__lt=now)
            .values_list("task_id", "worker_id")
        )
        for task_id, worker_id in expired:
            row = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).first()
            if row is not None:
                _retry_or_fail(row, LeaseExpired(f"lease of worker {worker_id} expired"), now, lost=True)
        TaskLease.objects.filter(task_id__in=[task_id for task_id, _ in expired]).delete()
    return len(expired)


def requeue_unleased(now: datetime | None = None) -> int:
    """At start: a task left RUNNING without a lease (by a worker before leases) for longer than a lease
    is given back too."""
    now = now or timezone.now()
    with exclusive_transaction():
        rows = list(
            DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, lease__isnull=True, started_at__lt=now - lease_duration()
            )
        )
        for row in rows:
            _retry_or_fail(row, LeaseExpired("running without a lease"), now, lost=True)
    return len(rows)


def claim_next(worker_id: str, *, task_id: Any = None, backend_name: str = "default") -> DBTaskResult | None:
    """Claim the next ready task (or the given one, if ready) with a fresh lease, in one transaction."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    if task_id is not None:
        tasks = tasks.filter(pk=task_id)
    with exclusive_transaction(tasks.db):
        row = tasks.get_locked()
        if row is None:
            return None
        row.claim(worker_id)
        TaskLease.objects.update_or_create(
            task_id=row.pk, defaults={"worker_id": worker_id, "expires_at": timezone.now() + lease_duration()}
        )
    return row


def renew_lease(task_id: Any, worker_id: str) -> bool:
    """Push the lease of a task this worker runs further; False if it lost it (it expired and was taken)."""
    expires_at = timezone.now() + lease_duration()
    return TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(expires_at=expires_at) == 1


def _finish(row: DBTaskResult, worker_id: str, outcome: Any) -> bool:
    """Record an attempt's outcome if this worker still holds the lease (else another worker owns the
    task now and records its own run)."""
    with transaction.atomic():
        held = TaskLease.objects.filter(task_id=row.pk, worker_id=worker_id).delete()[0] == 1
        if not held:
            logger.warning("task %s %s ended after its lease was lost; outcome not recorded", row.task_path, row.pk)
            return False
        outcome()
    return True


def run_claimed(row: DBTaskResult, worker_id: str) -> None:
    """Run a claimed task as django_tasks_db's worker does (same signals), recording success, a retry or
    the failure. An interrupt (Ctrl-C, SIGTERM twice) gives the task back to the queue and is re-raised."""
    try:
        task = row.task
        task_result = row.task_result
        backend_type = type(task.get_backend())
        task_started.send(sender=backend_type, task_result=task_result)
        if task.takes_context:
            value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
        else:
            value = task.call(*task_result.args, **task_result.kwargs)
        if not _finish(row, worker_id, partial(row.set_successful, value)):
            return
    except (KeyboardInterrupt, SystemExit):
        _finish(row, worker_id, partial(_give_back, row))
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a task raises is recorded and retried
        if not _finish(row, worker_id, partial(_retry_or_fail, row, exc, timezone.now())):
            return
        if row.status != TaskResultStatus.FAILED:
            return
    try:
        task_finished.send(sender=type(row.task.get_backend()), task_result=row.task_result)
    except Exception:
        logger.exception("task %s %s: task_finished receivers failed", row.task_path, row.pk)


def _give_back(row: DBTaskResult) -> None:
    row.status = TaskResultStatus.READY
    row.run_after = timezone.now()
    row.save(update_fields=["status", "run_after"])


def run_ready_tasks(*, worker_id: str = "in-process", only: list[Any] | None = None, limit: int | None = None) -> int:
    """Run ready tasks through the worker's own claim and run, until none is ready (or ``limit`` ran).

    ``only``: just these task ids (the tests' on-commit runs). Returns how many ran."""
    ran = 0
    pending = list(only) if only is not None else None
    while limit is None or ran < limit:
        if pending is not None:
            if not pending:
                break
            row = claim_next(worker_id, task_id=pending.pop(0))
            if row is None:
                continue
        else:
            row = claim_next(worker_id)
            if row is None:
                break
        run_claimed(row, worker_id)
        ran += 1
    return ran


class LeasedWorker(Worker):
    """django_tasks_db's ``Worker`` (options, signal handling) with leases, retries, periodic jobs and a
    loop that survives database errors."""

    def __init__(
        self, *, worker_id: str, interval: float = 1.0, max_tasks: int | None = None, keep_alive: bool = True
    ) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.schedule = periodic.Schedule()
        self.current_task_id: Any = None
        self._stop = threading.Event()
        self._keep_alive = keep_alive
        self._next_recovery = 0.0

    def keep_alive(self) -> None:
        """Heartbeat (read by /healthz) and lease renewal, in a thread while the loop runs tasks."""
        while not self._stop.is_set():
            try:
                beat(self.worker_id)
                task_id = self.current_task_id
                if task_id is not None and not renew_lease(task_id, self.worker_id):
                    logger.warning("lost the lease of task %s", task_id)
            except Exception as exc:  # noqa: BLE001 - keep beating after a transient database error
                logger.warning("heartbeat failed: %s", exc)
            finally:
                connection.close()
            self._stop.wait(renew_interval())

    def step(self) -> bool:
        """One turn of the loop: recover expired leases, run one task, run the due periodic jobs.
        True if a task ran."""
        if time.monotonic() >= self._next_recovery:  # at most once a second: leases count in seconds
            requeue_expired()
            self._next_recovery = time.monotonic() + 1.0
        row = claim_next(self.worker_id, backend_name=self.backend_name)
        if row is not None:
            self.current_task_id = row.pk
            try:
                run_claimed(row, self.worker_id)
            finally:
                self.current_task_id = None
                self._run_tasks += 1
        self.schedule.run_due()
        return row is not None

    def run(self) -> None:
        logger.info("worker %s starts (lease %ss)", self.worker_id, settings.MOTCUA_TASK_LEASE_SECONDS)
        if self._keep_alive:
            threading.Thread(target=self.keep_alive, name="keep-alive", daemon=True).start()
        failures = 0
        recovered = False
        try:
            while self.running:
                close_old_connections()
                try:
                    if not recovered:
                        requeue_unleased()
                        recovered = True
                    self.running_task = True
                    ran = self.step()
                    failures = 0
                except DatabaseError as exc:
                    failures += 1
                    delay = min(LOOP_BACKOFF_MAX_SECONDS, 0.5 * 2**failures)
                    logger.warning("worker loop: database error (%s); retrying in %.1f s", exc, delay)
                    _close_quietly()
                    self._sleep(delay)
                    continue
                finally:
                    self.running_task = False
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if not ran:
                    self._sleep(self.interval)
        finally:
            self._stop.set()

    def _sleep(self, seconds: float) -> None:
        if self.running and seconds > 0:
            time.sleep(seconds)


def _close_quietly() -> None:
    with suppress(DatabaseError):
        connection.close()
