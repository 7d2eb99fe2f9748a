"""The one writer of a payment request's status: settle, duplicate, mismatch, late, cancel on withdrawal,
and the clock resumed in the same transaction as the payment."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import CallbackOutcome, PaymentMethod, PaymentMoment, PaymentStatus
from motcua.payments.models import PaymentRequest, ReceiptCounter
from motcua.payments.settle import PaymentNotOpen, payment_cancel, payment_request_add, payment_settle
from motcua.workflow.processing import dossier_confirm_payment, dossier_forward, dossier_request_payment
from motcua.workflow.services import dossier_submit_online, dossier_withdraw
from tests.intake import HCM, birth_application
from tests.processing import received_birth_dossier


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


def asked(people, dossier, amount=8000):
    """The specialist asks for a fee (status 6) and the request the applicant must pay."""
    dossier = dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier = dossier_request_payment(actor=people["specialist"], code=dossier.code, amount=amount, note="Lệ phí")
    # The request is made by the workflow writer's hook (payments.requests), in the event's transaction.
    request = PaymentRequest.objects.get(dossier=dossier, moment=PaymentMoment.AUTHORITY)
    return dossier, request


def rows(request: PaymentRequest) -> tuple:
    fresh = PaymentRequest.objects.get(pk=request.pk)
    dossier = Dossier.objects.get(pk=fresh.dossier_id)
    return (
        fresh.status,
        fresh.paid_at,
        fresh.receipt_number,
        dossier.status,
        dossier.due_at,
        dossier.events.count(),
        ReceiptCounter.objects.count(),
    )


def test_an_online_payment_resumes_the_paused_clock_in_its_transaction(people, monday_morning) -> None:
    dossier, request = asked(people, received_birth_dossier(people))
    assert (dossier.status, dossier.national_status) == (Status.FINANCIAL_OBLIGATION, NationalStatus.FINANCIAL)
    due = dossier.due_at
    monday_morning.shift(timedelta(hours=2))
    settled = payment_settle(
        request_id=request.pk, method=PaymentMethod.ONLINE, amount=8000, provider="sandbox", provider_transaction="T1"
    )
    assert (settled.outcome, settled.resumed) == (CallbackOutcome.APPLIED, True)
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.national_status) == (Status.IN_PROGRESS, NationalStatus.PROCESSING)
    assert fresh.due_at == due + timedelta(hours=2)  # two working hours paused, Monday morning
    event = fresh.events.latest("at")
    assert (event.action, event.actor_id) == ("confirm_payment", None)
    assert settled.request.receipt_number == "BL.H99.101.2026.000001"
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.PAID


def test_a_second_callback_or_a_wrong_amount_changes_nothing(people, monday_morning) -> None:
    _dossier, request = asked(people, received_birth_dossier(people))
    before = rows(request)
    assert payment_settle(request_id=request.pk, method=PaymentMethod.ONLINE, amount=7999).outcome == "mismatch"
    assert rows(request) == before
    payment_settle(request_id=request.pk, method=PaymentMethod.ONLINE, amount=8000)
    after = rows(request)
    assert payment_settle(request_id=request.pk, method=PaymentMethod.ONLINE, amount=8000).outcome == "duplicate"
    assert rows(request) == after


def test_cash_at_the_desk_is_recorded_by_the_officer_and_numbered_in_sequence(people, monday_morning) -> None:
    first = payment_request_add(
        dossier=received_birth_dossier(people), name="Phí", moment=PaymentMoment.RECEPTION, full_amount=5000
    )
    second = payment_request_add(
        dossier=received_birth_dossier(people), name="Phí", moment=PaymentMoment.RECEPTION, full_amount=5000
    )
    numbers = [
        payment_settle(
            request_id=r.pk, method=PaymentMethod.CASH, amount=5000, recorded_by=people["desk"]
        ).request.receipt_number
        for r in (second, first)
    ]
    assert [n[-6:] for n in numbers] == ["000001", "000002"]
    assert PaymentRequest.objects.get(pk=first.pk).recorded_by == people["desk"]
    assert first.reference.endswith(".TT01")


def test_a_withdrawal_cancels_what_is_unpaid_and_a_late_payment_changes_nothing(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    request = payment_request_add(dossier=dossier, name="Phí", moment=PaymentMoment.SUBMISSION, full_amount=5000)
    dossier_withdraw(actor=people["citizen"], code=dossier.code, reason="Nộp nhầm")
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.CANCELLED
    before = rows(request)
    assert payment_settle(request_id=request.pk, method=PaymentMethod.ONLINE, amount=5000).outcome == "late"
    assert rows(request) == before
    with pytest.raises(PaymentNotOpen):
        payment_cancel(request_id=request.pk, reason="again")


def test_staff_confirming_the_obligation_themselves_close_what_the_authority_asked(people, monday_morning) -> None:
    """A tax paid at the tax office: the specialist confirms; the request asked here does not stay open."""
    dossier, request = asked(people, received_birth_dossier(people))
    dossier_confirm_payment(actor=people["specialist"], code=dossier.code, note="Biên lai thuế số 0012")
    closed = PaymentRequest.objects.get(pk=request.pk)
    assert (closed.status, closed.receipt_number, ReceiptCounter.objects.count()) == (PaymentStatus.CANCELLED, None, 0)
    assert closed.closed_reason == "Cán bộ xác nhận đã nộp ngoài hệ thống: Biên lai thuế số 0012"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
