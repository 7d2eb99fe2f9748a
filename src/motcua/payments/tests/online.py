"""Shared set-ups of the online payment tests: a dossier waiting for a fee (status 6), an attempt started,
the provider's signed callbacks (signed with the settings' secrets, as the provider would), and a snapshot of
every row a callback could change."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.payments.models import PaymentAttempt, PaymentCallback, PaymentRequest, ReceiptCounter
from motcua.payments.online import payment_start_online
from motcua.payments.providers import gateway, national
from motcua.payments.tests.test_settle import asked
from tests.processing import received_birth_dossier


def waiting_dossier(people: dict[str, Any], amount: int = 8000) -> tuple[Dossier, PaymentRequest]:
    return asked(people, received_birth_dossier(people), amount=amount)


def started(people: dict[str, Any], request: PaymentRequest, provider: str = "national") -> PaymentAttempt:
    payment_start_online(actor=people["citizen"], reference=request.reference, provider=provider)
    return PaymentAttempt.objects.filter(request=request, provider=provider).latest("id")


def national_callback(attempt: PaymentAttempt, *, code: str = "00", number: str = "T1", **changes: str) -> dict:
    values = {
        "partnerCode": settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE,
        "referenceCode": attempt.transaction_ref,
        "amount": str(attempt.amount),
        "currency": "VND",
        "transactionNo": number,
        "responseCode": code,
        "payTime": "20260309101500",
        **changes,
    }
    values["checksum"] = national.checksum(values, national.CALLBACK_FIELDS, settings.MOTCUA_PAYMENT_NATIONAL_SECRET)
    return values


def gateway_ipn(attempt: PaymentAttempt, *, code: str = "00", number: str = "G1", **changes: str) -> dict:
    params = {
        "gw_Merchant": settings.MOTCUA_PAYMENT_GATEWAY_MERCHANT,
        "gw_TxnRef": attempt.transaction_ref,
        "gw_Amount": str(attempt.amount),
        "gw_Currency": "VND",
        "gw_TransactionNo": number,
        "gw_ResponseCode": code,
        "gw_PayDate": "20260309101500",
        **changes,
    }
    params["gw_SecureHash"] = gateway.secure_hash(params, settings.MOTCUA_PAYMENT_GATEWAY_SECRET)
    return params


def snapshot() -> tuple:
    """Every row a callback may change, but the callbacks' own log."""
    return (
        list(PaymentRequest.objects.order_by("id").values_list("status", "paid_at", "receipt_number", "method")),
        list(PaymentAttempt.objects.order_by("id").values_list("status", "provider_transaction", "completed_at")),
        list(Dossier.objects.order_by("id").values_list("status", "national_status", "due_at", "paused_at")),
        DossierEvent.objects.count(),
        list(ReceiptCounter.objects.order_by("id").values_list("prefix", "last")),
    )


def outcomes() -> list[tuple[str, bool]]:
    return list(PaymentCallback.objects.order_by("id").values_list("outcome", "signature_valid"))
