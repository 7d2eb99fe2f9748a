"""The daily counts: exact values for a small history, and rebuilt == incrementally kept."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from motcua.catalog.constants import DocumentForm
from motcua.core.exceptions import DomainError
from motcua.documents.models import DigitizedDocument
from motcua.workflow.constants import ReturnVia
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat
from motcua.workflow.processing import (
    consultation_answer,
    dossier_apologize,
    dossier_approve,
    dossier_confirm_payment,
    dossier_consult,
    dossier_forward,
    dossier_issue_result,
    dossier_request_payment,
    dossier_return_result,
    dossier_stop,
)
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from motcua.workflow.stats import stat_deltas, stats_rebuild
from tests.digitization import reusable_birth_documents
from tests.intake import HCM, birth_application, birth_documents, pdf
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
        "reused": 0,
        "store_held": 0,  # the birth documents may not be taken from the store
        "not_asked_again": 0,
        "certification_finished": 0,
        "certified_ecopies": 0,
        "crossed": 0,  # received and decided at commune A, nobody consulted
        "crossed_electronic": 0,
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


def test_what_a_reception_and_an_issued_result_count() -> None:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)

    def received(**payload) -> dict[str, int]:
        return stat_deltas(action="receive", at=at, due_at=None, payload=payload)

    assert received() == {"received": 1}  # a reception recorded before issue 14
    assert received(digitized=True, reused=0, store_held=0, asked_again=0) == {"received": 1, "digitized": 1}
    assert received(digitized=True, reused=2, store_held=2, asked_again=0) == {
        "received": 1,
        "digitized": 1,
        "reused": 1,
        "store_held": 1,
        "not_asked_again": 1,
    }
    assert received(digitized=False, reused=1, store_held=3, asked_again=2) == {
        "received": 1,
        "reused": 1,
        "store_held": 1,
    }

    def issued(**payload) -> dict[str, int]:
        return stat_deltas(action="issue_result", at=at, due_at=None, payload=payload)

    assert issued(electronic=True, certification=True, certified_copy=True, crossed=False, paper_kept=False) == {
        "finished_on_time": 1,
        "issued_electronic": 1,
        "certification_finished": 1,
        "certified_ecopies": 1,
    }
    assert issued(electronic=False, certification=False, certified_copy=False, crossed=True, paper_kept=False) == {
        "finished_on_time": 1,
        "crossed": 1,
        "crossed_electronic": 1,
    }
    assert issued(electronic=False, certification=False, certified_copy=False, crossed=True, paper_kept=True) == {
        "finished_on_time": 1,
        "crossed": 1,
    }


def _stored_codes(owner: str) -> dict[str, str]:
    """The owner's newest stored document of each type."""
    rows = DigitizedDocument.objects.filter(store__owner_id_number=owner).order_by("digitized_at", "pk")
    return {row.type_code: row.code for row in rows}


def _start(rng: random.Random, people) -> str:
    """A dossier submitted online (uploading, or taking what the store holds), or received at once at
    commune A's or commune B's desk with papers (originals seen, copies kept)."""
    tkks, gcs = birth_documents()
    citizen = people["citizen"]
    how = rng.choice(["upload", "store", "desk", "other_desk"])
    if how in ("upload", "store"):
        held = _stored_codes(citizen.personal_id) if how == "store" else {}
        reused = {spec.pk: held[spec.document_type_code] for spec in (tkks, gcs) if spec.document_type_code in held}
        uploads = [pdf(required_document_id=spec.pk) for spec in (tkks, gcs) if spec.pk not in reused]
        application = birth_application(uploads=uploads, reused=reused)
        return dossier_submit_online(actor=citizen, application=application).code
    officer, desk_code = (people["desk"], "H99.101.MC") if how == "desk" else (people["other_desk"], "H99.102.MC")
    forms = {spec.pk: rng.choice(["scan", DocumentForm.ORIGINAL, DocumentForm.COPY]) for spec in (tkks, gcs)}
    return dossier_receive_at_desk(
        officer=officer,
        applicant=citizen,
        desk_code=desk_code,
        application=birth_application(uploads=[pdf(required_document_id=pk) for pk, f in forms.items() if f == "scan"]),
        originals_seen=[],
        papers={pk: form for pk, form in forms.items() if form != "scan"},
    ).code


def _random_life(rng: random.Random, people, staff, clock) -> None:
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    code = _start(rng, people)
    if code.startswith("H99.102"):  # received at commune B's desk: its officer forwards it
        desk = people["other_desk"]
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
        lambda: dossier_consult(actor=specialist, code=code, agency_codes=["H99.01"], question="?", hours=4),
        lambda: consultation_answer(actor=staff["dept_specialist"], code=code, answer="Đồng ý"),
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
    reusable_birth_documents()
    for _ in range(8):
        _random_life(rng, people, staff, monday_morning)
    incremental, monthly = table(), table(DossierMonthStat)
    assert sum(row[5] for row in incremental) == 8  # every dossier was submitted once
    totals = [sum(row[i] for row in incremental) for i in range(5, 5 + len(COUNTERS))]
    assert sum(totals[1:]) > 8, totals  # the histories went past submission
    counted = dict(zip(COUNTERS, totals, strict=True))
    assert counted["store_held"] > 0, counted  # the store came into play
    stats_rebuild()
    assert table() == incremental
    assert table(DossierMonthStat) == monthly
