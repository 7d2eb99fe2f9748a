"""Payment states, methods and moments (DOMAIN.md §9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PENDING = "pending", _("Payment in progress")  # an online payment was started and has not answered yet
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


# What may still be paid; a paid, refunded or cancelled request never goes back to these.
OPEN_STATUSES = (PaymentStatus.UNPAID, PaymentStatus.PENDING)


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Online")
    CASH = "cash", _("Cash at the desk")
    TRANSFER = "transfer", _("Bank transfer")
    EXEMPT = "exempt", _("Exempted")  # the whole amount waived, with its reason: nothing paid, no receipt


class PaymentMoment(models.TextChoices):
    """When a fee is asked: the catalog's three moments, and the authority's request (national status 6)."""

    SUBMISSION = "submission", _("At submission")
    RECEPTION = "reception", _("At reception")
    AUTHORITY = "authority", _("When the authority asks")
    RETURN = "return", _("When the result is returned")


class AttemptStatus(models.TextChoices):
    STARTED = "started", _("Started")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class CallbackOutcome(models.TextChoices):
    """What a provider's callback did (every callback is kept, whatever it said)."""

    APPLIED = "applied", _("Applied: the payment is recorded")
    FAILED = "failed", _("The provider reports a failed payment")
    DUPLICATE = "duplicate", _("Already applied: nothing changed")
    FORGED = "forged", _("Bad signature: nothing changed")
    MISMATCH = "mismatch", _("Amount, currency or reference does not match: nothing changed")
    UNKNOWN = "unknown", _("Unknown transaction: nothing changed")
    LATE = "late", _("The request was cancelled or refunded before: to refund")
