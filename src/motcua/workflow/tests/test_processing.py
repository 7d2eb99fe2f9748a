"""Processing after reception: every step's national status, timeline and refusals that change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from motcua.catalog.models import Process
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Consultation, Dossier, DossierResult
from motcua.signing import verify_pdf
from motcua.workflow.constants import Action, ReturnVia
from motcua.workflow.processing import (
    ConsultationOpen,
    consultation_answer,
    dossier_apologize,
    dossier_approve,
    dossier_confirm_payment,
    dossier_consult,
    dossier_forward,
    dossier_issue_result,
    dossier_reject,
    dossier_request_payment,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_take,
)
from motcua.workflow.results import result_file
from motcua.workflow.steps import AssigneeNotEligible, NoPreviousStep
from motcua.workflow.transitions import (
    ActorNotAllowed,
    NoteRequired,
    RedatedOnlyOnce,
    TransitionNotAllowed,
    WrongStep,
)
from tests.intake import HCM, pdf
from tests.processing import process_staff, received_birth_dossier


def snapshot(dossier: Dossier) -> tuple:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return (
        fresh.status,
        fresh.national_status,
        fresh.due_at,
        fresh.step_position,
        fresh.holder_agency_id,
        fresh.assignee_id,
        fresh.step_due_at,
        fresh.events.count(),
        Consultation.objects.filter(dossier=fresh).count(),
        DossierResult.objects.filter(dossier=fresh).count(),
    )


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    # Certificates are issued at the frozen time, so they are valid when the leader signs.
    return process_staff(province, settings, tmp_path)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


def test_reception_binds_the_default_process_and_opens_the_desk_step(people, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    process = Process.objects.get(pk=dossier.process_id)
    assert (process.number, process.generated, process.status) == (1, True, "published")
    steps = list(process.steps.values_list("role", "hours"))
    assert steps == [
        ("desk_officer", Decimal("0.25")),
        ("specialist", Decimal("5.25")),
        ("unit_leader", Decimal("1.50")),
        ("clerk", Decimal("0.25")),
        ("desk_officer", Decimal("0.75")),
    ]
    assert (dossier.step_position, dossier.holder_agency.code, dossier.assignee_id) == (1, "H99.101", people["desk"].pk)
    assert dossier.step_due_at == at(9, 9, 15)
    assert dossier.due_at == at(10, 9)  # one working day
    assert dossier.warn_at == at(9, 9)  # at risk from one working day before due


def test_the_whole_way_from_desk_to_returned_result(people, staff, monday_morning) -> None:
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    dossier = received_birth_dossier(people)
    code = dossier.code
    seen: list[tuple[str, int, int | None]] = []

    def step(d: Dossier, action: str) -> None:
        seen.append((action, d.national_status, d.step_position))

    dossier = dossier_forward(actor=desk, code=code)  # to the unit's pool
    step(dossier, "forward")
    assert (dossier.status, dossier.assignee_id, dossier.holder_agency.code) == (Status.IN_PROGRESS, None, "H99.101")
    monday_morning.shift(timedelta(minutes=30))
    dossier = dossier_take(actor=specialist, code=code)
    step(dossier, "take")
    assert dossier.assignee_id == specialist.pk

    dossier = dossier_consult(
        actor=specialist, code=code, agency_codes=["H99.01"], question="Xác minh nơi cư trú?", hours=4
    )
    step(dossier, "consult")
    consultation = Consultation.objects.get(dossier=dossier)
    assert consultation.due_at == at(9, 15)  # 09:30 + 4 working hours, lunch excluded
    dossier = dossier_forward(actor=specialist, code=code, assignee=leader)
    step(dossier, "forward")
    with pytest.raises(ConsultationOpen):
        dossier_approve(actor=leader, code=code)
    assert DossierResult.objects.count() == 0

    dossier = consultation_answer(
        actor=staff["dept_specialist"], code=code, answer="Đúng nơi cư trú.", uploads=[pdf("y-kien.pdf")]
    )
    step(dossier, "answer")
    consultation.refresh_from_db()
    assert (consultation.answer, consultation.answered_by_id) == ("Đúng nơi cư trú.", staff["dept_specialist"].pk)
    assert dossier.documents.filter(event__action=Action.ANSWER_CONSULTATION).count() == 1

    dossier = dossier_approve(actor=leader, code=code, note="Đủ điều kiện", assignee=clerk)
    step(dossier, "approve")
    result = DossierResult.objects.get(dossier=dossier)
    report = verify_pdf(result_file(result))
    assert [(s.signer_name, s.intact, s.valid) for s in report.signatures] == [("Hoàng Văn Lãnh", True, True)]
    assert result.number == ""

    dossier = dossier_issue_result(actor=clerk, code=code)
    step(dossier, "issue")
    result.refresh_from_db()
    assert result.number == "KQ.H99.000001"
    assert (dossier.holder_agency.code, dossier.assignee_id, dossier.finished_at) == ("H99.101", None, at(9, 9, 30))

    dossier = dossier_return_result(actor=desk, code=code, via=ReturnVia.ELECTRONIC)
    step(dossier, "return")
    assert (dossier.holder_agency_id, dossier.closed_at) == (None, at(9, 9, 30))
    assert seen == [
        ("forward", NationalStatus.PROCESSING, 2),
        ("take", NationalStatus.PROCESSING, 2),
        ("consult", NationalStatus.PROCESSING, 2),
        ("forward", NationalStatus.PROCESSING, 3),
        ("answer", NationalStatus.PROCESSING, 3),
        ("approve", NationalStatus.PROCESSING, 4),
        ("issue", NationalStatus.DONE, 5),
        ("return", NationalStatus.RETURNED, 5),
    ]
    timeline = list(dossier.events.values_list("action", "national_status", "step"))
    assert timeline == [
        ("submit", 1, None),
        ("receive", 2, 1),
        ("forward", 4, 2),
        ("take", 4, 2),
        ("consult", 4, 2),
        ("forward", 4, 3),
        ("answer_consultation", 4, 3),
        ("approve", 4, 4),
        ("issue_result", 9, 5),
        ("return_result", 10, 5),
    ]


def test_forbidden_actions_change_nothing(people, staff, monday_morning) -> None:
    desk, specialist, leader, clerk = people["desk"], people["specialist"], staff["leader"], staff["clerk"]
    dossier = received_birth_dossier(people)
    code = dossier.code
    before = snapshot(dossier)
    refusals = [
        (lambda: dossier_forward(actor=specialist, code=code), ActorNotAllowed),  # the desk holds step 1
        (lambda: dossier_approve(actor=leader, code=code), TransitionNotAllowed),  # not in progress yet
        (lambda: dossier_send_back(actor=desk, code=code, reason="x"), TransitionNotAllowed),
        (lambda: dossier_issue_result(actor=clerk, code=code), TransitionNotAllowed),
        (lambda: dossier_return_result(actor=desk, code=code, via=ReturnVia.DESK), TransitionNotAllowed),
        (lambda: dossier_forward(actor=desk, code=code, assignee=clerk), AssigneeNotEligible),  # no specialist
    ]
    for attempt, error in refusals:
        with pytest.raises(error):
            attempt()
        assert snapshot(dossier) == before

    dossier = dossier_forward(actor=desk, code=code, assignee=specialist)
    before = snapshot(dossier)
    for attempt, error in [
        (lambda: dossier_approve(actor=leader, code=code), WrongStep),  # the specialist's step
        (lambda: dossier_issue_result(actor=specialist, code=code), WrongStep),
        (lambda: dossier_take(actor=staff["specialist2"], code=code), ActorNotAllowed),
        (lambda: dossier_forward(actor=staff["specialist2"], code=code), ActorNotAllowed),
        (lambda: dossier_send_back(actor=specialist, code=code, reason=" "), NoteRequired),
    ]:
        with pytest.raises(error):
            attempt()
        assert snapshot(dossier) == before


def test_take_by_a_colleague_is_refused_once_assigned(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code)
    dossier = dossier_take(actor=people["specialist"], code=dossier.code)
    before = snapshot(dossier)
    with pytest.raises(ActorNotAllowed):
        dossier_take(actor=staff["specialist2"], code=dossier.code)
    assert snapshot(dossier) == before


def test_send_back_returns_to_the_person_who_held_the_step(people, staff, monday_morning) -> None:
    desk, specialist, leader = people["desk"], people["specialist"], staff["leader"]
    dossier = received_birth_dossier(people)
    dossier_forward(actor=desk, code=dossier.code, assignee=specialist)
    dossier_forward(actor=specialist, code=dossier.code, assignee=leader)
    dossier = dossier_send_back(actor=leader, code=dossier.code, reason="Bổ sung thẩm định")
    assert (dossier.step_position, dossier.assignee_id, dossier.status) == (2, specialist.pk, Status.IN_PROGRESS)
    dossier = dossier_send_back(actor=specialist, code=dossier.code, reason="Kiểm tra lại thành phần")
    assert (dossier.step_position, dossier.assignee_id) == (1, desk.pk)
    with pytest.raises(TransitionNotAllowed):  # the desk step is the first: nothing before it
        dossier_send_back(actor=desk, code=dossier.code, reason="x")
    assert NoPreviousStep.code == "no_previous_step"


def test_leader_refusal_gives_a_signed_letter(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=dossier.code, assignee=staff["leader"])
    with pytest.raises(NoteRequired):
        dossier_reject(actor=staff["leader"], code=dossier.code, reason=" ")
    dossier = dossier_reject(actor=staff["leader"], code=dossier.code, reason="Không đủ điều kiện")
    result = DossierResult.objects.get(dossier=dossier)
    assert result.decision == "refused"
    assert verify_pdf(result_file(result)).all_valid


def test_stop_closes_the_dossier_with_reason(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier = dossier_stop(actor=staff["leader"], code=dossier.code, reason="Không đủ điều kiện giải quyết")
    assert (dossier.status, dossier.national_status, dossier.holder_agency_id) == (Status.STOPPED, 8, None)
    before = snapshot(dossier)
    with pytest.raises(TransitionNotAllowed):
        dossier_forward(actor=people["specialist"], code=dossier.code)
    assert snapshot(dossier) == before


def test_financial_obligation_pauses_both_clocks(people, staff, monday_morning) -> None:
    specialist = people["specialist"]
    dossier = received_birth_dossier(people)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=specialist)
    step_due, due = dossier.step_due_at, dossier.due_at
    dossier = dossier_request_payment(actor=specialist, code=dossier.code, amount=8000, note="Lệ phí")
    assert (dossier.status, dossier.national_status) == (Status.FINANCIAL_OBLIGATION, NationalStatus.FINANCIAL)
    monday_morning.shift(timedelta(hours=2))  # 11:00: two working hours paused
    dossier = dossier_confirm_payment(actor=specialist, code=dossier.code)
    assert (dossier.status, dossier.national_status) == (Status.IN_PROGRESS, NationalStatus.PROCESSING)
    assert (due, step_due) == (at(10, 9), at(9, 15, 45))
    assert dossier.due_at == at(10, 11)  # two working hours later
    assert dossier.step_due_at == at(10, 8, 15)  # 15:45 + 2 working hours: 17:00, then Tuesday 07:30 + 45 min


def test_apology_resets_the_due_time_once(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    original = dossier.due_at
    new_due = at(12, 16)
    dossier = dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=new_due)
    assert (dossier.due_at, dossier.original_due_at, dossier.status) == (new_due, original, Status.RECEIVED)
    assert dossier.warn_at == at(11, 16)
    before = snapshot(dossier)
    with pytest.raises(RedatedOnlyOnce) as caught:
        dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Lần hai", new_due_at=at(13, 16))
    assert caught.value.code == "redate_only_once"
    assert snapshot(dossier) == before


def test_apology_needs_a_later_due_time_and_a_leader(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    before = snapshot(dossier)
    with pytest.raises(ValidationFailed) as caught:
        dossier_apologize(actor=staff["leader"], code=dossier.code, reason="x", new_due_at=at(9, 8))
    assert caught.value.code == "validation_failed"
    with pytest.raises(ActorNotAllowed):
        dossier_apologize(actor=people["specialist"], code=dossier.code, reason="x", new_due_at=at(12, 16))
    assert snapshot(dossier) == before


def test_consulting_unknown_or_own_agency_is_refused(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    before = snapshot(dossier)
    for codes, hours in ((["H00.99"], 4), (["H99.101"], 4), (["H99.01"], 0), ([], 4)):
        with pytest.raises(ValidationFailed) as caught:
            dossier_consult(
                actor=people["specialist"], code=dossier.code, agency_codes=codes, question="?", hours=hours
            )
        assert caught.value.code == "validation_failed"
        assert snapshot(dossier) == before
