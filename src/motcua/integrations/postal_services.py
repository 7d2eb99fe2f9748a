"""Return of results by the public postal service: the pickup order, the carrier's status updates, the
staff's retry, and the periodic poll.

Rules: Nghị định 118/2025/NĐ-CP (results may be returned through the public postal service at the
applicant's request; the fee is the applicant's, by the carrier's tariff); Quyết định 45/2016/QĐ-TTg
(receiving dossiers and returning results through the public postal service). The authority's time ends
when the result is handed over: the carrier's extra days are told to the applicant, never added to the
due time. The pickup is ordered after the return has committed (a task), never inside the status writer.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import DomainError, NotFound, ValidationFailed
from motcua.core.outbound import OutboundError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.integrations import postal
from motcua.integrations.postal_models import (
    CARRIER_STATUSES,
    FINAL_SHIPMENT_STATUSES,
    STATUS_RANK,
    PostalTariff,
    Shipment,
    ShipmentStatus,
    ShipmentUpdate,
)
from motcua.integrations.postal_selectors import tariff_for
from motcua.workflow.constants import Action, ReturnVia

logger = logging.getLogger("motcua.integrations.postal")

# Orders that failed for a passing reason are tried again by the poll job up to this many times; then
# (and after a refusal) only a person's retry orders again.
MAX_AUTO_ATTEMPTS = 10


class ShipmentNotRetryable(DomainError):
    code = "shipment_not_retryable"
    status = 409
    default_message = _("This shipment was ordered already: there is nothing to retry.")


@transaction.atomic
def postal_tariff_set(*, actor: Any, agency: Agency | None, fee: int, extra_working_days: int) -> PostalTariff:
    """Set what returning a result by post costs for an agency and its sub-agencies (None: the default)."""
    if fee < 0 or not 0 <= extra_working_days <= 60:
        raise ValidationFailed(_("A fee is not negative and the extra days are between 0 and 60."))
    tariff = PostalTariff.objects.filter(agency=agency).order_by("id").first() or PostalTariff(agency=agency)
    tariff.fee, tariff.extra_working_days = fee, extra_working_days
    tariff.save()
    audit(
        actor=actor,
        action="postal_tariff_set",
        obj=tariff,
        summary=f"{agency.code if agency else '*'}: {fee} VND, +{extra_working_days}",
    )
    return tariff


def returned_by_post(event_id: int) -> bool:
    return DossierEvent.objects.filter(pk=event_id, action=Action.RETURN_RESULT, payload__via=ReturnVia.POST).exists()


@transaction.atomic
def shipment_open(*, event_id: int) -> Shipment | None:
    """The shipment of a result returned by post (one per dossier, whatever the number of runs), with the
    tariff that applied; None when the event is no return by post."""
    event = (
        DossierEvent.objects.select_related("dossier__competent_agency")
        .filter(pk=event_id, action=Action.RETURN_RESULT, payload__via=ReturnVia.POST)
        .first()
    )
    if event is None:
        return None
    dossier = event.dossier
    existing = Shipment.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    tariff = tariff_for(dossier.competent_agency)
    shipment = Shipment.objects.create(
        dossier=dossier,
        recipient_name=dossier.applicant_name,
        recipient_phone=dossier.applicant_phone,
        address=dossier.return_address or dossier.applicant_address,
        fee=tariff.fee if tariff else None,
        extra_working_days=tariff.extra_working_days if tariff else None,
        status=ShipmentStatus.PENDING,
        status_at=event.at,
    )
    audit(actor=None, action="shipment_open", obj=shipment, summary=dossier.code, data={"dossier": dossier.code})
    return shipment


def _pickup_order(shipment: Shipment) -> postal.PickupOrder:
    dossier = shipment.dossier
    desk = dossier.desk
    agency = dossier.receiving_agency
    return postal.PickupOrder(
        reference=dossier.code,
        recipient_name=shipment.recipient_name,
        recipient_phone=shipment.recipient_phone,
        address=shipment.address,
        sender_agency=agency.code,
        sender_name=desk.name if desk else agency.name,
        sender_address=(desk.address if desk else "") or agency.address,
    )


def shipment_order(*, shipment_id: int) -> Shipment:
    """Order the carrier's pickup of the result; the tracking number lands on the shipment.

    The carrier call runs outside any transaction (no row lock held over the network); two runs at once
    both ask with the dossier code as reference and get the same parcel. A passing failure leaves the
    shipment pending for the poll job; a refusal shows on the shipment until staff retry."""
    shipment = Shipment.objects.select_related("dossier__desk", "dossier__receiving_agency").get(pk=shipment_id)
    if shipment.status not in (ShipmentStatus.PENDING,):
        return shipment
    try:
        tracking = postal.order_pickup(_pickup_order(shipment))
    except OutboundError as exc:
        refused = not exc.retryable
        message = str((exc.body or {}).get("message") or exc) if isinstance(exc.body, dict) else str(exc)
        with transaction.atomic():
            locked = Shipment.objects.select_for_update().get(pk=shipment_id)
            if locked.status != ShipmentStatus.PENDING:
                return locked
            locked.attempts += 1
            locked.last_error = message[:300]
            if refused:
                locked.status = ShipmentStatus.REFUSED
                locked.status_at = timezone.now()
            locked.save(update_fields=["attempts", "last_error", "status", "status_at", "updated_at"])
            audit(
                actor=None,
                action="shipment_order_failed",
                obj=locked,
                summary=f"{shipment.dossier.code}: {message}"[:300],
                data={"refused": refused, "attempts": locked.attempts},
            )
        logger.warning("post: pickup of %s %s: %s", shipment.dossier.code, "refused" if refused else "failed", exc)
        return locked
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment_id)
        if locked.status == ShipmentStatus.PENDING:
            locked.tracking_number = tracking
            locked.status = ShipmentStatus.ORDERED
            locked.status_at = timezone.now()
            locked.attempts += 1
            locked.last_error = ""
            locked.save(
                update_fields=["tracking_number", "status", "status_at", "attempts", "last_error", "updated_at"]
            )
            audit(actor=None, action="shipment_ordered", obj=locked, summary=f"{shipment.dossier.code}: {tracking}")
    return locked


@transaction.atomic
def shipment_retry(*, actor: Any, code: str) -> Shipment:
    """Staff order the pickup again after the carrier refused it or after the automatic tries ran out."""
    dossier = dossiers_visible_to(actor).filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Dossier %(code)s was not found.") % {"code": code})
    shipment = Shipment.objects.select_for_update().filter(dossier=dossier).first()
    if shipment is None:
        raise NotFound(_("This dossier has no postal shipment."), code="shipment_not_found")
    if shipment.status not in (ShipmentStatus.PENDING, ShipmentStatus.REFUSED):
        raise ShipmentNotRetryable()
    shipment.status = ShipmentStatus.PENDING
    shipment.status_at = timezone.now()
    shipment.attempts = 0
    shipment.save(update_fields=["status", "status_at", "attempts", "updated_at"])
    audit(actor=actor, action="shipment_retry", obj=shipment, summary=dossier.code)
    from motcua.integrations.postal_tasks import shipment_order_task

    if settings.MOTCUA_TASKS_IN_TRANSACTION:  # the queue is a table here: the task commits with the retry
        shipment_order_task.enqueue(shipment_id=shipment.pk)
    else:
        transaction.on_commit(lambda: shipment_order_task.enqueue(shipment_id=shipment.pk), robust=True)
    return shipment


def shipment_status_apply(*, tracking_number: str, status: str, at: datetime, source: str) -> tuple[Shipment, bool]:
    """Record a status the carrier reported; (the shipment, whether its status moved).

    Idempotent (a status is recorded once per shipment) and safe out of order: the shipment's status only
    moves up the ladder of ``STATUS_RANK``, so a late "in transit" never undoes "delivered"; the late
    update still enters the parcel's history."""
    if status not in CARRIER_STATUSES:
        raise ValidationFailed(details={"status": [_("Unknown carrier status.")]}, code="carrier_status_unknown")
    if timezone.is_naive(at):
        raise ValidationFailed(details={"at": [_("The time must carry its time zone.")]}, code="carrier_time_naive")
    if not tracking_number:  # shipments not yet ordered have none: never match them
        raise NotFound(_("No shipment has this tracking number."), code="shipment_not_found")
    try:
        with transaction.atomic():
            shipment = Shipment.objects.select_for_update().filter(tracking_number=tracking_number).first()
            if shipment is None:
                raise NotFound(_("No shipment has this tracking number."), code="shipment_not_found")
            if ShipmentUpdate.objects.filter(shipment=shipment, status=status).exists():
                return shipment, False
            ShipmentUpdate.objects.create(shipment=shipment, status=status, at=at, source=source)
            moved = STATUS_RANK[status] > STATUS_RANK[shipment.status]
            if moved:
                shipment.status = status
                shipment.status_at = at
                shipment.save(update_fields=["status", "status_at", "updated_at"])
            return shipment, moved
    except IntegrityError:  # the same update arrived twice at once (callback and poll): the other won
        shipment = Shipment.objects.get(tracking_number=tracking_number)
        return shipment, False


def shipments_poll() -> dict[str, int]:
    """The periodic job: order the pickups still pending, then ask the carrier where every parcel not yet
    delivered or returned is (what a lost callback missed). Safe to run in several workers at once."""
    counts = {"ordered": 0, "tracked": 0, "moved": 0, "failed": 0}
    pending = Shipment.objects.filter(status=ShipmentStatus.PENDING, attempts__lt=MAX_AUTO_ATTEMPTS)
    for shipment_id in pending.order_by("id").values_list("pk", flat=True)[:200]:
        shipment = shipment_order(shipment_id=shipment_id)
        counts["ordered" if shipment.tracking_number else "failed"] += 1
    open_parcels = (
        Shipment.objects.exclude(tracking_number="")
        .exclude(status__in=FINAL_SHIPMENT_STATUSES)
        .order_by("id")
        .values_list("tracking_number", flat=True)
    )
    for tracking in open_parcels[:500]:
        try:
            statuses = postal.track(tracking)
        except OutboundError as exc:
            counts["failed"] += 1
            logger.warning("post: tracking %s failed: %s", tracking, exc)
            continue
        counts["tracked"] += 1
        for carrier in statuses:
            if carrier.status not in CARRIER_STATUSES:
                continue
            _shipment, moved = shipment_status_apply(
                tracking_number=tracking, status=carrier.status, at=carrier.at, source=ShipmentUpdate.Source.POLL
            )
            counts["moved"] += int(moved)
    return counts


def shipment_of(dossier: Dossier) -> Shipment | None:
    return Shipment.objects.filter(dossier=dossier).first()
