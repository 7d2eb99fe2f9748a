"""Payment requests of a dossier, the online attempts made to pay them, every provider callback received,
and the receipt numbering (DOMAIN.md §9).

A request's status is written by ``payments.settle`` only (one writer per status, ARCHITECTURE.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Fee
from motcua.core.models import TimeStamped
from motcua.dossiers.models import Dossier
from motcua.payments.constants import (
    AttemptStatus,
    CallbackOutcome,
    PaymentMethod,
    PaymentMoment,
    PaymentStatus,
)


class PaymentRequest(TimeStamped):
    """One amount a dossier's applicant must pay: a catalog fee of the dossier's case at its moment (the
    exemption applied, with its reason), or the amount the authority asked (national status 6)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="payment_requests"
    )
    fee = models.ForeignKey(
        Fee,
        verbose_name=_("catalog fee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for an amount the authority asked."),
    )
    name = models.CharField(_("what is paid"), max_length=500)
    moment = models.CharField(_("when"), max_length=20, choices=PaymentMoment.choices)
    full_amount = models.PositiveBigIntegerField(_("amount before exemption (VND)"))
    amount = models.PositiveBigIntegerField(_("amount to pay (VND)"))
    exemption_reason = models.TextField(_("exemption"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID, db_index=True
    )
    due_at = models.DateTimeField(_("pay by"), null=True, blank=True)
    # Ours, stable for the request: what the applicant quotes on a bank transfer.
    reference = models.CharField(_("payment reference"), max_length=80, unique=True)
    method = models.CharField(_("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    provider_transaction = models.CharField(_("provider's transaction"), max_length=120, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_number = models.CharField(_("receipt number"), max_length=60, null=True, blank=True, unique=True)
    closed_at = models.DateTimeField(_("cancelled or refunded at"), null=True, blank=True)
    closed_reason = models.TextField(_("why cancelled or refunded"), blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["dossier_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__lte=models.F("full_amount")), name="payment_amount_within_fee"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED])
                | (models.Q(paid_at__isnull=False) & ~models.Q(method="")),
                name="payment_paid_has_time_and_method",
            ),
        ]
        indexes = [models.Index(fields=["paid_at", "method"], name="payment_paid_at_method")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount:,} VND ({self.status})"


class PaymentAttempt(TimeStamped):
    """An online payment started with a provider: its own transaction reference (a retry is a new attempt),
    the amount sent, and how it ended."""

    request = models.ForeignKey(
        PaymentRequest, verbose_name=_("payment request"), on_delete=models.PROTECT, related_name="attempts"
    )
    provider = models.CharField(_("provider"), max_length=40)
    transaction_ref = models.CharField(_("transaction reference"), max_length=120, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.STARTED, db_index=True
    )
    provider_transaction = models.CharField(_("provider's transaction"), max_length=120, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("online payment attempt")
        verbose_name_plural = _("online payment attempts")

    def __str__(self) -> str:
        return f"{self.transaction_ref} ({self.status})"


class PaymentCallback(models.Model):
    """Every callback or notification a provider sent, verified or not, and what it did: a forged,
    replayed or mismatched one is kept here and changes nothing else."""

    provider = models.CharField(_("provider"), max_length=40)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    remote_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    transaction_ref = models.CharField(_("transaction reference"), max_length=120, blank=True, db_index=True)
    body = models.TextField(_("what was received"))
    signature_valid = models.BooleanField(_("signature valid"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallbackOutcome.choices)
    detail = models.TextField(_("detail"), blank=True)
    attempt = models.ForeignKey(
        PaymentAttempt,
        verbose_name=_("attempt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="callbacks",
    )

    class Meta:
        verbose_name = _("provider callback")
        verbose_name_plural = _("provider callbacks")

    def __str__(self) -> str:
        return f"{self.provider} {self.transaction_ref}: {self.outcome}"


class ReceiptCounter(models.Model):
    """Last receipt number issued per prefix (agency and year): numbers are consecutive, never reused."""

    prefix = models.CharField(max_length=60, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last}"


from motcua.payments.reconciliation_models import *  # noqa: E402, F403
