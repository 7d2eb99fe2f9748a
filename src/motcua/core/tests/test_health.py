from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from motcua.core.health import beat


@pytest.mark.django_db
def test_health_reports_a_missing_worker(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "missing"}


@pytest.mark.django_db
def test_health_is_ok_with_a_fresh_heartbeat_and_stale_after_a_minute(client) -> None:
    beat("worker-1")
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "ok"}
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = client.get("/healthz")
    assert (response.status_code, response.json()["worker"]) == (503, "stale")
