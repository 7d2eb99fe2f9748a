"""Digitized document codes under concurrency: N transactions for one prefix get .01 … .N (PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections, transaction

from motcua.documents.models import DigitizedCounter
from motcua.documents.services import next_code

COUNT = 40
PREFIX = "042190001234.1.001193.TKKS"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_digitizing_for_one_prefix_gives_consecutive_unique_codes() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    start = Barrier(COUNT)

    def digitize(_index: int) -> str:
        try:
            start.wait()  # all ask at once, the counter row not made yet
            with transaction.atomic():
                return next_code(PREFIX)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        codes = list(pool.map(digitize, range(COUNT)))

    assert sorted(codes) == [f"{PREFIX}.{n:02d}" for n in range(1, COUNT + 1)]
    assert list(DigitizedCounter.objects.values_list("prefix", "last")) == [(PREFIX, COUNT)]
