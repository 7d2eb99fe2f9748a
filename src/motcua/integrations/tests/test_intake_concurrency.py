"""Pulls that run at once (several workers, or a worker and an administrator's "pull now") import each
dossier of the national portal once (PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier
from motcua.identity.models import User
from motcua.integrations.intake_models import IntakeStatus, NationalIntake
from motcua.integrations.intake_services import national_dossier_import
from motcua.integrations.tests.national import birth_dossier, empty_portal, submit

THREADS = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("account_exists", [False, True])
def test_one_dossier_imported_at_once_by_several_pulls_is_imported_once(
    catalog: Any, fake_service: Any, account_exists: bool
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    portal = empty_portal(fake_service("national_portal"))
    submit(portal, birth_dossier())
    raw = portal.app.state["submitted"][0]["item"]
    if account_exists:
        from tests.factories import make_citizen

        make_citizen(personal_id="042195006789")
    start = Barrier(THREADS)

    def run(_index: int) -> str:
        try:
            start.wait()
            return national_dossier_import(raw=raw)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = sorted(pool.map(run, range(THREADS)))

    assert outcomes == ["imported"] + ["skipped"] * (THREADS - 1)
    assert Dossier.objects.count() == 1
    assert User.objects.filter(username="042195006789").count() == 1
    intake = NationalIntake.objects.get()
    assert (intake.status, intake.dossier_id) == (IntakeStatus.IMPORTED, Dossier.objects.get().pk)
