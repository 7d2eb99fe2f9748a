"""The public postal service (bưu chính công ích) as a carrier: order a pickup of a result, track it,
and read the carrier's signed status callbacks.

Wire format (small on purpose: each carrier has its own, keep the change here):

- ``POST {MOTCUA_POST_URL}/v1/pickups`` with ``{"reference", "recipient": {"name", "phone", "address"},
  "sender": {"agency", "name", "address"}, "item", "callback_url"}`` → ``201 {"tracking_number",
  "status": "ordered"}``. The reference (the dossier code) makes the order idempotent: ordering again
  gives the same tracking number. A refusal (address not served...) is a 4xx ``{"error", "message"}``.
- ``GET {MOTCUA_POST_URL}/v1/pickups/<tracking number>`` → ``{"tracking_number", "status", "history":
  [{"status", "at"}]}``.
- Callback ``POST /api/v1/postal/status`` (``api/postal_views.py``): ``{"tracking_number", "status", "at"}``.

Every request carries ``X-Client-Id``, ``X-Timestamp`` and ``X-Signature`` = hex HMAC-SHA-256 of
``"<timestamp>.<body>"`` (for a GET, of ``"<timestamp>.<path>"``) with ``MOTCUA_POST_SECRET``; callbacks
are signed the same way by the carrier and refused otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from motcua.core.outbound import OutboundError, call_json, canonical_json, signature_matches
from motcua.integrations.population import signed_headers

PICKUPS_PATH = "/v1/pickups"
CALLBACK_PATH = "/api/v1/postal/status"
# A callback signed longer ago than this is refused (a replayed old message).
CALLBACK_MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class PickupOrder:
    reference: str
    recipient_name: str
    recipient_phone: str
    address: str
    sender_agency: str
    sender_name: str
    sender_address: str


@dataclass(frozen=True)
class CarrierStatus:
    status: str
    at: datetime


def _headers(body: bytes) -> dict[str, str]:
    return signed_headers(settings.MOTCUA_POST_SECRET, settings.MOTCUA_POST_CLIENT_ID, body)


def callback_url() -> str:
    return settings.MOTCUA_POST_CALLBACK_URL or settings.SITE_URL + CALLBACK_PATH


def order_pickup(order: PickupOrder) -> str:
    """Order the pickup; the carrier's tracking number. ``OutboundError`` when it fails (``retryable``
    False: the carrier refused the order, its message in ``body``)."""
    payload = {
        "reference": order.reference,
        "recipient": {"name": order.recipient_name, "phone": order.recipient_phone, "address": order.address},
        "sender": {"agency": order.sender_agency, "name": order.sender_name, "address": order.sender_address},
        "item": "Kết quả giải quyết thủ tục hành chính",
        "callback_url": callback_url(),
    }
    body = canonical_json(payload)
    answer = call_json(
        "POST",
        settings.MOTCUA_POST_URL + PICKUPS_PATH,
        body=body,
        headers=_headers(body),
        timeout=settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS,
    )
    tracking = str((answer or {}).get("tracking_number") or "").strip() if isinstance(answer, dict) else ""
    if not tracking:
        raise OutboundError("post: the answer has no tracking number", retryable=True)
    return tracking


def track(tracking_number: str) -> list[CarrierStatus]:
    """Every status the carrier reports for the parcel, as it reports them."""
    path = f"{PICKUPS_PATH}/{tracking_number}"
    answer = call_json(
        "GET",
        settings.MOTCUA_POST_URL + path,
        headers=_headers(path.encode()),
        timeout=settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS,
    )
    history = answer.get("history") if isinstance(answer, dict) else None
    statuses = []
    for item in history or []:
        at = parse_datetime(str(item.get("at", ""))) if isinstance(item, dict) else None
        if at is not None and at.tzinfo is not None:
            statuses.append(CarrierStatus(status=str(item.get("status", "")), at=at))
    return statuses


def callback_signature_valid(*, body: bytes, timestamp: str, signature: str, client_id: str) -> bool:
    """A status callback really comes from the carrier: our account, a recent time, the right signature."""
    if client_id != settings.MOTCUA_POST_CLIENT_ID or not timestamp.isdigit():
        return False
    if abs(time.time() - int(timestamp)) > CALLBACK_MAX_AGE_SECONDS:
        return False
    return signature_matches(settings.MOTCUA_POST_SECRET, timestamp.encode() + b"." + body, signature)


def callback_headers(body: bytes, timestamp: Any = None) -> dict[str, str]:
    """The headers the carrier puts on a callback (the fake uses them; so can a test)."""
    return signed_headers(settings.MOTCUA_POST_SECRET, settings.MOTCUA_POST_CLIENT_ID, body, timestamp)
