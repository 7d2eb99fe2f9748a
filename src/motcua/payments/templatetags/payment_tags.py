"""What a dossier owes, for the portal's and the back office's dossier pages (one include line each)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext_lazy

from motcua.dossiers.models import Dossier
from motcua.payments.constants import PaymentMethod, PaymentStatus
from motcua.payments.desk import DeskRow, dossier_payments
from motcua.payments.requests import desk_may_collect

register = template.Library()

# The words people read (their own msgctxt: the model's choices are the data's labels).
STATUS_LABEL = {
    PaymentStatus.UNPAID: pgettext_lazy("payment status", "Unpaid"),
    PaymentStatus.PENDING: pgettext_lazy("payment status", "Payment in progress"),
    PaymentStatus.PAID: pgettext_lazy("payment status", "Paid"),
    PaymentStatus.REFUNDED: pgettext_lazy("payment status", "Refunded"),
    PaymentStatus.CANCELLED: pgettext_lazy("payment status", "Cancelled"),
}
EXEMPT_LABEL = pgettext_lazy("payment status", "Exempted")
METHOD_LABEL = {
    PaymentMethod.ONLINE: pgettext_lazy("payment method", "Online"),
    PaymentMethod.CASH: pgettext_lazy("payment method", "Cash"),
    PaymentMethod.TRANSFER: pgettext_lazy("payment method", "Bank transfer"),
    PaymentMethod.EXEMPT: pgettext_lazy("payment method", "Exempted"),
}


def status_label(row: DeskRow) -> Any:
    request = row.request
    if request.status == PaymentStatus.PAID and request.method == PaymentMethod.EXEMPT:
        return EXEMPT_LABEL
    return STATUS_LABEL.get(request.status, request.status)  # type: ignore[call-overload]


@register.simple_tag
def payment_rows(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's requests with their labels, in the order they were asked."""
    return [
        {
            "row": row,
            "request": row.request,
            "status": status_label(row),
            "method": METHOD_LABEL.get(row.request.method, ""),  # type: ignore[call-overload]
            "amount": f"{row.request.amount:,}".replace(",", "."),
            "full_amount": f"{row.request.full_amount:,}".replace(",", "."),
        }
        for row in dossier_payments(dossier)
    ]


@register.simple_tag
def may_collect(user: Any, dossier: Dossier) -> bool:
    return desk_may_collect(user, dossier)
