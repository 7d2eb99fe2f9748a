"""The dossier page's payment box: what the dossier's applicant owes and has paid, and the providers."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.payments.constants import OPEN_STATUSES, PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.payments.providers import enabled

register = template.Library()


@register.simple_tag
def dossier_payments(dossier: Any) -> dict[str, Any]:
    """``{% dossier_payments dossier as payments %}``: its requests (cancelled ones left out unless nothing
    else is there), those open to pay online (more than 0 VND), and the providers offered."""
    rows = list(PaymentRequest.objects.filter(dossier_id=dossier.pk).order_by("id"))
    shown = [r for r in rows if r.status != PaymentStatus.CANCELLED] or rows
    payable = [r for r in rows if r.status in OPEN_STATUSES and r.amount > 0]
    return {"requests": shown, "payable": payable, "providers": enabled() if payable else []}


@register.filter
def vnd_amount(amount: int) -> str:
    """8000 → "8.000" (the Vietnamese grouping of thousands, whatever the active locale's grouping)."""
    return f"{int(amount):,}".replace(",", ".")
