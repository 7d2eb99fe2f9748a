"""The one writer of a payment request's status (ARCHITECTURE.md: one writer per status).

- ``payment_request_add``: a new unpaid request (the rules that decide which fees are asked when live in
  ``payments.requests``; this only writes).
- ``payment_started``: unpaid → pending when an online payment is started.
- ``payment_settle``: → paid, from a verified provider callback or the desk's record of cash or a bank
  transfer: the amount must be the request's, a request already paid answers ``duplicate`` and changes
  nothing, one cancelled or refunded before answers ``late`` (the money is to be refunded) and changes
  nothing. The receipt number is issued in the same transaction, and when the dossier waits for this
  payment (national status 6, the clock paused: Nghị định 118/2025/NĐ-CP art. 22) and nothing else the
  authority asked is unpaid, the dossier goes back where it was and the clock resumes, **in the same
  transaction** (``Action.CONFIRM_PAYMENT`` through the workflow writer).
- ``payment_cancel`` (unpaid or pending → cancelled) and ``payment_refund`` (paid → refunded), with the
  reason; a dossier withdrawn, refused or stopped cancels its open requests (``cancel_open_requests``,
  registered with the writer: same transaction).

Locks: the dossier row first, then the request (the workflow writer locks the dossier too), so that a
callback and a withdrawal of the same dossier queue up instead of deadlocking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, NotFound
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.payments.constants import (
    OPEN_STATUSES,
    AttemptStatus,
    CallbackOutcome,
    PaymentMethod,
    PaymentMoment,
    PaymentStatus,
)
from motcua.payments.models import PaymentAttempt, PaymentRequest, ReceiptCounter
from motcua.workflow.constants import Action
from motcua.workflow.writer import VerifiedPayment, dossier_apply_action

# A dossier that ends this way owes nothing more: what it had not paid is cancelled.
CANCELLING_ACTIONS = (Action.WITHDRAW, Action.REFUSE, Action.STOP)


class PaymentNotOpen(DomainError):
    code = "payment_not_open"
    status = 409
    default_message = gettext_lazy("This payment request is no longer open.")


class PaymentNotPaid(DomainError):
    code = "payment_not_paid"
    status = 409
    default_message = gettext_lazy("Only a paid request can be refunded.")


def payment_request_add(
    *,
    dossier: Dossier,
    name: str,
    moment: str,
    full_amount: int,
    amount: int | None = None,
    exemption_reason: str = "",
    fee: Any = None,
    due_at: datetime | None = None,
) -> PaymentRequest:
    """A new unpaid request of the dossier (its reference ``<dossier code>.TT<n>`` is what the applicant
    quotes on a bank transfer). Call it inside the transaction that decides the request."""
    amount = full_amount if amount is None else amount
    number = PaymentRequest.objects.filter(dossier=dossier).count() + 1
    return PaymentRequest.objects.create(
        dossier=dossier,
        fee=fee,
        name=name,
        moment=moment,
        full_amount=full_amount,
        amount=amount,
        exemption_reason=exemption_reason,
        due_at=due_at,
        reference=f"{dossier.code}.TT{number:02d}",
        status=PaymentStatus.UNPAID,
    )


@dataclass(frozen=True)
class _Held:
    """A request locked with its dossier, and what settling it reads of the dossier."""

    request: PaymentRequest
    dossier_status: str
    agency_code: str | None


def _hold(request_id: int) -> _Held:
    # One statement locks the dossier (only its row: ``of``) and reads its status and receiving agency; the
    # request is locked after it. bench/payments.py: 3 statements and a dossier of ~80 columns were 40 % of
    # a callback's time.
    row = (
        Dossier.objects.select_for_update(of=("self",))
        .filter(payment_requests__pk=request_id)
        .values_list("status", "receiving_agency__code")
        .first()
    )
    if row is None:
        raise NotFound(_("This payment request does not exist."))
    return _Held(PaymentRequest.objects.select_for_update().get(pk=request_id), row[0], row[1])


def _locked(request_id: int) -> PaymentRequest:
    return _hold(request_id).request


@transaction.atomic
def payment_started(*, request_id: int) -> PaymentRequest:
    """An online payment was started for the request: unpaid → pending (pending stays pending)."""
    request = _locked(request_id)
    if request.status not in OPEN_STATUSES:
        raise PaymentNotOpen()
    if request.status != PaymentStatus.PENDING:
        PaymentRequest.objects.filter(pk=request.pk).update(status=PaymentStatus.PENDING, updated_at=timezone.now())
        request.status = PaymentStatus.PENDING
    return request


@dataclass(frozen=True)
class Settlement:
    outcome: str  # a CallbackOutcome: applied, duplicate, late or mismatch
    request: PaymentRequest
    resumed: bool = False  # the dossier left national status 6 in this transaction


def _receipt_number(agency_code: str | None, at: datetime) -> str:
    prefix = f"BL.{agency_code or 'TINH'}.{timezone.localtime(at).year}"
    counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(prefix=prefix)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}.{counter.last:06d}"


@transaction.atomic
def payment_settle(
    *,
    request_id: int,
    method: str,
    amount: int,
    at: datetime | None = None,
    provider: str = "",
    provider_transaction: str = "",
    attempt: PaymentAttempt | None = None,
    recorded_by: Any = None,
) -> Settlement:
    """Record that the request was paid (see the module's docstring); nothing changes unless the outcome
    is ``applied``."""
    at = at or timezone.now()
    held = _hold(request_id)
    request = held.request
    if request.status == PaymentStatus.PAID:
        return Settlement(CallbackOutcome.DUPLICATE, request)
    if request.status not in OPEN_STATUSES:
        return Settlement(CallbackOutcome.LATE, request)
    if amount != request.amount:
        return Settlement(CallbackOutcome.MISMATCH, request)
    fields = {
        "status": PaymentStatus.PAID,
        "method": method,
        "provider": provider,
        "provider_transaction": provider_transaction,
        "paid_at": at,
        "recorded_by": recorded_by if method != PaymentMethod.ONLINE else None,
        # A full exemption is settled with nothing paid: no receipt is issued for it.
        "receipt_number": _receipt_number(held.agency_code, at) if method != PaymentMethod.EXEMPT else None,
        "updated_at": timezone.now(),
    }
    PaymentRequest.objects.filter(pk=request.pk).update(**fields)
    for name, value in fields.items():
        setattr(request, name, value)
    if attempt is not None:
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.SUCCEEDED, provider_transaction=provider_transaction, completed_at=at
        )
    if method != PaymentMethod.ONLINE:
        audit(
            actor=recorded_by, action="payment.record", obj=request, summary=request.reference, data={"method": method}
        )
    resumed = _resume_if_paid_up(request, held.dossier_status, at, recorded_by)
    return Settlement(CallbackOutcome.APPLIED, request, resumed)


def _resume_if_paid_up(request: PaymentRequest, dossier_status: str, at: datetime, recorded_by: Any) -> bool:
    if request.moment != PaymentMoment.AUTHORITY or dossier_status != Status.FINANCIAL_OBLIGATION:
        return False
    waiting = PaymentRequest.objects.filter(
        dossier_id=request.dossier_id, moment=PaymentMoment.AUTHORITY, status__in=OPEN_STATUSES
    ).exists()
    if waiting:
        return False
    actor = recorded_by if request.method != PaymentMethod.ONLINE else VerifiedPayment(request.reference)
    note = _("Paid: %(reference)s, receipt %(receipt)s.") % {
        "reference": request.reference,
        "receipt": request.receipt_number,
    }
    dossier_apply_action(
        actor=actor,
        dossier_id=request.dossier_id,
        action=Action.CONFIRM_PAYMENT,
        note=note,
        at=at,
        payload={"payment": request.reference},
    )
    return True


def _close(request_id: int, *, to: str, allowed: tuple[str, ...], reason: str, at: datetime | None) -> PaymentRequest:
    request = _locked(request_id)
    if request.status not in allowed:
        raise PaymentNotPaid() if to == PaymentStatus.REFUNDED else PaymentNotOpen()
    at = at or timezone.now()
    PaymentRequest.objects.filter(pk=request.pk).update(
        status=to, closed_at=at, closed_reason=reason, updated_at=timezone.now()
    )
    request.status, request.closed_at, request.closed_reason = to, at, reason
    return request


@transaction.atomic
def payment_cancel(*, request_id: int, reason: str, actor: Any = None, at: datetime | None = None) -> PaymentRequest:
    """An open request is no longer asked (the dossier ended, or the authority withdrew the request)."""
    request = _close(request_id, to=PaymentStatus.CANCELLED, allowed=OPEN_STATUSES, reason=reason, at=at)
    audit(actor=actor, action="payment.cancel", obj=request, summary=request.reference, data={"reason": reason})
    return request


@transaction.atomic
def payment_refund(*, request_id: int, reason: str, actor: Any, at: datetime | None = None) -> PaymentRequest:
    """A paid request was paid back to the applicant (recorded by staff once the money left)."""
    request = _close(request_id, to=PaymentStatus.REFUNDED, allowed=(PaymentStatus.PAID,), reason=reason, at=at)
    audit(actor=actor, action="payment.refund", obj=request, summary=request.reference, data={"reason": reason})
    return request


def cancel_open_requests(dossier: Dossier, event: DossierEvent) -> None:
    """Registered with the workflow writer (``on_event_written``), in its transaction:

    - a dossier withdrawn, refused or stopped owes nothing more: its open requests are cancelled;
    - staff who confirm the financial obligation themselves (a tax paid at the tax office, a fee paid
      outside motcua) close what the authority had asked here, so that no request stays open on a dossier
      that no longer waits for it; a confirmation made by ``payment_settle`` names its payment and closes
      nothing."""
    if event.action in CANCELLING_ACTIONS:
        rows, reason = PaymentRequest.objects.filter(dossier_id=dossier.pk), str(Action(event.action).label)
    elif event.action == Action.CONFIRM_PAYMENT and "payment" not in (event.payload or {}):
        rows = PaymentRequest.objects.filter(dossier_id=dossier.pk, moment=PaymentMoment.AUTHORITY)
        reason = _("Confirmed by staff as paid outside the system: %(note)s") % {"note": event.note}
    else:
        return
    rows.filter(status__in=OPEN_STATUSES).update(
        status=PaymentStatus.CANCELLED, closed_at=event.at, closed_reason=reason, updated_at=timezone.now()
    )


@transaction.atomic
def attempt_failed(*, attempt_id: int, provider_transaction: str = "", at: datetime | None = None) -> bool:
    """The provider says an online attempt failed (refused card, cancelled by the payer, expired): the
    attempt is marked failed and its request is payable again (pending → unpaid) unless another attempt
    is still running. False when the attempt had already ended (a late or repeated failure)."""
    at = at or timezone.now()
    attempt = PaymentAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound(_("This payment attempt does not exist."))
    request = _locked(attempt.request_id)
    ended = PaymentAttempt.objects.filter(pk=attempt_id, status=AttemptStatus.STARTED).update(
        status=AttemptStatus.FAILED, provider_transaction=provider_transaction, completed_at=at
    )
    if not ended:
        return False
    running = request.attempts.filter(status=AttemptStatus.STARTED).exists()
    if request.status == PaymentStatus.PENDING and not running:
        PaymentRequest.objects.filter(pk=request.pk).update(status=PaymentStatus.UNPAID, updated_at=timezone.now())
    return True
