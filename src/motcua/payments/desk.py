"""The desk's side of payments: what a dossier owes, and a cash payment or a bank transfer recorded by a desk
officer of the receiving agency (Nghị định 45/2020/NĐ-CP: the fee of an administrative procedure is paid
online or directly at the one-stop desk; Luật Phí và lệ phí 2015, số 97/2015/QH13: the collecting agency
issues a receipt for what it collects).

Recording goes through ``payments.settle.payment_settle`` (the one status writer): the same request
recorded twice answers ``duplicate`` and changes nothing; an amount other than the request's is refused
before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.exceptions import DomainError, PermissionDenied, ValidationFailed
from motcua.dossiers.models import Dossier
from motcua.payments.constants import OPEN_STATUSES, CallbackOutcome, PaymentMethod, PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.payments.requests import desk_may_collect, locked_request
from motcua.payments.settle import PaymentNotOpen, Settlement, payment_settle

DESK_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER)


class PaymentAmountWrong(DomainError):
    code = "payment_amount_wrong"
    status = 400
    default_message = gettext_lazy("The amount received is not the amount of the request.")


@dataclass(frozen=True)
class DeskRow:
    """One request as the desk and the applicant see it."""

    request: PaymentRequest
    why: str  # the catalog fee's note
    open: bool
    receipt: bool  # a receipt was issued (paid or refunded, not an exemption)


def dossier_payments(dossier: Dossier) -> list[DeskRow]:
    """The dossier's requests in the order they were asked."""
    rows = PaymentRequest.objects.filter(dossier_id=dossier.pk).select_related("fee", "recorded_by").order_by("id")
    return [
        DeskRow(
            request=r,
            why=r.fee.note if r.fee is not None else "",
            open=r.status in OPEN_STATUSES,
            receipt=bool(r.receipt_number),
        )
        for r in rows
    ]


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed(details={"amount": [_("Type the amount received, in đồng.")]}, code="payment_amount")
    return value


def payment_record_at_desk(
    *, actor: Any, reference: str, method: str, amount: Any, bank_transaction: str = ""
) -> Settlement:
    """A desk officer records money received for the request: cash, or a bank transfer with the bank's
    transaction number (required). Outcome ``applied`` (receipt numbered) or ``duplicate`` (recorded before:
    nothing changes). A wrong amount, a closed request or a missing transaction number is refused and changes
    nothing."""
    if method not in DESK_METHODS:
        raise ValidationFailed(details={"method": [_("Choose cash or bank transfer.")]}, code="payment_method")
    amount = _amount(amount)
    bank_transaction = (bank_transaction or "").strip()
    if method == PaymentMethod.TRANSFER and not bank_transaction:
        raise ValidationFailed(
            details={"bank_transaction": [_("Type the bank's transaction number of the transfer.")]},
            code="bank_transaction_required",
        )
    with transaction.atomic():
        request = locked_request(reference)
        if not desk_may_collect(actor, request.dossier):
            raise PermissionDenied(_("Only a desk officer of the receiving agency records a payment."))
        if request.status == PaymentStatus.PAID:
            return Settlement(CallbackOutcome.DUPLICATE, request)
        if request.status not in OPEN_STATUSES:
            raise PaymentNotOpen()
        if amount != request.amount:
            raise PaymentAmountWrong(
                _("The amount received (%(typed)s đồng) is not the amount asked (%(asked)s đồng).")
                % {"typed": f"{amount:,}".replace(",", "."), "asked": f"{request.amount:,}".replace(",", ".")}
            )
        return payment_settle(
            request_id=request.pk,
            method=method,
            amount=amount,
            provider="bank" if method == PaymentMethod.TRANSFER else "",
            provider_transaction=bank_transaction if method == PaymentMethod.TRANSFER else "",
            recorded_by=actor,
        )
