"""100 dossiers submitted at once to one agency get 100 distinct, consecutive codes (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

COUNT = 100


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_consecutive_codes(people) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    start = Barrier(20)
    citizen = people["citizen"]

    def submit(index: int) -> str:
        try:
            if index < 20:
                start.wait()  # the first wave starts together
            return dossier_submit_online(actor=citizen, application=birth_application()).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(submit, range(COUNT)))

    prefix = codes[0][:-4]
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(1, COUNT + 1)]
    assert Dossier.objects.count() == COUNT


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_at_once_makes_one_dossier(people) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    start = Barrier(8)
    citizen = people["citizen"]

    def submit(_index: int) -> str:
        try:
            start.wait()  # eight taps of one page arrive together
            application = birth_application()
            return dossier_submit_online(actor=citizen, application=application, idempotency_key="one-page").code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(submit, range(8)))

    assert len(set(codes)) == 1
    assert Dossier.objects.count() == 1
