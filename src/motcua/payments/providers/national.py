"""The national payment platform (DOMAIN.md §9; Nghị định 45/2020/NĐ-CP): a signed INIT message, and a
signed callback whose result code ``00`` means paid.

Checksum: the hex SHA-256 of the message's fields in ``INIT_FIELDS`` (or ``CALLBACK_FIELDS``) order, joined
by ``|``, followed by ``|`` and the secret: ``sha256("<f1>|<f2>|…|<fn>|<secret>")``.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.payments.models import PaymentAttempt
from motcua.payments.providers.base import (
    ANSWER_CODES,
    CURRENCY,
    LANGUAGE,
    SUCCESS_CODE,
    SignatureInvalid,
    Verified,
    amount_of,
    required,
)

CODE = "national"
# The order the checksum is computed in (defined once, here).
INIT_FIELDS = (
    "partnerCode",
    "referenceCode",
    "amount",
    "currency",
    "language",
    "transactionTime",
    "returnUrl",
    "notifyUrl",
)
CALLBACK_FIELDS = (
    "partnerCode",
    "referenceCode",
    "amount",
    "currency",
    "transactionNo",
    "responseCode",
    "payTime",
)
TIME_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss, Asia/Ho_Chi_Minh


def checksum(values: dict[str, str], fields: tuple[str, ...], secret: str) -> str:
    joined = "|".join([*(str(values.get(name, "")) for name in fields), secret])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def checksum_matches(values: dict[str, str], fields: tuple[str, ...], secret: str) -> bool:
    given = str(values.get("checksum", "")).strip().lower()
    return hmac.compare_digest(checksum(values, fields, secret), given)


def local_time(at: object = None) -> str:
    return timezone.localtime(at or timezone.now()).strftime(TIME_FORMAT)  # type: ignore[arg-type]


class NationalProvider:
    code = CODE
    name = _("National payment platform")

    def __init__(self) -> None:
        self.url = settings.MOTCUA_PAYMENT_NATIONAL_URL
        self.partner_code = settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE
        self.secret = settings.MOTCUA_PAYMENT_NATIONAL_SECRET

    def init_message(self, attempt: PaymentAttempt, return_url: str, notify_url: str) -> dict[str, str]:
        message = {
            "partnerCode": self.partner_code,
            "referenceCode": attempt.transaction_ref,
            "amount": str(attempt.amount),
            "currency": CURRENCY,
            "language": LANGUAGE,
            "transactionTime": local_time(attempt.created_at),
            "returnUrl": return_url,
            "notifyUrl": notify_url,
        }
        message["checksum"] = checksum(message, INIT_FIELDS, self.secret)
        return message

    def start(self, attempt: PaymentAttempt, return_url: str, notify_url: str) -> str:
        return f"{self.url}?{urlencode(self.init_message(attempt, return_url, notify_url))}"

    def parse_callback(self, data: dict[str, str]) -> Verified:
        if not checksum_matches(data, CALLBACK_FIELDS, self.secret) or data.get("partnerCode") != self.partner_code:
            raise SignatureInvalid()
        reference, amount, currency, number, code = required(
            data, "referenceCode", "amount", "currency", "transactionNo", "responseCode"
        )
        return Verified(reference, amount_of(amount), currency, code == SUCCESS_CODE, number, code)

    def answer(self, outcome: str) -> dict[str, str]:
        return {"responseCode": ANSWER_CODES[outcome], "message": str(outcome)}
