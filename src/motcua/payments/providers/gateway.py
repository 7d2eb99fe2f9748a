"""A commercial payment gateway (DOMAIN.md §9: the VNPay/MoMo shape, with names of our own): the browser is
sent with a query string signed by HMAC-SHA512, and the gateway notifies us server to server (the IPN),
signed the same way. The browser's return to us is only shown, never trusted.

Signature: hex HMAC-SHA512 with the secret of the query string of every ``gw_`` parameter but
``gw_SecureHash``, sorted by name, URL-encoded (``urlencode`` of the sorted pairs).
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.payments.models import PaymentAttempt
from motcua.payments.providers.base import (
    ANSWER_CODES,
    CURRENCY,
    SUCCESS_CODE,
    SignatureInvalid,
    Verified,
    amount_of,
    required,
)
from motcua.payments.providers.national import local_time

CODE = "gateway"
PREFIX = "gw_"
HASH_FIELD = "gw_SecureHash"


def signed_query(params: dict[str, str]) -> str:
    """The string that is signed: the ``gw_`` parameters but the hash, sorted, URL-encoded."""
    pairs = sorted((k, str(v)) for k, v in params.items() if k.startswith(PREFIX) and k != HASH_FIELD)
    return urlencode(pairs)


def secure_hash(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), signed_query(params).encode("utf-8"), hashlib.sha512).hexdigest()


def hash_matches(params: dict[str, str], secret: str) -> bool:
    return hmac.compare_digest(secure_hash(params, secret), str(params.get(HASH_FIELD, "")).strip().lower())


class GatewayProvider:
    code = CODE
    name = _("Payment gateway (cards, e-wallets)")

    def __init__(self) -> None:
        self.url = settings.MOTCUA_PAYMENT_GATEWAY_URL
        self.merchant = settings.MOTCUA_PAYMENT_GATEWAY_MERCHANT
        self.secret = settings.MOTCUA_PAYMENT_GATEWAY_SECRET

    def request_params(self, attempt: PaymentAttempt, return_url: str, notify_url: str) -> dict[str, str]:
        params = {
            "gw_Version": "1",
            "gw_Merchant": self.merchant,
            "gw_TxnRef": attempt.transaction_ref,
            "gw_Amount": str(attempt.amount),
            "gw_Currency": CURRENCY,
            "gw_Locale": "vn",
            "gw_OrderInfo": f"Thanh toan {attempt.transaction_ref}",
            "gw_CreateDate": local_time(attempt.created_at),
            "gw_ReturnUrl": return_url,
            "gw_NotifyUrl": notify_url,
        }
        params[HASH_FIELD] = secure_hash(params, self.secret)
        return params

    def start(self, attempt: PaymentAttempt, return_url: str, notify_url: str) -> str:
        return f"{self.url}?{urlencode(self.request_params(attempt, return_url, notify_url))}"

    def parse_callback(self, data: dict[str, str]) -> Verified:
        if not hash_matches(data, self.secret) or data.get("gw_Merchant") != self.merchant:
            raise SignatureInvalid()
        reference, amount, currency, number, code = required(
            data, "gw_TxnRef", "gw_Amount", "gw_Currency", "gw_TransactionNo", "gw_ResponseCode"
        )
        return Verified(reference, amount_of(amount), currency, code == SUCCESS_CODE, number, code)

    def answer(self, outcome: str) -> dict[str, str]:
        return {"RspCode": ANSWER_CODES[outcome], "Message": str(outcome)}
