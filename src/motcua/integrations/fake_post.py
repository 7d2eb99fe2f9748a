"""The fake carrier of the public postal service (core/fakes.py): 127.0.0.1:8104 in the demo.

It takes signed pickup orders (the same reference gives the same tracking number), answers tracking
queries, and plays the carrier's side of a parcel's life: ``POST /_fake/shipments/<tracking>/status``
with ``{"status": "in_transit", "at": "<ISO time>"}`` records that status and, unless ``"callback":
false``, sends the signed status callback to the URL given with the order (what the real carrier does).
``POST /_fake/refuse`` with ``{"refuse": true, "message": "..."}`` makes it refuse the next orders (HTTP
422), as a carrier does for an address it does not serve. Faults (``POST /_fake/faults``) fail or delay
the order and tracking routes.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.core.outbound import canonical_json, signature_matches
from motcua.integrations.population import signed_headers
from motcua.integrations.postal import PICKUPS_PATH

DEMO_PORT = 8104
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_tracking_number(serial: int, prefix: str = "EB") -> str:
    """A UPU S10 item identifier (e.g. EB000000015VN): 2 letters, 8 digits, a check digit, the country."""
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}VN"


def _signed(app: FakeApp, request: FakeRequest, message: bytes) -> bool:
    stamp = request.headers.get("x-timestamp", "")
    return request.headers.get("x-client-id") == app.state["client_id"] and signature_matches(
        app.state["secret"], stamp.encode() + b"." + message, request.headers.get("x-signature", "")
    )


def _refused_signature(app: FakeApp) -> FakeResponse:
    app.state["bad_signatures"] = app.state.get("bad_signatures", 0) + 1
    return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": "bad_signature"})


def _order(app: FakeApp, request: FakeRequest) -> FakeResponse:
    if not _signed(app, request, request.body):
        return _refused_signature(app)
    data = request.json() or {}
    reference = str(data.get("reference", ""))
    address = str((data.get("recipient") or {}).get("address", "")).strip()
    known = app.state["by_reference"].get(reference)
    if known:  # the same order again (a retry after a lost answer): the same parcel
        return FakeResponse(HTTPStatus.CREATED, {"tracking_number": known, "status": "ordered"})
    if app.state.get("refuse") or not reference or not address:
        message = app.state.get("refuse_message") or "Địa chỉ nhận nằm ngoài vùng phục vụ."
        return FakeResponse(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "order_refused", "message": message})
    app.state["serial"] = app.state.get("serial", 0) + 1
    tracking = s10_tracking_number(app.state["serial"])
    app.state["by_reference"][reference] = tracking
    app.state["parcels"][tracking] = {
        "reference": reference,
        "recipient": data.get("recipient"),
        "callback_url": str(data.get("callback_url", "")),
        "status": "ordered",
        "history": [],
    }
    return FakeResponse(HTTPStatus.CREATED, {"tracking_number": tracking, "status": "ordered"})


def _track(app: FakeApp, request: FakeRequest) -> FakeResponse:
    if not _signed(app, request, request.path.encode()):
        return _refused_signature(app)
    parcel = app.state["parcels"].get(request.params["tracking"])
    if parcel is None:
        return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "not_found"})
    return FakeResponse(
        body={"tracking_number": request.params["tracking"], "status": parcel["status"], "history": parcel["history"]}
    )


def _set_status(app: FakeApp, request: FakeRequest) -> FakeResponse:
    tracking = request.params["tracking"]
    parcel = app.state["parcels"].get(tracking)
    if parcel is None:
        return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "not_found"})
    data = request.json() or {}
    status = str(data.get("status", ""))
    at = str(data.get("at") or timezone.now().isoformat())
    parcel["status"] = status
    parcel["history"].append({"status": status, "at": at})
    answer: dict[str, Any] = {"tracking_number": tracking, "status": status, "at": at, "callback_status": None}
    if data.get("callback", True) and parcel["callback_url"]:
        body = canonical_json({"tracking_number": tracking, "status": status, "at": at})
        headers = {
            "Content-Type": "application/json",
            **signed_headers(app.state["secret"], app.state["client_id"], body),
        }
        try:
            response = requests.post(parcel["callback_url"], data=body, headers=headers, timeout=10)
            answer["callback_status"] = response.status_code
        except requests.RequestException as exc:
            answer["callback_status"] = f"{type(exc).__name__}"
    return FakeResponse(body=answer)


def _refuse(app: FakeApp, request: FakeRequest) -> FakeResponse:
    data = request.json() or {}
    app.state["refuse"] = bool(data.get("refuse", True))
    app.state["refuse_message"] = str(data.get("message", ""))
    return FakeResponse(body={"refuse": app.state["refuse"]})


def build_post_carrier() -> FakeApp:
    app = FakeApp("post")
    # The customer account the carrier knows, as configured when it starts (a test may change ours later).
    app.state.update(
        by_reference={}, parcels={}, client_id=settings.MOTCUA_POST_CLIENT_ID, secret=settings.MOTCUA_POST_SECRET
    )
    app.route("POST", PICKUPS_PATH, lambda request: _order(app, request))
    app.route("GET", PICKUPS_PATH + "/<tracking>", lambda request: _track(app, request))
    app.route("POST", "/_fake/shipments/<tracking>/status", lambda request: _set_status(app, request), faults=False)
    app.route("POST", "/_fake/refuse", lambda request: _refuse(app, request), faults=False)
    return app
