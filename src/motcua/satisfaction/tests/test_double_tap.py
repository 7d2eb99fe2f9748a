"""A double tap on PostgreSQL (real concurrency): two requests rate the same dossier at the same moment;
exactly one rating is recorded and counted once, the other is refused as already rated."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from django.db import connection, connections

from motcua.core.models import AuditEntry
from motcua.core.site import rating_token
from motcua.satisfaction.constants import RatingChannel
from motcua.satisfaction.exceptions import AlreadyRated
from motcua.satisfaction.models import Rating, SatisfactionDayStat
from motcua.satisfaction.services import rating_record
from motcua.satisfaction.tests.walk import result_ready
from tests.processing import process_staff

ROUNDS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_taps_at_once_make_one_rating_and_one_count(
    province: Any, people: dict[str, Any], settings: Any, tmp_path: Any, monday_morning: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts are exercised on PostgreSQL")
    staff = process_staff(province, settings, tmp_path)
    for _round in range(ROUNDS):
        dossier = result_ready(people, staff)
        token = rating_token(dossier.code)
        start = Barrier(2)

        def tap(level: str, start: Barrier = start, dossier: Any = dossier, token: str = token) -> str:
            try:
                start.wait()
                rating_record(dossier=dossier, level=level, channel=RatingChannel.ONLINE, token=token)
                return "recorded"
            except AlreadyRated:
                return "already_rated"
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = sorted(f.result() for f in [pool.submit(tap, "satisfied"), pool.submit(tap, "satisfied")])

        assert outcomes == ["already_rated", "recorded"]
        assert Rating.objects.filter(dossier=dossier).count() == 1
    assert Rating.objects.count() == ROUNDS
    stat = SatisfactionDayStat.objects.get()
    assert (stat.very_satisfied, stat.satisfied, stat.not_satisfied) == (0, ROUNDS, 0)
    assert AuditEntry.objects.filter(action="satisfaction.rate").count() == ROUNDS
