"""Return of results by the public postal service (bưu chính công ích): the tariff told to the applicant
before they choose it, and one shipment per dossier with the carrier's status updates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.agencies.models import Agency
from motcua.core.models import TimeStamped
from motcua.dossiers.models import Dossier


class PostalTariff(TimeStamped):
    """What returning a result by post costs and how many working days it adds, per agency (the row of
    the nearest agency up the tree applies; the row without agency is the province's default).

    The extra days are told to the applicant, never added to the legal due time: the authority's time
    ends when the result is handed to the postal service (Nghị định 118/2025/NĐ-CP)."""

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="postal_tariff",
        help_text=_("Empty: the default for every agency without its own tariff."),
    )
    fee = models.PositiveIntegerField(_("postal fee (VND)"))
    extra_working_days = models.PositiveSmallIntegerField(_("extra working days"))

    class Meta:
        verbose_name = _("postal tariff")
        verbose_name_plural = _("postal tariffs")

    def __str__(self) -> str:
        return f"{self.agency or '—'}: {self.fee} VND, +{self.extra_working_days}"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Pickup being ordered")
    REFUSED = "refused", _("Pickup refused by the carrier")
    ORDERED = "ordered", _("Pickup ordered")
    ACCEPTED = "accepted", _("Accepted by the post office")
    IN_TRANSIT = "in_transit", _("In transit")
    FAILED = "failed", _("Delivery attempt failed")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned to the sender")


# A status only moves up this ladder, whatever order the carrier's updates arrive in; on the same rung
# (delivered, returned) the first one stays.
STATUS_RANK: dict[str, int] = {
    ShipmentStatus.PENDING: 0,
    ShipmentStatus.REFUSED: 0,
    ShipmentStatus.ORDERED: 1,
    ShipmentStatus.ACCEPTED: 2,
    ShipmentStatus.IN_TRANSIT: 3,
    ShipmentStatus.FAILED: 4,
    ShipmentStatus.DELIVERED: 5,
    ShipmentStatus.RETURNED: 5,
}
CARRIER_STATUSES = (
    ShipmentStatus.ACCEPTED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.FAILED,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.RETURNED,
)
FINAL_SHIPMENT_STATUSES = (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED)


class Shipment(TimeStamped):
    """The result of one dossier on its way by post: the pickup order and where the carrier says it is."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="shipment"
    )
    recipient_name = models.CharField(_("recipient"), max_length=255)
    recipient_phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("delivery address"), max_length=255)
    fee = models.PositiveIntegerField(_("postal fee (VND)"), null=True, blank=True)
    extra_working_days = models.PositiveSmallIntegerField(_("extra working days"), null=True, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    status_at = models.DateTimeField(_("status since"))
    attempts = models.PositiveSmallIntegerField(_("order attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("postal shipment")
        verbose_name_plural = _("postal shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_number"], condition=~models.Q(tracking_number=""), name="unique_tracking_number"
            )
        ]
        indexes = [models.Index(fields=["status", "id"], name="shipment_status")]

    def __str__(self) -> str:
        return f"{self.tracking_number or '—'} {self.status}"

    @property
    def retryable(self) -> bool:
        """Staff may order again: the carrier refused, or the order has not gone through yet."""
        return self.status in (ShipmentStatus.PENDING, ShipmentStatus.REFUSED)

    @property
    def fee_text(self) -> str:
        if self.fee is None:
            return ""
        fee = f"{self.fee:,}".replace(",", ".") + " đ"
        days = self.extra_working_days or 0
        return ngettext("%(fee)s, %(days)d more working day", "%(fee)s, %(days)d more working days", days) % {
            "fee": fee,
            "days": days,
        }


class ShipmentUpdate(models.Model):
    """One status the carrier reported (by callback or when polled), kept even when it arrived too late
    to change the shipment's status: the history of the parcel. Once per shipment and status."""

    class Source(models.TextChoices):
        CALLBACK = "callback", _("Carrier's callback")
        POLL = "poll", _("Tracking poll")

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=ShipmentStatus.choices)
    at = models.DateTimeField(_("at (carrier's time)"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("shipment status update")
        verbose_name_plural = _("shipment status updates")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "status"], name="unique_shipment_update_status"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} {self.at:%Y-%m-%d %H:%M}"
