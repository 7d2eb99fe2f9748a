"""The fake brand-name SMS gateway (core/fakes.py): a real HTTP server on 127.0.0.1:8105 in the demo.

It plays the gateway of ``notifications.sms_gateway``:

- ``POST /v1/messages`` checks the client id and the signature with its timestamp (401), the brand name
  against its registered ones and the phone (a Vietnamese mobile in 84… form) and text (400), records the
  message and answers ``{"message_id": "SMS000001", "status": "accepted"}``; the same ``reference`` sent
  again gets the same message id (a resend is not a second SMS);
- some time later (``MOTCUA_SMS_FAKE_RECEIPT_SECONDS``; 0: never) it posts a signed delivery receipt to
  the message's ``callback_url``: ``delivered``, or ``failed`` for numbers ending in ``UNREACHABLE_SUFFIX``
  (a phone switched off for days);
- ``GET /_fake/receipts/<message_id>?status=delivered|failed&reason=…`` gives a signed receipt
  (``{"body", "headers"}``) without sending it, for a test to post; ``POST /_fake/receipts/<message_id>``
  posts the receipt to the callback now;
- ``POST /_fake/faults`` makes it answer 503 or late (core/fakes.py); ``GET /_fake/state`` shows the
  messages and the receipts posted.

The secrets and the brand name are read from the settings when it is built: in the demo the fake and the
site share them, as a real gateway and the province would after registration.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from django.conf import settings

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.core.outbound import OutboundError, call_json, canonical_json
from motcua.notifications.sms_gateway import signature_problem, signed_headers

DEMO_PORT = 8105
UNREACHABLE_SUFFIX = "999"
MAX_TEXT_LENGTH = 1000
_MOBILE = re.compile(r"^84[35789]\d{8}$")


class FakeSmsGateway(FakeApp):
    def __init__(self) -> None:
        super().__init__("sms")
        self.client_id = settings.MOTCUA_SMS_GATEWAY_CLIENT_ID
        self.secret = settings.MOTCUA_SMS_GATEWAY_SECRET
        self.receipt_secret = settings.MOTCUA_SMS_RECEIPT_SECRET
        self.brand_names = {settings.MOTCUA_SMS_BRAND_NAME}
        self.receipt_delay = settings.MOTCUA_SMS_FAKE_RECEIPT_SECONDS
        self.state.update({"messages": {}, "receipts": []})
        self.route("POST", "/v1/messages", self.accept)
        self.route("GET", "/_fake/receipts/<message_id>", self.receipt, faults=False)
        self.route("POST", "/_fake/receipts/<message_id>", self.post_receipt_now, faults=False)

    # --- the gateway -------------------------------------------------------------------------------

    def accept(self, request: FakeRequest) -> FakeResponse:
        if request.headers.get("x-client-id") != self.client_id:
            return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": "unknown_client"})
        problem = signature_problem(
            self.secret,
            request.body,
            timestamp=request.headers.get("x-timestamp", ""),
            signature=request.headers.get("x-signature", ""),
        )
        if problem:
            return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": problem})
        try:
            data = request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "malformed_request"})
        if data.get("brandname") not in self.brand_names:
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "brandname_not_registered"})
        phone, text = str(data.get("phone") or ""), str(data.get("text") or "")
        if not _MOBILE.match(phone):
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "invalid_phone"})
        if not text.strip() or len(text) > MAX_TEXT_LENGTH:
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "invalid_text"})
        messages: dict[str, dict[str, Any]] = self.state["messages"]
        reference = str(data.get("reference") or "")
        known = next((m for m in messages.values() if reference and m["reference"] == reference), None)
        if known is not None:
            return FakeResponse(body={"message_id": known["message_id"], "status": "accepted"})
        message_id = f"SMS{len(messages) + 1:06d}"
        messages[message_id] = {
            "message_id": message_id,
            "brandname": data["brandname"],
            "phone": phone,
            "text": text,
            "reference": reference,
            "callback_url": str(data.get("callback_url") or ""),
        }
        if self.receipt_delay > 0 and messages[message_id]["callback_url"]:
            timer = threading.Timer(self.receipt_delay, self._post_receipt, args=(message_id,))
            timer.daemon = True
            timer.start()
        return FakeResponse(body={"message_id": message_id, "status": "accepted"})

    # --- receipts ----------------------------------------------------------------------------------

    def signed_receipt(self, message_id: str, *, status: str = "", reason: str = "") -> tuple[bytes, dict[str, str]]:
        message = self.state["messages"][message_id]
        if not status:
            unreachable = message["phone"].endswith(UNREACHABLE_SUFFIX)
            status = "failed" if unreachable else "delivered"
            reason = reason or ("subscriber unreachable" if unreachable else "")
        body = canonical_json(
            {
                "message_id": message_id,
                "reference": message["reference"],
                "status": status,
                "reason": reason,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        return body, {"Content-Type": "application/json", **signed_headers(self.receipt_secret, body)}

    def receipt(self, request: FakeRequest) -> FakeResponse:
        message_id = request.params["message_id"]
        if message_id not in self.state["messages"]:
            return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "unknown_message"})
        body, headers = self.signed_receipt(message_id, status=request.arg("status"), reason=request.arg("reason"))
        return FakeResponse(body={"body": body.decode("utf-8"), "headers": headers})

    def post_receipt_now(self, request: FakeRequest) -> FakeResponse:
        message_id = request.params["message_id"]
        if message_id not in self.state["messages"]:
            return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "unknown_message"})
        data = request.json() if request.body else {}
        threading.Thread(
            target=self._post_receipt,
            args=(message_id, str(data.get("status") or ""), str(data.get("reason") or "")),
            daemon=True,
        ).start()
        return FakeResponse(HTTPStatus.ACCEPTED, {"ok": True})

    def _post_receipt(self, message_id: str, status: str = "", reason: str = "") -> None:
        with self.lock:
            url = self.state["messages"][message_id]["callback_url"]
            body, headers = self.signed_receipt(message_id, status=status, reason=reason)
        try:
            call_json("POST", url, body=body, headers=headers, timeout=5)
            outcome = "accepted"
        except OutboundError as exc:
            outcome = f"refused: {exc}"
        with self.lock:
            self.state["receipts"].append({"message_id": message_id, "outcome": outcome})


def build_sms_gateway() -> FakeApp:
    return FakeSmsGateway()
