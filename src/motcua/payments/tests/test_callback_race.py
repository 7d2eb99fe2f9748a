"""A paid callback and the applicant's withdrawal of the same dossier at the same moment (PostgreSQL, real
row locks): whichever wins, the result is consistent and nothing is lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest
from django.db import connection, connections

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import AttemptStatus, PaymentMoment, PaymentStatus
from motcua.payments.models import PaymentAttempt, PaymentCallback, PaymentRequest, ReceiptCounter
from motcua.payments.online import payment_callback_handle
from motcua.payments.settle import payment_request_add
from motcua.payments.tests.online import national_callback, started
from motcua.workflow.services import dossier_submit_online, dossier_withdraw
from tests.intake import birth_application

ROUNDS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_callback_racing_a_withdrawal_is_always_consistent(people: dict[str, Any], monday_morning: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL")
    seen: list[str] = []
    for _round in range(ROUNDS):
        dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
        request = payment_request_add(dossier=dossier, name="Phí", moment=PaymentMoment.SUBMISSION, full_amount=5000)
        attempt = started(people, request)
        data = national_callback(attempt)
        start = Barrier(2)

        def pay(start: Barrier = start, data: dict = data) -> str:
            try:
                start.wait()
                return payment_callback_handle(provider="national", data=data, remote_address=None).outcome
            finally:
                connections.close_all()

        def withdraw(start: Barrier = start, code: str = dossier.code) -> str:
            try:
                start.wait()
                return dossier_withdraw(actor=people["citizen"], code=code, reason="Nộp nhầm").status
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=2) as pool:
            paid, withdrawn = pool.submit(pay), pool.submit(withdraw)
            outcome, dossier_status = paid.result(), withdrawn.result()

        fresh = PaymentRequest.objects.get(pk=request.pk)
        assert dossier_status == Status.WITHDRAWN
        assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
        assert list(PaymentCallback.objects.filter(attempt=attempt).values_list("outcome", flat=True)) == [outcome]
        if outcome == "applied":  # paid first, then withdrawn: the payment stays
            assert (fresh.status, fresh.closed_at) == (PaymentStatus.PAID, None)
            assert fresh.receipt_number is not None and fresh.paid_at is not None
            assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUCCEEDED
        else:  # withdrawn first: the request was cancelled and the payment is logged late, to refund
            assert outcome == "late"
            assert (fresh.status, fresh.paid_at, fresh.receipt_number) == (PaymentStatus.CANCELLED, None, None)
            assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.STARTED
        seen.append(outcome)
    print(f"race: {seen.count('applied')} paid first, {seen.count('late')} withdrawn first")
    assert PaymentCallback.objects.count() == ROUNDS
    assert PaymentRequest.objects.count() == ROUNDS
    # Receipt numbers: one per payment applied, consecutive, none lost.
    assert sum(last for last in ReceiptCounter.objects.values_list("last", flat=True)) == seen.count("applied")
    assert PaymentRequest.objects.exclude(receipt_number=None).count() == seen.count("applied")
