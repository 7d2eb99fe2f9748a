"""An action sent several times at once with one Idempotency-Key acts once (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from motcua.dossiers.models import DossierEvent
from motcua.workflow.idempotency import dossier_act_once
from motcua.workflow.models import ActionKey
from motcua.workflow.processing import dossier_forward
from tests.processing import received_birth_dossier

COUNT = 8


@pytest.mark.django_db(transaction=True)
def test_the_same_action_sent_at_once_with_one_key_acts_once(people) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")
    code = received_birth_dossier(people).code
    desk = people["desk"]
    start = Barrier(COUNT)

    def forward(_index: int) -> tuple[str, bool]:
        try:
            start.wait()  # a sector system's retries arrive together
            outcome = dossier_act_once(
                actor=desk,
                key="chuyen-1",
                action="forward",
                code=code,
                data={"note": "Chuyển"},
                run=lambda: dossier_forward(actor=desk, code=code, note="Chuyển"),
            )
            return outcome.dossier.code, outcome.replayed
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        outcomes = list(pool.map(forward, range(COUNT)))

    # Without the key the later ones would be refused (the dossier left the desk's step): they wait for the
    # first one's transaction instead and get its answer.
    assert sorted(outcomes) == [(code, False)] + [(code, True)] * (COUNT - 1)
    assert DossierEvent.objects.filter(dossier__code=code, action="forward").count() == 1
    assert ActionKey.objects.get().event.action == "forward"
