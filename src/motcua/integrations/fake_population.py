"""The fake national population database (core/fakes.py): 127.0.0.1:8103 in the demo.

It holds the demo citizens (motcua/demo/province.py) and a few others, checks every request's signature
as the real service would (HTTP 401 otherwise), answers 404 for an unknown ID, and sends more fields than
motcua asks for (sex, ethnicity, parents...) so that tests show the adapter keeps only what it needs.
Faults (``POST /_fake/faults``) make it fail or answer late.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.core.outbound import signature_matches
from motcua.integrations.population import LOOKUP_PATH

DEMO_PORT = 8103

PEOPLE: dict[str, dict[str, Any]] = {
    # The demo citizens: same names and addresses as their accounts.
    "022190001234": {
        "full_name": "Nguyễn Thị Lan",
        "date_of_birth": "1990-03-14",
        "sex": "female",
        "address": "Thôn Trung, xã demo",
    },
    "022088005678": {
        "full_name": "Trần Văn Minh",
        "date_of_birth": "1988-11-02",
        "sex": "male",
        "address": "Tổ dân phố 3, phường demo",
    },
    # People without an account yet: a walk-in at the desk finds them here.
    "001095012345": {
        "full_name": "Lê Văn An",
        "date_of_birth": "1995-07-21",
        "sex": "male",
        "address": "Số 5 ngõ 12 phố Hàng Bông, phường Hoàn Kiếm, Hà Nội",
    },
    "079203004567": {
        "full_name": "Phạm Thị Bình",
        "date_of_birth": "2003-01-30",
        "sex": "female",
        "address": "Ấp Bình Thạnh, xã Tân Phú, tỉnh Đồng Nai",
    },
    "022075009876": {
        "full_name": "Đỗ Văn Hùng",
        "date_of_birth": "1975-05-19",
        "sex": "male",
        "address": "Thôn Đông, xã demo",
    },
}
# What the real record holds besides: never asked for, never kept (integrations/population.py).
EXTRA_FIELDS = {"ethnicity": "Kinh", "religion": "Không", "father_name": "…", "mother_name": "…"}


def _lookup(app: FakeApp, request: FakeRequest) -> FakeResponse:
    stamp = request.headers.get("x-timestamp", "")
    if request.headers.get("x-client-id") != app.state["client_id"] or not signature_matches(
        app.state["secret"], stamp.encode() + b"." + request.body, request.headers.get("x-signature", "")
    ):
        app.state["refused"] = app.state.get("refused", 0) + 1
        return FakeResponse(HTTPStatus.UNAUTHORIZED, {"error": "bad_signature"})
    data = request.json() or {}
    personal_id = str(data.get("personal_id", ""))
    app.state.setdefault("lookups", []).append(
        {"personal_id": personal_id, "purpose": data.get("purpose"), "requested_by": data.get("requested_by")}
    )
    person = PEOPLE.get(personal_id)
    if person is None:
        return FakeResponse(HTTPStatus.NOT_FOUND, {"error": "not_found"})
    return FakeResponse(body={"personal_id": personal_id, **person, **EXTRA_FIELDS})


def build_population_database() -> FakeApp:
    app = FakeApp("population")
    # The account the service knows, as configured when it starts (a test may change ours afterwards).
    app.state.update(client_id=settings.MOTCUA_POPULATION_CLIENT_ID, secret=settings.MOTCUA_POPULATION_SECRET)
    app.route("POST", LOOKUP_PATH, lambda request: _lookup(app, request))
    return app
