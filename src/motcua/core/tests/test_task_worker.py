"""The task worker (core.task_worker): leases, retries with backoff, periodic jobs, database faults."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult, get_date_max

from motcua.core import periodic, task_worker
from motcua.core.models import TaskLease
from motcua.core.task_worker import LeasedWorker, claim_next, requeue_expired, run_ready_tasks

T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
FAILURES: dict[str, int] = {}  # how many more times a test task fails, by key
CALLS: list[str] = []


@task()
def flaky(key: str) -> str:
    CALLS.append(key)
    if FAILURES.get(key, 0) > 0:
        FAILURES[key] -= 1
        raise ValueError(f"{key} failed")
    return f"{key} done"


@pytest.fixture(autouse=True)
def _reset() -> None:
    FAILURES.clear()
    CALLS.clear()


@pytest.fixture
def queue_only(settings) -> None:
    """The production queue without the tests' on-commit run: rows wait for a worker."""
    settings.TASKS = {"default": {"BACKEND": "motcua.core.task_queue.DatabaseQueue"}}


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def row_of(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db
def test_a_task_whose_lease_expired_is_taken_again_and_a_live_lease_is_not(frozen, queue_only, settings) -> None:
    settings.MOTCUA_TASK_LEASE_SECONDS = 30
    result = flaky.enqueue("a")
    assert claim_next("worker-a").pk == row_of(result).pk  # worker-a claims it, then dies (SIGKILL)
    assert TaskLease.objects.get().expires_at == T0 + timedelta(seconds=30)

    frozen.shift(timedelta(seconds=30))  # the lease is still live at its expiry instant
    assert (requeue_expired(), claim_next("worker-b")) == (0, None)
    assert row_of(result).status == "RUNNING"

    frozen.shift(timedelta(seconds=1))
    assert requeue_expired() == 1
    row = row_of(result)
    assert (row.status, row.run_after, row.exception_class_path) == (
        "READY",
        T0 + timedelta(seconds=31),
        "motcua.core.task_worker.LeaseExpired",
    )
    assert TaskLease.objects.count() == 0

    assert run_ready_tasks(worker_id="worker-b") == 1
    row = row_of(result)
    assert (row.status, row.worker_ids, row.return_value, row.traceback) == (
        "SUCCESSFUL",
        ["worker-a", "worker-b"],
        "a done",
        "",
    )
    assert (CALLS, TaskLease.objects.count()) == (["a"], 0)


@pytest.mark.django_db
def test_a_renewed_lease_is_not_taken(frozen, queue_only, settings) -> None:
    settings.MOTCUA_TASK_LEASE_SECONDS = 30
    result = flaky.enqueue("a")
    claim_next("worker-a")
    frozen.shift(timedelta(seconds=20))
    assert task_worker.renew_lease(result.id, "worker-a") is True
    frozen.shift(timedelta(seconds=20))  # 40 s after the claim, 20 s after the renewal
    assert requeue_expired() == 0
    assert (row_of(result).status, TaskLease.objects.get().expires_at) == ("RUNNING", T0 + timedelta(seconds=50))
    assert task_worker.renew_lease(result.id, "worker-b") is False  # only its holder renews a lease


@pytest.mark.django_db
def test_an_attempt_that_lost_its_lease_does_not_record_its_outcome(frozen, queue_only, settings) -> None:
    settings.MOTCUA_TASK_LEASE_SECONDS = 30
    result = flaky.enqueue("a")
    slow = claim_next("worker-a")  # hangs longer than its lease
    frozen.shift(timedelta(seconds=31))
    requeue_expired()
    claim_next("worker-b")

    task_worker.run_claimed(slow, "worker-a")

    row = row_of(result)
    assert (row.status, row.worker_ids, TaskLease.objects.get().worker_id) == (
        "RUNNING",
        ["worker-a", "worker-b"],
        "worker-b",
    )


@pytest.mark.django_db
def test_a_failed_task_runs_again_after_an_exponential_backoff(frozen, settings) -> None:
    settings.MOTCUA_TASK_RETRY_BASE_SECONDS = 30
    FAILURES["b"] = 2

    result = flaky.enqueue("b")  # the test queue runs it at once: the first attempt fails

    row = row_of(result)
    assert (row.status, len(row.worker_ids), row.run_after) == ("READY", 1, T0 + timedelta(seconds=30))
    assert (row.exception_class_path, "ValueError: b failed" in row.traceback) == ("builtins.ValueError", True)
    frozen.shift(timedelta(seconds=29))
    assert run_ready_tasks() == 0  # not before its time

    frozen.shift(timedelta(seconds=1))
    assert run_ready_tasks() == 1
    row = row_of(result)
    assert (row.status, len(row.worker_ids), row.run_after) == ("READY", 2, T0 + timedelta(seconds=30 + 60))

    frozen.shift(timedelta(seconds=60))
    assert run_ready_tasks() == 1
    row = row_of(result)
    assert (row.status, len(row.worker_ids), row.return_value, row.exception_class_path, row.finished_at) == (
        "SUCCESSFUL",
        3,
        "b done",
        "",
        T0 + timedelta(seconds=90),
    )
    assert CALLS == ["b", "b", "b"]


def test_the_backoff_doubles_and_is_capped(settings) -> None:
    settings.MOTCUA_TASK_RETRY_BASE_SECONDS = 30
    settings.MOTCUA_TASK_RETRY_MAX_SECONDS = 3600
    assert [task_worker.retry_delay(n).total_seconds() for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]


@pytest.mark.django_db
def test_a_task_fails_for_good_after_its_last_attempt_and_keeps_its_error(frozen, settings) -> None:
    settings.MOTCUA_TASK_MAX_ATTEMPTS = 2
    settings.MOTCUA_TASK_RETRY_BASE_SECONDS = 10
    FAILURES["c"] = 99

    result = flaky.enqueue("c")
    frozen.shift(timedelta(seconds=10))
    run_ready_tasks()
    frozen.shift(timedelta(hours=1))

    assert run_ready_tasks() == 0
    row = row_of(result)
    assert (row.status, len(row.worker_ids), row.finished_at, row.exception_class_path) == (
        "FAILED",
        2,
        T0 + timedelta(seconds=10),
        "builtins.ValueError",
    )
    assert row.traceback.endswith("ValueError: c failed\n")
    assert result.task.get_result(result.id).errors[0].exception_class_path == "builtins.ValueError"


@pytest.mark.django_db
def test_a_lost_task_that_used_up_its_attempts_fails(frozen, queue_only, settings) -> None:
    settings.MOTCUA_TASK_MAX_ATTEMPTS = 1
    result = flaky.enqueue("d")
    claim_next("worker-a")
    frozen.shift(timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS + 1))
    assert requeue_expired() == 1
    row = row_of(result)
    assert (row.status, row.exception_class_path) == ("FAILED", "motcua.core.task_worker.LeaseExpired")
    assert "lease of worker worker-a expired" in row.traceback


@pytest.mark.django_db
def test_a_task_left_running_without_a_lease_is_given_back(frozen, queue_only, settings) -> None:
    """Rows left RUNNING by a worker older than the leases (django_tasks_db's db_worker)."""
    result = flaky.enqueue("e")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=T0, worker_ids=["old"])
    frozen.shift(timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS - 1))
    assert task_worker.requeue_unleased() == 0
    frozen.shift(timedelta(seconds=2))
    assert task_worker.requeue_unleased() == 1
    lost_at = T0 + timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS + 1)
    assert (row_of(result).status, row_of(result).run_after) == ("READY", lost_at)


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_database_errors_and_goes_on(queue_only, caplog) -> None:
    result = flaky.enqueue("f")
    real_claim = task_worker.claim_next
    errors = iter([OperationalError("database is locked"), OperationalError("server closed the connection")])

    def claim(*args, **kwargs):
        error = next(errors, None)
        if error is not None:
            raise error
        return real_claim(*args, **kwargs)

    worker = LeasedWorker(worker_id="w", max_tasks=1, keep_alive=False)
    with (
        mock.patch.object(task_worker, "claim_next", side_effect=claim),
        mock.patch.object(worker, "_sleep") as sleep,
        caplog.at_level(logging.WARNING, logger="motcua.tasks"),
    ):
        worker.run()

    assert (row_of(result).status, row_of(result).return_value) == ("SUCCESSFUL", "f done")
    assert [call.args[0] for call in sleep.call_args_list] == [1.0, 2.0]  # backs off, then runs the task
    assert [r.getMessage() for r in caplog.records] == [
        "worker loop: database error (database is locked); retrying in 1.0 s",
        "worker loop: database error (server closed the connection); retrying in 2.0 s",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_task_that_raises_a_database_error_is_retried_not_fatal(queue_only, settings) -> None:
    settings.MOTCUA_TASK_RETRY_BASE_SECONDS = 30
    with mock.patch(f"{__name__}.CALLS") as calls:
        calls.append.side_effect = OperationalError("database is locked")
        result = flaky.enqueue("g")
        worker = LeasedWorker(worker_id="w", max_tasks=1, keep_alive=False)
        with mock.patch.object(worker, "_sleep"):
            worker.run()
    row = row_of(result)
    assert (row.status, row.exception_class_path, len(row.worker_ids)) == (
        "READY",
        "django.db.utils.OperationalError",
        1,
    )


@pytest.mark.django_db
def test_the_worker_runs_the_due_periodic_jobs_between_tasks(frozen, queue_only) -> None:
    runs: list[datetime] = []
    periodic.register("test.every-minute", every=timedelta(minutes=1), job=lambda: runs.append(T0))
    try:
        worker = LeasedWorker(worker_id="w", keep_alive=False)
        flaky.enqueue("h")
        assert worker.step() is True
        frozen.shift(timedelta(seconds=59))
        assert worker.step() is False
        frozen.shift(timedelta(seconds=1))
        worker.step()
    finally:
        periodic.unregister("test.every-minute")
    assert (len(runs), CALLS) == (2, ["h"])


def test_the_periodic_registry_runs_each_job_on_its_own_interval_and_survives_a_failing_one(caplog) -> None:
    runs: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    with mock.patch.dict(periodic._registry, clear=True):
        periodic.register("test.fast", every=timedelta(seconds=30), job=lambda: runs.append("fast"))
        periodic.register("test.slow", every=timedelta(minutes=5), job=lambda: runs.append("slow"))
        periodic.register("test.broken", every=timedelta(seconds=30), job=broken)
        schedule = periodic.Schedule()
        with caplog.at_level(logging.ERROR, logger="motcua.tasks"):
            first = schedule.run_due(T0)
        assert first == ["test.broken", "test.fast", "test.slow"]
        assert schedule.run_due(T0 + timedelta(seconds=29)) == []
        assert schedule.run_due(T0 + timedelta(seconds=30)) == ["test.broken", "test.fast"]
        assert schedule.run_due(T0 + timedelta(minutes=5)) == ["test.broken", "test.fast", "test.slow"]
    assert runs == ["fast", "slow", "fast", "fast", "slow"]
    assert [r.getMessage() for r in caplog.records] == ["periodic job test.broken failed"] * 3
    with pytest.raises(ValueError):
        periodic.register("test.never", every=timedelta(0), job=lambda: None)


@pytest.mark.django_db
def test_a_ready_row_without_run_after_uses_django_tasks_db_sentinel(queue_only) -> None:
    assert row_of(flaky.enqueue("i")).run_after == get_date_max()


@pytest.mark.django_db(transaction=True)
def test_every_connection_of_the_worker_waits_for_a_locked_sqlite_database(settings) -> None:
    """The busy timeout is set by the connection's init command: the worker's loop and its keep-alive
    thread (each thread has its own connection) wait up to 10 s for a lock instead of failing at once."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    seen: list[int] = []

    def read() -> None:
        with connection.cursor() as cursor:
            seen.append(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
        connection.close()

    read_in_thread = threading.Thread(target=read)
    read_in_thread.start()
    read_in_thread.join()
    with connection.cursor() as cursor:
        seen.append(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
    assert seen == [10000, 10000]
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
