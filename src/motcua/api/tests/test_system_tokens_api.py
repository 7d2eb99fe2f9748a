"""Integrated systems' tokens: made by an administrator, scoped to agencies and actions, submitting on behalf
of applicants, every call audited."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from motcua.core.exceptions import PermissionDenied
from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.constants import Role
from motcua.identity.models import ApiToken
from motcua.identity.tokens import system_token_create
from motcua.workflow.models import ActionKey
from motcua.workflow.services import dossier_submit_online
from tests.factories import make_staff, row_counts
from tests.intake import PDF, birth_application, birth_documents

pytestmark = pytest.mark.usefixtures("monday_morning")
ENCODED = base64.b64encode(PDF).decode()
APPLICANT = {"id_number": "001090012345", "full_name": "Lê Văn Cường", "phone": "0987654321"}


class JsonClient(APIClient):
    def post(self, path, data=None, **extra):  # type: ignore[override]
        return super().post(path, data, format="json", **extra)


def with_key(key: str) -> APIClient:
    client = JsonClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def system(province, people) -> dict[str, Any]:
    """The province's portal: a desk officer's account at commune A and B, a key for commune A only that
    may receive and forward, and submit on behalf of applicants."""
    account = make_staff(Role.DESK_OFFICER, province["commune_a"], username="cong-tinh")
    make_staff_grant(account, province["commune_b"])
    token, key = system_token_create(
        actor=None,
        user=account,
        name="Cổng dịch vụ công tỉnh",
        agencies=[province["commune_a"]],
        actions=["receive", "forward"],
        on_behalf=True,
    )
    return {"account": account, "token": token, "api": with_key(key)}


def make_staff_grant(user, agency) -> None:
    from motcua.identity.services import role_grant

    role_grant(actor=None, user=user, role=Role.DESK_OFFICER, agency=agency)


def on_behalf(agency: str = "H99.101", **applicant: Any) -> dict[str, Any]:
    docs = birth_documents()
    return {
        "procedure_code": "1.001193",
        "agency_code": agency,
        "form_data": {"ho_ten_tre": "Lê Thị Dung", "ngay_sinh": "2026-03-01"},
        "documents": [
            {"name": "to-khai.pdf", "required_document": docs[0].pk, "content_base64": ENCODED},
            {"name": "chung-sinh.pdf", "required_document": docs[1].pk, "content_base64": ENCODED},
        ],
        "applicant": {**APPLICANT, **applicant},
    }


def calls() -> list[tuple[str, dict]]:
    rows = AuditEntry.objects.filter(action="api_system_call").order_by("id")
    return [(row.actor.username, row.data) for row in rows]


def state() -> tuple:
    return row_counts(), ActionKey.objects.count(), list(Dossier.objects.values_list("code", "status"))


def test_a_system_submits_on_behalf_of_an_applicant_recorded_and_audited(system) -> None:
    response = system["api"].post("/api/v1/dossiers/on-behalf", on_behalf(), HTTP_IDEMPOTENCY_KEY="hs-1")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["status"], body["channel"], body["applicant_id_number"]) == (
        "H99.101-260309-0001",
        "submitted",
        "online",
        "*********345",
    )
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id, dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone) == (
        None,
        "Lê Văn Cường",
        "001090012345",
        "0987654321",
    )
    assert (dossier.created_by, dossier.applicant_type) == (system["account"], "citizen")
    assert DossierEvent.objects.get().actor == system["account"]
    assert calls() == [
        (
            "cong-tinh",
            {
                "system": "Cổng dịch vụ công tỉnh",
                "token": system["token"].prefix,
                "action": "submit",
                "dossier": "H99.101-260309-0001",
                "on_behalf_of": "*********345",
            },
        )
    ]
    again = system["api"].post("/api/v1/dossiers/on-behalf", on_behalf(), HTTP_IDEMPOTENCY_KEY="hs-1")
    other = system["api"].post(
        "/api/v1/dossiers/on-behalf", on_behalf(full_name="Lê Văn Khác"), HTTP_IDEMPOTENCY_KEY="hs-1"
    )
    assert (again.status_code, again.json()["code"], Dossier.objects.count()) == (200, body["code"], 1)
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")


def test_a_dossier_for_a_verified_account_shows_among_its_dossiers(system, people) -> None:
    response = system["api"].post("/api/v1/dossiers/on-behalf", on_behalf(id_number="042190001234"))

    assert response.status_code == 201, response.content
    assert Dossier.objects.get().applicant == people["citizen"]
    mine = APIClient()
    mine.force_authenticate(people["citizen"])
    assert [d["code"] for d in mine.get("/api/v1/dossiers").json()["results"]] == [response.json()["code"]]


def test_refused_on_behalf_submissions_change_nothing(system, people) -> None:
    personal = APIClient()
    personal.force_authenticate(people["desk"])
    before = state()

    outside = system["api"].post("/api/v1/dossiers/on-behalf", on_behalf(agency="H99.102"))
    not_a_system = personal.post("/api/v1/dossiers/on-behalf", on_behalf(), format="json")
    bad_id = system["api"].post("/api/v1/dossiers/on-behalf", on_behalf(id_number="000000000001"))
    the_portal_itself = system["api"].post(
        "/api/v1/dossiers", {k: v for k, v in on_behalf().items() if k != "applicant"}
    )

    assert (outside.status_code, outside.json()["code"]) == (403, "agency_not_granted")
    assert (not_a_system.status_code, not_a_system.json()["code"]) == (403, "on_behalf_not_granted")
    assert (bad_id.status_code, bad_id.json()["code"], list(bad_id.json()["errors"])) == (
        400,
        "validation_failed",
        ["id_number"],
    )
    assert (the_portal_itself.status_code, the_portal_itself.json()["code"]) == (403, "permission_denied")
    assert state() == before
    assert calls() == []


def test_a_system_acts_within_its_agencies_and_granted_actions_only(system, people) -> None:
    inside = dossier_submit_online(actor=people["citizen"], application=birth_application())
    outside = dossier_submit_online(actor=people["citizen"], application=birth_application(agency_code="H99.102"))
    api = system["api"]
    before = state()

    # Its account is a desk officer at commune B too, but its key covers commune A only: "not found".
    assert [
        (r.status_code, r.json()["code"])
        for r in (
            api.get(f"/api/v1/dossiers/{outside.code}"),
            api.post(f"/api/v1/dossiers/{outside.code}/receive"),
            api.get(f"/api/v1/dossiers/{outside.code}/actions"),
        )
    ] == [(404, "not_found")] * 3
    refused = api.post(f"/api/v1/dossiers/{inside.code}/refuse", {"reason": "Thiếu giấy tờ"})
    assert (refused.status_code, refused.json()["code"]) == (403, "action_not_granted")
    assert state() == before
    assert calls() == []

    offered = api.get(f"/api/v1/dossiers/{inside.code}/actions").json()["actions"]
    assert [o["action"] for o in offered] == ["receive"]  # refuse, supplement, withdraw: not its key's
    received = api.post(f"/api/v1/dossiers/{inside.code}/receive", HTTP_IDEMPOTENCY_KEY="nhan")
    assert (received.status_code, received.json()["status"]) == (200, "received")
    replayed = api.post(f"/api/v1/dossiers/{inside.code}/receive", HTTP_IDEMPOTENCY_KEY="nhan")
    assert (replayed.status_code, replayed["Idempotent-Replayed"]) == (200, "true")
    assert [d["code"] for d in api.get("/api/v1/dossiers").json()["results"]] == [inside.code]
    prefix = system["token"].prefix
    assert [data["action"] for _who, data in calls()] == ["actions", "receive", "list"]  # a replay does not act
    assert calls()[1] == (
        "cong-tinh",
        {"system": "Cổng dịch vụ công tỉnh", "token": prefix, "action": "receive", "dossier": inside.code},
    )
    assert calls()[2][1]["count"] == 1


def test_a_system_key_reaches_the_dossier_catalog_and_calendar_endpoints_only(system) -> None:
    api = system["api"]
    assert api.get("/api/v1/procedures").status_code == 200
    for path in ("/api/v1/me/documents", "/api/v1/staff/dossiers?unit=H99.101", "/api/v1/tokens"):
        response = api.get(path)
        assert (response.status_code, response.json()["code"]) == (403, "system_endpoint"), path


def test_only_administrators_make_system_keys_and_the_command_prints_the_key_once(province, people) -> None:
    account = make_staff(Role.DESK_OFFICER, province["commune_a"], username="he-thong-nganh")
    with pytest.raises(PermissionDenied):
        system_token_create(
            actor=people["desk"], user=account, name="x", agencies=[province["commune_a"]], actions=["receive"]
        )
    out = io.StringIO()

    call_command(
        "system_token_create",
        "--username=he-thong-ho-tich",
        "--name=Hệ thống hộ tịch",
        "--agency=H99.101",
        "--subagencies",
        "--role=specialist",
        "--action=take",
        "--action=forward",
        "--days=30",
        stdout=out,
    )

    key = out.getvalue().split("key (shown once): ")[1].strip()
    token = ApiToken.objects.get(user__username="he-thong-ho-tich")
    assert (token.kind, token.actions, token.include_subagencies, token.on_behalf) == (
        "system",
        ["forward", "take"],
        True,
        False,
    )
    assert [a.code for a in token.agencies.all()] == ["H99.101"]
    assert list(token.user.grants.values_list("role", "agency__code")) == [("specialist", "H99.101")]
    assert key not in str(list(ApiToken.objects.values()))  # kept as a digest only
    assert with_key(key).get("/api/v1/dossiers").status_code == 200
    audit = AuditEntry.objects.filter(action="api_token_create").get()
    assert audit.data["actions"] == ["forward", "take"]
