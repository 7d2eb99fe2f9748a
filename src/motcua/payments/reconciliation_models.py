"""A provider's statement of a period, imported to reconcile the online payments recorded here with the money
the provider says it collected (DOMAIN.md §9: callbacks must be verified, idempotent, and reconciled).

Written by ``payments.reconciliation`` only: a statement and its lines are stored together, once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class LineResult(models.TextChoices):
    MATCHED = "matched", _("Matched")
    MISSING_HERE = "missing_here", _("In the statement, not recorded here")
    MISSING_IN_STATEMENT = "missing_in_statement", _("Recorded here, not in the statement")
    AMOUNT_DIFFERS = "amount_differs", _("Amount or currency differs")
    DUPLICATE = "duplicate", _("Duplicate line")
    NOT_PAID = "not_paid", _("Not a successful payment in the statement")


# What an officer must look at; "matched" and a provider's own unsuccessful lines need nothing.
MISMATCHES = (
    LineResult.MISSING_HERE,
    LineResult.MISSING_IN_STATEMENT,
    LineResult.AMOUNT_DIFFERS,
    LineResult.DUPLICATE,
)


class Statement(models.Model):
    """One imported statement file: the provider, the unit whose collections it covers (its sub-agencies
    included), the period of local dates, the file's checksum (a file is imported once), and the counts."""

    provider = models.CharField(_("provider"), max_length=40)
    agency = models.ForeignKey(
        Agency, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="payment_statements"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))
    lines_read = models.PositiveIntegerField(_("lines read"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    missing_here = models.PositiveIntegerField(_("not recorded here"), default=0)
    missing_in_statement = models.PositiveIntegerField(_("not in the statement"), default=0)
    amount_differs = models.PositiveIntegerField(_("amount differs"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicate lines"), default=0)

    class Meta:
        verbose_name = _("provider statement")
        verbose_name_plural = _("provider statements")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.period_start}–{self.period_end} ({self.file_name})"

    @property
    def mismatch_count(self) -> int:
        return self.missing_here + self.missing_in_statement + self.amount_differs + self.duplicates


class StatementLine(models.Model):
    """A line of the statement (``row`` is its line in the file), or a payment recorded here that the
    statement does not list (``row`` empty), with what reconciliation found."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    row = models.PositiveIntegerField(_("line in the file"), null=True, blank=True)
    transaction_ref = models.CharField(_("transaction reference"), max_length=120)
    provider_transaction = models.CharField(_("provider's transaction"), max_length=120, blank=True)
    amount = models.PositiveBigIntegerField(_("amount in the statement"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    provider_status = models.CharField(_("status in the statement"), max_length=40, blank=True)
    attempt = models.ForeignKey(
        "payments.PaymentAttempt",
        verbose_name=_("payment recorded here"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    recorded_amount = models.PositiveBigIntegerField(_("amount recorded here"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=30, choices=LineResult.choices, db_index=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement_id", "row", "id"]

    def __str__(self) -> str:
        return f"{self.transaction_ref}: {self.result}"


__all__ = ["MISMATCHES", "LineResult", "Statement", "StatementLine"]
