"""Routes of the fake national portal that receive the province's pushed dossiers and progress events.

It plays the portal's side of ``wire``: checks the signature (401), the envelope and the data (400 with
the problems), deduplicates on the message id (a duplicate is answered 200 and counted), stores each
dossier's record by code and its events in arrival order, and flags a message of a dossier that does not
follow the one before (``out_of_order``). What it recorded is in ``state`` (``GET /_fake/state``):

``dossiers`` {code: record}, ``events`` {code: [event, …]}, ``sequences`` {code: [sequence, …]} in
arrival order, ``received`` (accepted messages), ``duplicates``, ``out_of_order``, ``rejected``
(400/401/409 answers) and ``duplicate_ids``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.core.outbound import signature_matches
from motcua.integrations.national import wire


def add_routes(app: FakeApp) -> None:
    app.state.update(
        dossiers={},
        events={},
        sequences={},
        received=0,
        duplicates=0,
        out_of_order=[],
        rejected=0,
        duplicate_ids=[],
    )
    # The portal's own copy of the province's account, as it stood when the fake started (a test that
    # changes the secret afterwards plays a province whose secret no longer matches: 401).
    client_id, secret = settings.MOTCUA_NATIONAL_PORTAL_CLIENT_ID, settings.MOTCUA_NATIONAL_PORTAL_SECRET
    seen: set[str] = set()  # message ids stored (kept out of ``state``: it only grows)
    last: dict[str, int] = {}  # dossier code → the last sequence stored

    def receive(kind: str, request: FakeRequest) -> FakeResponse:
        state = app.state
        signature = request.headers.get(wire.SIGNATURE_HEADER.lower(), "")
        client = request.headers.get(wire.CLIENT_HEADER.lower(), "")
        if client != client_id or not signature_matches(secret, request.body, signature):
            state["rejected"] += 1
            return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": "bad_signature"})
        try:
            message_id, sequence, data = wire.read_envelope(request.json())
        except ValueError as exc:
            state["rejected"] += 1
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "invalid", "errors": [str(exc)]})
        if message_id in seen:
            state["duplicates"] += 1
            state["duplicate_ids"].append(message_id)
            return FakeResponse(body={"ok": True, "duplicate": True, "id": message_id})
        problems = wire.problems(kind, data)
        if problems:
            state["rejected"] += 1
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "invalid", "errors": problems})
        code = str(data[wire.DOSSIER_FIELDS["code"]])
        if kind == "event" and code not in state["dossiers"]:
            state["rejected"] += 1
            return FakeResponse(HTTPStatus.CONFLICT, {"error": "unknown_dossier", "errors": [code]})
        seen.add(message_id)
        state["received"] += 1
        if sequence != last.get(code, 0) + 1:
            state["out_of_order"].append({"id": message_id, "after": last.get(code, 0)})
        last[code] = max(sequence, last.get(code, 0))
        state["sequences"].setdefault(code, []).append(sequence)
        if kind == "dossier":
            state["dossiers"][code] = data
        else:
            state["events"].setdefault(code, []).append(data)
        return FakeResponse(body={"ok": True, "id": message_id})

    def receive_dossier(request: FakeRequest) -> FakeResponse:
        return receive("dossier", request)

    def receive_event(request: FakeRequest) -> FakeResponse:
        return receive("event", request)

    app.route("POST", wire.PATHS["dossier"], receive_dossier)
    app.route("POST", wire.PATHS["event"], receive_event)


def summary(state: dict[str, Any]) -> dict[str, int]:
    """The counts a test or a bench prints."""
    return {
        "dossiers": len(state["dossiers"]),
        "events": sum(len(events) for events in state["events"].values()),
        "received": state["received"],
        "duplicates": state["duplicates"],
        "out_of_order": len(state["out_of_order"]),
        "rejected": state["rejected"],
    }
