"""What an online payment provider is to us (DOMAIN.md §9; Nghị định 45/2020/NĐ-CP on paying administrative
procedures online): it signs the request the payer's browser is sent with, verifies the callbacks it sends
back, and says what answer it expects to a callback.

A provider never changes our data: ``payments.online`` does, from a ``Verified`` callback only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from motcua.core.exceptions import DomainError
from motcua.payments.constants import CallbackOutcome
from motcua.payments.models import PaymentAttempt

CURRENCY = "VND"
LANGUAGE = "vi-VN"
SUCCESS_CODE = "00"  # both providers' code of a paid transaction

# The answer code a provider gets back for each outcome of its callback (both providers use these).
ANSWER_CODES: dict[str, str] = {
    CallbackOutcome.APPLIED: "00",
    CallbackOutcome.FAILED: "00",  # a failure is recorded: received, nothing more to send
    CallbackOutcome.DUPLICATE: "02",  # already confirmed
    CallbackOutcome.LATE: "02",
    CallbackOutcome.UNKNOWN: "01",  # no such transaction
    CallbackOutcome.MISMATCH: "04",  # wrong amount or currency
    CallbackOutcome.FORGED: "97",  # bad signature
}


class SignatureInvalid(DomainError):
    code = "payment_signature_invalid"
    status = 401
    default_message = _("The callback is not signed by the payment provider.")


class CallbackMalformed(DomainError):
    code = "payment_callback_malformed"
    status = 400
    default_message = _("The callback lacks a field the payment provider always sends.")


@dataclass(frozen=True)
class Verified:
    """A callback whose signature was checked: what the provider says about our transaction."""

    transaction_ref: str
    amount: int
    currency: str
    success: bool
    provider_transaction: str
    code: str = ""  # the provider's result code, as sent


class Provider(Protocol):
    code: str
    name: Any

    def start(self, attempt: PaymentAttempt, return_url: str, notify_url: str) -> str:
        """The signed URL the payer's browser is sent to."""
        ...

    def parse_callback(self, data: dict[str, str]) -> Verified:
        """Verify and read a callback (raises ``SignatureInvalid`` or ``CallbackMalformed``)."""
        ...

    def answer(self, outcome: str) -> dict[str, str]:
        """The body the provider expects back (always HTTP 200)."""
        ...


def required(data: dict[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not str(data.get(name, "")).strip()]
    if missing:
        raise CallbackMalformed(details={"missing": missing})
    return [str(data[name]).strip() for name in names]


def amount_of(value: str) -> int:
    if not value.isdigit():
        raise CallbackMalformed(details={"amount": value[:40]})
    return int(value)
