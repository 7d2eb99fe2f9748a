"""The daily counts: exact values for a small history, and rebuilt == incrementally kept."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from motcua.core.exceptions import DomainError
from motcua.workflow.constants import ReturnVia
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat
from motcua.workflow.processing import (
    dossier_apologize,
    dossier_approve,
    dossier_confirm_payment,
    dossier_forward,
    dossier_issue_result,
    dossier_request_payment,
    dossier_return_result,
    dossier_stop,
)
from motcua.workflow.services import (
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from motcua.workflow.stats import stat_deltas, stats_rebuild
from tests.intake import HCM, birth_application, pdf
from tests.processing import process_staff


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def table(model: type = DossierDayStat) -> list[tuple]:
    keys = ("day", "agency_id", "receiving_agency_id", "procedure_id", "channel")
    return sorted(model.objects.values_list(*keys, *COUNTERS))


def test_one_day_by_hand(people, staff, monday_morning) -> None:
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    done = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=desk, code=done.code)
    dossier_forward(actor=desk, code=done.code, assignee=specialist)
    dossier_forward(actor=specialist, code=done.code, assignee=leader)
    dossier_approve(actor=leader, code=done.code, assignee=clerk)
    dossier_issue_result(actor=clerk, code=done.code)  # Monday, due Tuesday 09:00: early
    dossier_return_result(actor=desk, code=done.code, via=ReturnVia.ELECTRONIC)
    refused = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_refuse(actor=desk, code=refused.code, reason="Sai thẩm quyền")
    row = DossierDayStat.objects.get()
    assert {name: getattr(row, name) for name in COUNTERS} == {
        "submitted": 2,
        "received": 1,
        "digitized": 1,
        "refused": 1,
        "supplements": 0,
        "withdrawn": 0,
        "stopped": 0,
        "finished_early": 1,
        "finished_on_time": 0,
        "finished_late": 0,
        "returned": 1,
        "returned_electronic": 1,
        "apologies": 0,
        "issued_electronic": 1,  # the leader signed the result with a certificate
    }
    assert (str(row.day), row.channel, row.agency.code) == ("2026-03-09", "online", "H99.101")


def test_timeliness_of_a_finished_result() -> None:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)
    assert stat_deltas(action="issue_result", at=at, due_at=at, payload={}) == {"finished_on_time": 1}
    assert stat_deltas(action="issue_result", at=at, due_at=at + timedelta(seconds=1), payload={}) == {
        "finished_early": 1
    }
    assert stat_deltas(action="issue_result", at=at, due_at=at - timedelta(seconds=1), payload={}) == {
        "finished_late": 1
    }
    assert stat_deltas(action="issue_result", at=at, due_at=None, payload={}) == {"finished_on_time": 1}
    assert stat_deltas(action="issue_result", at=at, due_at=None, payload={"electronic": True}) == {
        "finished_on_time": 1,
        "issued_electronic": 1,
    }
    assert stat_deltas(action="issue_result", at=at, due_at=None, payload={"electronic": False}) == {
        "finished_on_time": 1
    }
    assert stat_deltas(action="forward", at=at, due_at=at, payload={}) == {}


def _random_life(rng: random.Random, people, staff, clock) -> None:
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    code = dossier_submit_online(actor=people["citizen"], application=birth_application()).code
    steps = [
        lambda: dossier_receive(actor=desk, code=code),
        lambda: dossier_forward(actor=desk, code=code, assignee=specialist),
        lambda: dossier_forward(actor=specialist, code=code, assignee=leader),
        lambda: dossier_approve(actor=leader, code=code, assignee=clerk),
        lambda: dossier_issue_result(actor=clerk, code=code),
        lambda: dossier_return_result(actor=desk, code=code, via=rng.choice(list(ReturnVia.values))),
    ]
    detours = [
        lambda: dossier_refuse(actor=desk, code=code, reason="Sai"),
        lambda: dossier_request_supplement(actor=desk, code=code, missing=["Giấy tờ"], note=""),
        lambda: dossier_submit_supplement(actor=people["citizen"], code=code, uploads=[pdf("bs.pdf")]),
        lambda: dossier_withdraw(actor=people["citizen"], code=code, reason="Rút"),
        lambda: dossier_stop(actor=leader, code=code, reason="Dừng"),
        lambda: dossier_request_payment(actor=specialist, code=code, amount=5000, note="Phí"),
        lambda: dossier_confirm_payment(actor=specialist, code=code),
        lambda: dossier_apologize(
            actor=leader, code=code, reason="Chậm", new_due_at=clock_now(clock) + timedelta(days=rng.randint(2, 9))
        ),
    ]
    for step in steps:
        while rng.random() < 0.3:
            with contextlib.suppress(DomainError):
                rng.choice(detours)()
        clock.shift(timedelta(hours=rng.choice([0.5, 2, 7, 20, 50])))
        try:
            step()
        except DomainError:
            if rng.random() < 0.5:
                return


def clock_now(clock):
    return timezone.now()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuilt_counts_equal_the_incremental_ones(people, staff, monday_morning, seed, settings) -> None:
    rng = random.Random(seed)
    settings.MOTCUA_TIMELINESS_COMPARE = rng.choice(["timestamp", "date"])
    for _ in range(6):
        _random_life(rng, people, staff, monday_morning)
    incremental, monthly = table(), table(DossierMonthStat)
    assert sum(row[5] for row in incremental) == 6  # every dossier was submitted once
    totals = [sum(row[i] for row in incremental) for i in range(5, 5 + len(COUNTERS))]
    assert sum(totals[1:]) > 6, totals  # the histories went past submission
    stats_rebuild()
    assert table() == incremental
    assert table(DossierMonthStat) == monthly
