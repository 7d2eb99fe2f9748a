from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.core.health import beat
from motcua.core.task_worker import claim_next
from motcua.core.tests.test_task_worker import flaky

T0 = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
NO_TASKS = {"status": "ok", "ready": 0, "overdue": 0, "running": 0, "expired_leases": 0}


@pytest.fixture
def queue_only(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "motcua.core.task_queue.DatabaseQueue"}}


@pytest.mark.django_db
def test_health_reports_a_missing_worker(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "missing", "tasks": NO_TASKS}


@pytest.mark.django_db
def test_health_is_ok_with_a_fresh_heartbeat_and_stale_after_a_minute(client) -> None:
    beat("worker-1")
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "ok", "tasks": NO_TASKS}
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = client.get("/healthz")
    assert (response.status_code, response.json()["worker"]) == (503, "stale")


@pytest.mark.django_db
def test_health_reports_overdue_tasks_and_expired_leases(client, queue_only, settings) -> None:
    settings.MOTCUA_TASK_OVERDUE_SECONDS = 300
    settings.MOTCUA_TASK_LEASE_SECONDS = 30
    with time_machine.travel(T0, tick=False) as clock:
        flaky.enqueue("1")
        flaky.enqueue("2")
        flaky.using(run_after=T0 + timedelta(hours=1)).enqueue("3")  # deferred
        clock.shift(timedelta(seconds=280))
        claim_next("worker-a")  # takes one, then dies: its lease expires at T0 + 310 s
        clock.shift(timedelta(seconds=20))
        beat("worker-b")
        fresh = client.get("/healthz")
        clock.shift(timedelta(seconds=1))  # the other has waited longer than 300 s
        beat("worker-b")
        overdue = client.get("/healthz")
        clock.shift(timedelta(seconds=10))
        beat("worker-b")
        lost = client.get("/healthz")
        settings.MOTCUA_TASKS_STUCK_MAX = 2
        tolerated = client.get("/healthz")

    assert (fresh.status_code, fresh.json()["tasks"]) == (
        200,
        {"status": "ok", "ready": 2, "overdue": 0, "running": 1, "expired_leases": 0},
    )
    assert (overdue.status_code, overdue.json()) == (
        503,
        {
            "status": "degraded",
            "database": "ok",
            "worker": "ok",
            "tasks": {"status": "stuck", "ready": 2, "overdue": 1, "running": 1, "expired_leases": 0},
        },
    )
    assert (lost.status_code, lost.json()["tasks"]) == (
        503,
        {"status": "stuck", "ready": 2, "overdue": 1, "running": 1, "expired_leases": 1},
    )
    assert (tolerated.status_code, tolerated.json()["status"], tolerated.json()["tasks"]["status"]) == (200, "ok", "ok")
    assert DBTaskResult.objects.count() == 3
