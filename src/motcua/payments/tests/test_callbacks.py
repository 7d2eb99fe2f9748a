"""Provider callbacks: each one is logged; only a verified, matching one settles its request, once.
Forged, replayed, duplicated, out-of-order, wrong-amount, wrong-currency and unknown callbacks change no
request, attempt, dossier, event or receipt counter."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.test import Client

from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import AttemptStatus, PaymentStatus
from motcua.payments.models import PaymentAttempt, PaymentCallback, PaymentRequest
from motcua.payments.online import payment_callback_handle
from motcua.payments.tests.online import (
    gateway_ipn,
    national_callback,
    outcomes,
    snapshot,
    started,
    waiting_dossier,
)
from motcua.workflow.services import dossier_withdraw

URL = "/api/v1/payments/callbacks/"


def handle(data: dict, provider: str = "national") -> str:
    return payment_callback_handle(provider=provider, data=data, remote_address="203.0.113.9").outcome


def test_a_paid_callback_settles_the_request_and_the_dossier_leaves_status_6(people, monday_morning) -> None:
    dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    due = dossier.due_at
    monday_morning.shift(timedelta(hours=1))
    answer = payment_callback_handle(provider="national", data=national_callback(attempt), remote_address="203.0.113.9")
    assert (answer.outcome, answer.body) == ("applied", {"responseCode": "00", "message": "applied"})
    fresh = PaymentRequest.objects.get(pk=request.pk)
    assert (fresh.status, fresh.method, fresh.provider, fresh.provider_transaction) == (
        "paid",
        "online",
        "national",
        "T1",
    )
    assert fresh.receipt_number == "BL.H99.101.2026.000001"
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUCCEEDED
    moved = Dossier.objects.get(pk=dossier.pk)
    assert (moved.status, moved.national_status) == (Status.IN_PROGRESS, NationalStatus.PROCESSING)
    assert moved.due_at == due + timedelta(hours=1)  # the clock was paused one working hour
    callback = PaymentCallback.objects.get()
    assert (callback.outcome, callback.signature_valid, callback.transaction_ref, callback.attempt_id) == (
        "applied",
        True,
        attempt.transaction_ref,
        attempt.pk,
    )
    assert (callback.remote_address, callback.detail) == (
        "203.0.113.9",
        "receipt BL.H99.101.2026.000001; dossier resumed",
    )


def test_replayed_and_duplicated_callbacks_change_nothing_but_the_log(people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    paid = national_callback(attempt)
    assert handle(paid) == "applied"
    after = snapshot()
    assert handle(paid) == "duplicate"  # the same callback again
    assert handle(national_callback(attempt, number="T2")) == "duplicate"  # a second charge: to refund
    assert snapshot() == after
    assert outcomes() == [("applied", True), ("duplicate", True), ("duplicate", True)]
    assert PaymentCallback.objects.last().detail == "request paid; paid by T1: to refund"


def test_forged_wrong_amount_wrong_currency_and_unknown_callbacks_change_nothing(
    people, monday_morning, caplog
) -> None:
    _dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    before = snapshot()
    forged = {**national_callback(attempt), "amount": "80"}  # changed after signing
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        assert handle(forged) == "forged"
        assert handle(national_callback(attempt, amount="7000")) == "mismatch"
        assert handle(national_callback(attempt, currency="USD")) == "mismatch"
        assert handle(national_callback(attempt, referenceCode="H99.101-260309-0001.TT09.1")) == "unknown"
        assert handle({}) == "forged"
    assert snapshot() == before
    assert outcomes() == [
        ("forged", False),
        ("mismatch", True),
        ("mismatch", True),
        ("unknown", True),
        ("forged", False),
    ]
    assert [r.levelname for r in caplog.records] == ["WARNING"] * 5
    assert PaymentCallback.objects.get(outcome="unknown").attempt_id is None
    assert PaymentCallback.objects.filter(outcome="mismatch").first().detail == "7000 VND ≠ 8000 VND"


def test_a_failure_after_a_success_changes_nothing(people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    assert handle(national_callback(attempt)) == "applied"
    after = snapshot()
    assert handle(national_callback(attempt, code="51")) == "duplicate"
    assert snapshot() == after
    assert PaymentCallback.objects.last().detail == "code 51; the attempt had already ended (succeeded)"


def test_a_failure_makes_the_request_payable_again_and_a_later_success_still_counts(people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.PENDING
    assert handle(national_callback(attempt, code="51")) == "failed"
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.UNPAID
    assert PaymentAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.FAILED
    failed = snapshot()
    assert handle(national_callback(attempt, code="51")) == "duplicate"  # the failure again
    assert snapshot() == failed
    # The provider then says the same transaction was paid after all: the money was taken, it counts.
    assert handle(national_callback(attempt)) == "applied"
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.PAID
    paid = snapshot()
    assert handle(national_callback(attempt)) == "duplicate"
    assert snapshot() == paid
    assert [o for o, _valid in outcomes()] == ["failed", "duplicate", "applied", "duplicate"]


def test_a_success_after_the_dossier_was_withdrawn_is_late_and_changes_nothing(people, monday_morning) -> None:
    dossier, request = waiting_dossier(people)
    attempt = started(people, request)
    dossier_withdraw(actor=people["citizen"], code=dossier.code, reason="Không cần nữa")
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.CANCELLED
    before = snapshot()
    assert handle(national_callback(attempt)) == "late"
    assert snapshot() == before
    assert PaymentCallback.objects.get().detail == "request cancelled: to refund"


def test_the_endpoint_takes_the_national_json_post_and_the_gateway_get(people, monday_morning) -> None:
    _dossier, first = waiting_dossier(people)
    _other, second = waiting_dossier(people, amount=12000)
    national = started(people, first)
    gateway = started(people, second, provider="gateway")
    client = Client(enforce_csrf_checks=True)
    answer = client.post(f"{URL}national", national_callback(national), content_type="application/json")
    assert (answer.status_code, answer.json()) == (200, {"responseCode": "00", "message": "applied"})
    answer = client.get(f"{URL}gateway", gateway_ipn(gateway))
    assert (answer.status_code, answer.json()) == (200, {"RspCode": "00", "Message": "applied"})
    answer = client.get(f"{URL}gateway", {**gateway_ipn(gateway), "gw_Amount": "1"})
    assert (answer.status_code, answer.json()) == (200, {"RspCode": "97", "Message": "forged"})
    answer = client.post(f"{URL}gateway", gateway_ipn(gateway))  # a form POST of the same IPN: a replay
    assert (answer.status_code, answer.json()) == (200, {"RspCode": "02", "Message": "duplicate"})
    assert client.post(f"{URL}paypal", {}).status_code == 404
    assert list(PaymentRequest.objects.order_by("id").values_list("status", flat=True)) == ["paid", "paid"]
    assert PaymentCallback.objects.count() == 4


def test_an_unreadable_body_is_logged_as_forged(people, monday_morning) -> None:
    client = Client()
    bad = client.post(f"{URL}national", b"--x\r\nbroken", content_type="multipart/form-data; boundary=")
    assert (bad.status_code, bad.json()) == (200, {"responseCode": "97", "message": "forged"})
    not_json = client.post(f"{URL}national", b"\xff[", content_type="application/json")
    assert (not_json.status_code, not_json.json()) == (200, {"responseCode": "97", "message": "forged"})
    assert outcomes() == [("forged", False), ("forged", False)]
