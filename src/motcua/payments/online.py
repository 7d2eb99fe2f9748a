"""Paying a fee online (DOMAIN.md §9; Nghị định 45/2020/NĐ-CP on the online payment of administrative
procedures; the fee itself: Luật Phí và lệ phí 2015, số 97/2015/QH13).

- ``payment_start_online``: the applicant starts paying an open request with a provider: an attempt with its
  own transaction reference, the request pending (``settle.payment_started``), and the provider's signed URL.
  A second tap within ``MOTCUA_PAYMENT_ATTEMPT_REUSE_MINUTES`` goes back to the attempt already started, so
  that two payments of the same fee cannot both be charged.
- ``payment_callback_handle``: a provider's callback. Every callback is kept (``PaymentCallback``); only a
  verified one that matches its attempt's amount and currency reaches ``settle``, which alone writes a
  status. Replayed, duplicated, late and out-of-order callbacks change nothing but the log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError, NotFound
from motcua.payments.constants import OPEN_STATUSES, AttemptStatus, CallbackOutcome, PaymentMethod
from motcua.payments.models import PaymentAttempt, PaymentCallback, PaymentRequest
from motcua.payments.providers import provider_for
from motcua.payments.providers.base import CURRENCY, CallbackMalformed, SignatureInvalid, Verified
from motcua.payments.settle import PaymentNotOpen, attempt_failed, payment_settle, payment_started

logger = logging.getLogger("motcua.payments")

MAX_BODY_CHARS = 8000  # what is kept of a callback's body


class NothingToPay(DomainError):
    code = "payment_nothing_to_pay"
    status = 409
    default_message = _("There is nothing to pay on this request.")


def return_url(request: PaymentRequest) -> str:
    path = reverse("portal:payment_return", kwargs={"code": request.dossier.code, "reference": request.reference})
    return f"{settings.SITE_URL}{path}"


def notify_url(provider: str) -> str:
    return f"{settings.SITE_URL}{reverse('api:payment-callback', kwargs={'provider': provider})}"


def payment_start_online(*, actor: Any, reference: str, provider: str) -> str:
    """The URL the applicant's browser is sent to, to pay the request ``reference`` with ``provider``.

    Only the dossier's applicant may pay it (anyone else: not found), only while it is open (unpaid or
    pending) and more than 0 VND. The transaction reference is ``<request reference>.<n>``, n counting the
    request's attempts."""
    chosen = provider_for(provider)
    request = PaymentRequest.objects.select_related("dossier").filter(reference=reference).first()
    if request is None or getattr(actor, "pk", None) is None or request.dossier.applicant_id != actor.pk:
        raise NotFound(_("This payment request does not exist."))
    if request.status not in OPEN_STATUSES:
        raise PaymentNotOpen()
    if request.amount <= 0:
        raise NothingToPay()
    with transaction.atomic():
        request = payment_started(request_id=request.pk)  # locks the dossier, then the request
        since = timezone.now() - timedelta(minutes=settings.MOTCUA_PAYMENT_ATTEMPT_REUSE_MINUTES)
        attempt = (
            PaymentAttempt.objects.filter(
                request=request, provider=chosen.code, status=AttemptStatus.STARTED, created_at__gte=since
            )
            .order_by("-created_at")
            .first()
        )
        if attempt is None or attempt.amount != request.amount:
            number = PaymentAttempt.objects.filter(request=request).count() + 1
            attempt = PaymentAttempt.objects.create(
                request=request,
                provider=chosen.code,
                transaction_ref=f"{request.reference}.{number}",
                amount=request.amount,
            )
    return chosen.start(attempt, return_url(request), notify_url(chosen.code))


@dataclass(frozen=True)
class CallbackAnswer:
    outcome: str
    body: dict[str, str]  # what the provider expects back, with HTTP 200
    callback: PaymentCallback


def _body(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)[:MAX_BODY_CHARS]


def _apply(verified: Verified, attempt: PaymentAttempt, provider: str) -> tuple[str, str]:
    """(outcome, detail) of a verified callback of a known attempt."""
    if verified.currency != CURRENCY or verified.amount != attempt.amount:
        return CallbackOutcome.MISMATCH, f"{verified.amount} {verified.currency} ≠ {attempt.amount} {CURRENCY}"
    if not verified.success:
        ended = attempt_failed(attempt_id=attempt.pk, provider_transaction=verified.provider_transaction)
        if ended:
            return CallbackOutcome.FAILED, f"code {verified.code}"
        status = PaymentAttempt.objects.filter(pk=attempt.pk).values_list("status", flat=True).get()
        return CallbackOutcome.DUPLICATE, f"code {verified.code}; the attempt had already ended ({status})"
    settlement = payment_settle(
        request_id=attempt.request_id,
        method=PaymentMethod.ONLINE,
        amount=verified.amount,
        provider=provider,
        provider_transaction=verified.provider_transaction,
        attempt=attempt,
    )
    detail = f"request {settlement.request.status}"
    if settlement.outcome == CallbackOutcome.APPLIED:
        detail = f"receipt {settlement.request.receipt_number}" + ("; dossier resumed" if settlement.resumed else "")
    elif settlement.request.provider_transaction not in ("", verified.provider_transaction):
        detail += f"; paid by {settlement.request.provider_transaction}: to refund"
    elif settlement.outcome == CallbackOutcome.LATE:
        detail += ": to refund"
    return settlement.outcome, detail


def payment_callback_handle(*, provider: str, data: dict[str, Any], remote_address: str | None) -> CallbackAnswer:
    """Handle one callback (or IPN) of ``provider``: always one ``PaymentCallback`` row, written in the
    transaction of whatever the callback changed. Forged, unknown and mismatched callbacks change nothing
    else (and are logged at WARNING); a paid request is settled once (Nghị định 45/2020/NĐ-CP: the payment
    is confirmed by the provider's verified notification, not by the payer's browser)."""
    chosen = provider_for(provider)
    attempt: PaymentAttempt | None = None
    reference = ""
    signature_valid = False
    outcome: str
    with transaction.atomic():
        try:
            verified = chosen.parse_callback({k: str(v) for k, v in data.items()})
        except (SignatureInvalid, CallbackMalformed) as error:
            signature_valid = isinstance(error, CallbackMalformed)
            outcome, detail = CallbackOutcome.FORGED, f"{error.code} {error.details or ''}".strip()
        else:
            signature_valid, reference = True, verified.transaction_ref
            attempt = PaymentAttempt.objects.filter(transaction_ref=reference, provider=chosen.code).first()
            if attempt is None:
                outcome, detail = CallbackOutcome.UNKNOWN, ""
            else:
                outcome, detail = _apply(verified, attempt, chosen.code)
        callback = PaymentCallback.objects.create(
            provider=chosen.code,
            remote_address=remote_address or None,
            transaction_ref=reference[:120],
            body=_body(data),
            signature_valid=signature_valid,
            outcome=outcome,
            detail=detail,
            attempt=attempt,
        )
    if outcome in (CallbackOutcome.FORGED, CallbackOutcome.MISMATCH, CallbackOutcome.UNKNOWN, CallbackOutcome.LATE):
        logger.warning(
            "payment callback %s from %s: %s %s (%s)", chosen.code, remote_address, outcome, reference, detail
        )
    return CallbackAnswer(outcome, chosen.answer(outcome), callback)
