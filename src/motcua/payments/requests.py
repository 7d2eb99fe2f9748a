"""Which fees a dossier's applicant is asked to pay, and when (DOMAIN.md §9).

Fees and charges are those of the catalog (Luật Phí và lệ phí 2015, số 97/2015/QH13: the amount is the one
published for the procedure); the requests are written by ``payments.settle.payment_request_add`` inside the
workflow writer's transaction (``on_event_written``), so a request exists exactly when its event does:

- **online submission** (``submit`` of an online dossier): the fees the catalog collects at submission;
- **reception** (``receive``): the fees collected at reception, and, for a dossier given at the desk or by
  post, the fees collected at submission too (it was not submitted online, nothing was asked before);
- **the authority's request** (``request_payment``, national status 6): one request of the amount the
  authority asked, due ``MOTCUA_PAYMENT_DUE_WORKING_DAYS`` working days later (default 5) on the competent
  agency's working-time calendar; the clock stays paused until it is paid (Nghị định 118/2025/NĐ-CP);
- **result ready** (the dossier enters ``result_ready``): the fees collected when the result is returned.

A fee applies to the dossier's case (``Fee.cases`` empty: every case). A fee of 0 đồng asks nothing. A fee
already asked of the dossier (and not cancelled) is not asked twice.

Exemption (``payment_exempt``): a desk officer of the receiving agency lowers an unpaid request (Luật Phí và
lệ phí 2015, Điều 10: miễn, giảm), with the reason; to 0 it is settled as exempt, with no receipt, and a
dossier that waited only for it resumes (``payment_settle``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.constants import FeeMoment
from motcua.catalog.models import Fee
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.core.working_time import DurationUnit
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.payments.constants import PaymentMethod, PaymentMoment, PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.payments.settle import payment_request_add, payment_settle
from motcua.workflow.constants import Action
from motcua.workflow.deadlines import calendar_of

DEFAULT_DUE_WORKING_DAYS = 5


class PaymentNotExemptable(DomainError):
    code = "payment_not_exemptable"
    status = 409
    default_message = gettext_lazy("Only an unpaid request can be exempted.")


def due_working_days() -> int:
    return int(getattr(settings, "MOTCUA_PAYMENT_DUE_WORKING_DAYS", DEFAULT_DUE_WORKING_DAYS))


def fees_due(dossier: Dossier, moments: list[str]) -> list[Fee]:
    """The catalog fees of the dossier's procedure version and case collected at one of ``moments``,
    above 0 đồng, in the catalog's order."""
    case = Q(cases=None) | Q(cases__code=dossier.case_code) if dossier.case_code else Q(cases=None)
    rows = (
        Fee.objects.filter(version_id=dossier.procedure_version_id, collected_at__in=moments, amount__gt=0)
        .filter(case)
        .distinct()
        .order_by("position", "id")
    )
    return list(rows)


def _ask_fees(dossier: Dossier, moments: list[str], moment: str) -> list[PaymentRequest]:
    fees = fees_due(dossier, moments)
    if not fees:  # most events of most procedures: one query, nothing written
        return []
    asked = set(
        PaymentRequest.objects.filter(dossier_id=dossier.pk, fee__isnull=False)
        .exclude(status=PaymentStatus.CANCELLED)
        .values_list("fee_id", flat=True)
    )
    return [
        payment_request_add(dossier=dossier, name=fee.name, moment=moment, full_amount=fee.amount, fee=fee)
        for fee in fees
        if fee.pk not in asked
    ]


def authority_due(dossier: Dossier, at: datetime) -> datetime:
    """By when an amount the authority asked is to be paid: ``due_working_days()`` working days on the
    competent agency's calendar."""
    return calendar_of(dossier).due_at(at, due_working_days(), DurationUnit.WORKING_DAYS)


def requests_for_event(dossier: Dossier, event: DossierEvent) -> None:
    """Registered with the workflow writer (``on_event_written``): the requests an event asks for, written
    in the event's transaction (see the module's docstring)."""
    if event.action == Action.SUBMIT and dossier.channel == Channel.ONLINE:
        _ask_fees(dossier, [FeeMoment.SUBMISSION], PaymentMoment.SUBMISSION)
    elif event.action == Action.RECEIVE:
        if dossier.channel != Channel.ONLINE:
            _ask_fees(dossier, [FeeMoment.SUBMISSION], PaymentMoment.SUBMISSION)
        _ask_fees(dossier, [FeeMoment.RECEPTION], PaymentMoment.RECEPTION)
    elif event.action == Action.REQUEST_PAYMENT:
        amount = int(event.payload.get("amount") or 0)
        if amount > 0:
            note = event.note.strip()
            payment_request_add(
                dossier=dossier,
                # What the authority wrote it asks for (a note is required to ask).
                name=note or _("Financial obligation asked by the competent authority"),
                moment=PaymentMoment.AUTHORITY,
                full_amount=amount,
                due_at=authority_due(dossier, event.at),
            )
    elif event.to_status == Status.RESULT_READY and event.from_status != Status.RESULT_READY:
        _ask_fees(dossier, [FeeMoment.RETURN], PaymentMoment.RETURN)


def desk_may_collect(actor: Any, dossier: Dossier) -> bool:
    """Only a desk officer of the agency that received the dossier collects, records and exempts."""
    return covers(actor, [Role.DESK_OFFICER], dossier.receiving_agency)


def locked_request(reference: str) -> PaymentRequest:
    """The request by its reference, its dossier row locked first then the request (settle's lock order)."""
    dossier_id = PaymentRequest.objects.filter(reference=reference).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise NotFound(_("This payment request does not exist."))
    Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk", flat=True).get()
    return (
        PaymentRequest.objects.select_for_update().select_related("dossier__receiving_agency").get(reference=reference)
    )


@transaction.atomic
def payment_exempt(*, actor: Any, reference: str, amount: Any, reason: str) -> PaymentRequest:
    """Exempt an unpaid request fully (``amount`` 0) or lower it to ``amount`` (miễn, giảm: Luật Phí và lệ
    phí 2015, số 97/2015/QH13, Điều 10; the cases are those the catalog's exemptions text names, e.g.
    "Người có công với cách mạng", "Hộ nghèo", "Trẻ em dưới 6 tuổi"), with the reason (required).

    A lower amount changes the request's amount and reason, not its status. A full exemption sets the amount
    to 0 and is settled as ``exempt`` by ``payment_settle`` (no receipt number; a dossier that waited only for
    it resumes, in this transaction). Audited. Anything refused changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(details={"reason": [_("Give the reason of the exemption.")]}, code="exemption_reason")
    request = locked_request(reference)
    if not desk_may_collect(actor, request.dossier):
        raise PermissionDenied(_("Only a desk officer of the receiving agency may exempt a fee."))
    if request.status != PaymentStatus.UNPAID:
        raise PaymentNotExemptable()
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 or amount >= request.amount:
        raise ValidationFailed(
            details={
                "amount": [_("The amount after exemption must be lower than the amount asked, 0 for a full one.")]
            },
            code="exemption_amount",
        )
    before = request.amount
    PaymentRequest.objects.filter(pk=request.pk).update(
        amount=amount, exemption_reason=reason, updated_at=timezone.now()
    )
    request.amount, request.exemption_reason = amount, reason
    audit(
        actor=actor,
        action="payment.exempt",
        obj=request,
        summary=request.reference,
        data={"from": before, "to": amount, "reason": reason},
    )
    if amount == 0:
        settled = payment_settle(request_id=request.pk, method=PaymentMethod.EXEMPT, amount=0, recorded_by=actor)
        return settled.request
    return request
