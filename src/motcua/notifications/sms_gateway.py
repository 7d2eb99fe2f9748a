"""Brand-name SMS through an HTTP gateway (issue 15, item 5): the channel ``GatewaySmsChannel`` (set
``MOTCUA_SMS_CHANNEL`` to it) and the check of the gateway's signed delivery receipts.

The wire, both ways, is one JSON body signed with HMAC-SHA-256 (core.outbound):

- we send ``POST {MOTCUA_SMS_GATEWAY_URL}/v1/messages`` with ``{"brandname", "phone" (84…), "text",
  "reference" (our id, "motcua-<notification id>"), "callback_url"}``, headers ``X-Client-Id``,
  ``X-Timestamp`` (Unix seconds) and ``X-Signature`` = hex HMAC of ``"<timestamp>." + body`` with
  ``MOTCUA_SMS_GATEWAY_SECRET``; the gateway answers ``{"message_id": ...}``;
- the gateway posts each delivery receipt ``{"message_id", "reference", "status": "delivered" | "failed",
  "reason", "at"}`` to ``callback_url`` (api/sms_receipt_views.py), signed the same way with
  ``MOTCUA_SMS_RECEIPT_SECRET``.

A timestamp older (or newer) than ``MOTCUA_SMS_SIGNATURE_MAX_AGE_SECONDS`` is refused, so a captured
request cannot be replayed later; within the window a replayed receipt changes nothing (receipts are
idempotent). Most Vietnamese gateways (Viettel, VNPT, FPT, eSMS…) differ only in field names and in how
they sign: this module is the one place to adapt.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from motcua.core.outbound import OutboundError, call_json, canonical_json, hmac_sha256, signature_matches
from motcua.core.site import absolute_url
from motcua.notifications.exceptions import MessageRefused

if TYPE_CHECKING:
    from motcua.notifications.models import Notification

CLIENT_HEADER = "X-Client-Id"
TIMESTAMP_HEADER = "X-Timestamp"
SIGNATURE_HEADER = "X-Signature"
REFERENCE_PREFIX = "motcua-"
# The gateway refused this message itself (bad number, brand name, text): sending it again cannot help.
REFUSED_STATUSES = frozenset({400, 422})
_LOCAL_MOBILE = re.compile(r"^0(\d{9})$")
_WIRE_MOBILE = re.compile(r"^84(\d{9})$")


def wire_phone(phone: str) -> str:
    """A Vietnamese mobile number as gateways want it: 0912345678, +84912345678 → 84912345678.
    Anything else is passed on unchanged for the gateway to refuse."""
    digits = re.sub(r"[\s.\-()]", "", phone or "").removeprefix("+")
    local = _LOCAL_MOBILE.match(digits)
    return f"84{local.group(1)}" if local else digits


def reference_of(notification_id: int) -> str:
    return f"{REFERENCE_PREFIX}{notification_id}"


def notification_id_of(reference: str) -> int | None:
    number = reference.removeprefix(REFERENCE_PREFIX) if reference.startswith(REFERENCE_PREFIX) else ""
    return int(number) if number.isdigit() and len(number) <= 18 else None


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: hmac_sha256(secret, timestamp.encode() + b"." + body)}


def signature_problem(
    secret: str, body: bytes, *, timestamp: str, signature: str, now: float | None = None
) -> str | None:
    """Why a signed request is refused (``"missing_signature"``, ``"stale_signature"``,
    ``"bad_signature"``), or None when it holds."""
    if not timestamp or not signature:
        return "missing_signature"
    if not timestamp.isdigit() or len(timestamp) > 12:
        return "bad_signature"
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > settings.MOTCUA_SMS_SIGNATURE_MAX_AGE_SECONDS:
        return "stale_signature"
    if not signature_matches(secret, timestamp.encode() + b"." + body, signature):
        return "bad_signature"
    return None


def receipt_url() -> str:
    """Where the gateway posts delivery receipts: MOTCUA_SMS_RECEIPT_URL, or our API under SITE_URL."""
    return settings.MOTCUA_SMS_RECEIPT_URL or absolute_url(reverse("api:sms-receipt"))


class GatewaySmsChannel:
    """Sends through the brand-name SMS gateway; returns the gateway's message id.

    Raises ``MessageRefused`` when the gateway refuses the message itself (HTTP 400/422: a number that
    is not a mobile, a brand name not registered): the row fails for good. Any other error (network,
    timeout, 5xx, 401) raises ``OutboundError``: the row fails and the resend job tries again after its
    backoff (notifications.services)."""

    def send(self, notification: Notification) -> str:
        payload = {
            "brandname": settings.MOTCUA_SMS_BRAND_NAME,
            "phone": wire_phone(notification.recipient),
            "text": notification.body,
            "reference": reference_of(notification.pk),
            "callback_url": receipt_url(),
        }
        body = canonical_json(payload)
        headers = {
            CLIENT_HEADER: settings.MOTCUA_SMS_GATEWAY_CLIENT_ID,
            **signed_headers(settings.MOTCUA_SMS_GATEWAY_SECRET, body),
        }
        try:
            answer = call_json(
                "POST",
                f"{settings.MOTCUA_SMS_GATEWAY_URL.rstrip('/')}/v1/messages",
                body=body,
                headers=headers,
                timeout=settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS,
            )
        except OutboundError as exc:
            if exc.http_status in REFUSED_STATUSES:
                error = exc.body.get("error", "") if isinstance(exc.body, dict) else ""
                raise MessageRefused(f"HTTP {exc.http_status} {error}".strip()) from exc
            raise
        message_id = str(answer.get("message_id") or "") if isinstance(answer, dict) else ""
        if not message_id:
            raise OutboundError("the SMS gateway answered without a message id", retryable=True, body=answer)
        return message_id[:64]
