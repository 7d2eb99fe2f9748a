"""The workflow through the API: a dossier from submission to returned result with nothing but API calls,
who may call each action endpoint, and the Idempotency-Key of actions."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierEvent, DossierResult
from motcua.identity.tokens import api_token_create
from motcua.signing import verify_pdf
from motcua.workflow.models import ActionKey
from motcua.workflow.results import result_file
from tests.factories import row_counts
from tests.intake import PDF, birth_documents
from tests.openapi import assert_matches_spec
from tests.processing import process_staff

ENCODED = base64.b64encode(PDF).decode()


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


def key_of(user) -> str:
    """A personal API key, made the way its owner makes one (a session that passed the second factor)."""
    _token, key = api_token_create(actor=user, name="hệ thống", from_session=True, second_factor_passed=True)
    return key


class JsonClient(APIClient):
    def post(self, path, data=None, **extra):  # type: ignore[override]
        return super().post(path, data, format="json", **extra)


def caller(user=None) -> APIClient:
    client = JsonClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key_of(user)}")
    return client


def submission() -> dict[str, Any]:
    docs = birth_documents()
    return {
        "procedure_code": "1.001193",
        "agency_code": "H99.101",
        "form_data": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"},
        "documents": [
            {"name": "to-khai.pdf", "required_document": docs[0].pk, "content_base64": ENCODED},
            {"name": "chung-sinh.pdf", "required_document": docs[1].pk, "content_base64": ENCODED},
        ],
    }


def state() -> tuple:
    """Every row a refused action must leave as it was, the action keys and audit entries included."""
    return (
        row_counts(),
        ActionKey.objects.count(),
        AuditEntry.objects.count(),
        list(Dossier.objects.values_list("code", "status", "step_position", "assignee_id", "due_at")),
    )


def ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    return response.json()


def problem(response) -> tuple[int, str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.status_code, response.json()["code"]


# --- the whole way, through the API only ----------------------------------------------------------------


def test_a_dossier_goes_from_submission_to_returned_result_through_the_api_only(people, staff) -> None:
    citizen, desk, specialist = caller(people["citizen"]), caller(people["desk"]), caller(people["specialist"])
    leader, clerk = caller(staff["leader"]), caller(staff["clerk"])

    submitted = ok(citizen.post("/api/v1/dossiers", submission()), 201)
    code = submitted["code"]
    assert (code, submitted["status"], submitted["national_status"]) == ("H99.101-260309-0001", "submitted", 1)

    assert [a["action"] for a in ok(desk.get(f"/api/v1/dossiers/{code}/actions"))["actions"]] == [
        "receive",
        "refuse",
        "request_supplement",
        "withdraw",
    ]
    received = ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    assert (received["status"], received["national_status"], received["due_at"]) == (
        "received",
        2,
        "2026-03-10T09:00:00+07:00",
    )
    offered = ok(desk.get(f"/api/v1/dossiers/{code}/actions"))["actions"]
    assert {"action": "forward", "note_required": False} in offered
    forwarded = ok(
        desk.post(
            f"/api/v1/dossiers/{code}/forward",
            {"assignee": people["specialist"].username, "note": "Chuyển chuyên viên"},
        )
    )
    assert (forwarded["status"], forwarded["national_status"]) == ("in_progress", 4)

    draft = {"name": "du-thao.pdf", "content_base64": ENCODED}
    ok(
        specialist.post(
            f"/api/v1/dossiers/{code}/forward",
            {"assignee": "lanhdao", "note": "Trình ký", "draft": draft},
        )
    )
    shown = leader.get(f"/api/v1/dossiers/{code}/result-preview")
    assert_matches_spec(shown, "/api/v1/dossiers/{code}/result-preview")
    preview = ok(shown)
    assert base64.b64decode(preview["content_base64"]) == PDF  # the specialist's draft is what is signed
    approved = ok(
        leader.post(
            f"/api/v1/dossiers/{code}/approve",
            {"previewed": preview["digest"], "assignee": "vanthu", "note": "Đủ điều kiện"},
        )
    )
    assert approved["status"] == "in_progress"
    issued = ok(clerk.post(f"/api/v1/dossiers/{code}/issue-result"))
    assert (issued["status"], issued["national_status"]) == ("result_ready", 9)
    response = desk.post(f"/api/v1/dossiers/{code}/return-result", {"via": "electronic"})
    assert_matches_spec(response, "/api/v1/dossiers/{code}/return-result", "post")
    returned = ok(response)
    assert (returned["status"], returned["national_status"]) == ("returned", 10)

    seen = ok(citizen.get(f"/api/v1/dossiers/{code}"))
    assert [(e["action"], e["national_status"]) for e in seen["events"]] == [
        ("submit", 1),
        ("receive", 2),
        ("forward", 4),
        ("forward", 4),
        ("approve", 4),
        ("issue_result", 9),
        ("return_result", 10),
    ]
    actors = list(
        DossierEvent.objects.filter(dossier__code=code).order_by("id").values_list("actor__username", flat=True)
    )
    assert actors == [
        people["citizen"].username,
        people["desk"].username,
        people["desk"].username,
        people["specialist"].username,
        "lanhdao",
        "vanthu",
        people["desk"].username,
    ]
    result = DossierResult.objects.get(dossier__code=code)
    assert result.number == "KQ.H99.000001"
    report = verify_pdf(result_file(result))
    # The leader's signature (the same certificate the processing page signs with), intact after numbering.
    assert [(s.signer_name, s.intact, s.valid) for s in report.signatures] == [("Hoàng Văn Lãnh", True, True)]
    assert_matches_spec(citizen.get(f"/api/v1/dossiers/{code}/actions"), "/api/v1/dossiers/{code}/actions")


def test_approval_signs_only_the_previewed_result(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk, leader = caller(people["desk"]), caller(staff["leader"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    ok(desk.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["specialist"].username}))
    specialist = caller(people["specialist"])
    assert problem(leader.get(f"/api/v1/dossiers/{code}/result-preview")) == (404, "not_found")  # not theirs yet
    ok(specialist.post(f"/api/v1/dossiers/{code}/forward", {"assignee": "lanhdao"}))
    before = state()

    missing = leader.post(f"/api/v1/dossiers/{code}/approve", {})
    stale = leader.post(f"/api/v1/dossiers/{code}/approve", {"previewed": "0" * 64})

    assert problem(missing) == (400, "validation_failed")
    assert problem(stale) == (409, "preview_outdated")
    assert state() == before
    preview = ok(leader.get(f"/api/v1/dossiers/{code}/result-preview"))
    assert len(preview["digest"]) == 64 and preview["content_type"] == "application/pdf"
    ok(leader.post(f"/api/v1/dossiers/{code}/approve", {"previewed": preview["digest"]}))
    assert DossierResult.objects.get(dossier__code=code).signer_subject != ""


# --- who may call the action endpoints --------------------------------------------------------------------

# (endpoint, body) of every processing action, on a dossier received at commune A (the desk holds step 1).
ACTIONS: list[tuple[str, dict[str, Any]]] = [
    ("take", {}),
    ("forward", {"note": "x"}),
    ("send-back", {"reason": "x"}),
    ("consult", {"agencies": ["H99.01"], "question": "x", "hours": "4"}),
    ("answer-consultation", {"answer": "x"}),
    ("stop", {"reason": "x"}),
    ("request-payment", {"amount": 50000, "note": "x"}),
    ("confirm-payment", {}),
    ("approve", {"previewed": "0" * 64}),
    ("reject", {"reason": "x"}),
    ("issue-result", {}),
    ("return-result", {"via": "desk"}),
    ("apologize", {"reason": "x", "new_due_at": "2026-03-12T16:00:00+07:00"}),
]
# What each caller gets: the applicant and a specialist of the agency see the dossier but may not act
# (403) or the state refuses first (409); a desk officer elsewhere does not see it (404).
EXPECTED: dict[str, dict[str, tuple[int, str]]] = {
    "anonymous": {name: (403, "not_authenticated") for name, _body in ACTIONS},
    "other_desk": {name: (404, "not_found") for name, _body in ACTIONS},
    "citizen": {
        "take": (403, "permission_denied"),
        "forward": (403, "permission_denied"),
        "send-back": (409, "transition_not_allowed"),
        "consult": (409, "transition_not_allowed"),
        "answer-consultation": (403, "permission_denied"),
        "stop": (403, "permission_denied"),
        "request-payment": (409, "transition_not_allowed"),
        "confirm-payment": (409, "transition_not_allowed"),
        "approve": (409, "transition_not_allowed"),
        "reject": (409, "transition_not_allowed"),
        "issue-result": (409, "transition_not_allowed"),
        "return-result": (409, "transition_not_allowed"),
        "apologize": (403, "permission_denied"),
    },
    "specialist": {
        "take": (403, "permission_denied"),
        "forward": (403, "permission_denied"),
        "send-back": (409, "transition_not_allowed"),
        "consult": (409, "transition_not_allowed"),
        "answer-consultation": (403, "permission_denied"),
        "stop": (403, "permission_denied"),
        "request-payment": (409, "transition_not_allowed"),
        "confirm-payment": (409, "transition_not_allowed"),
        "approve": (409, "transition_not_allowed"),
        "reject": (409, "transition_not_allowed"),
        "issue-result": (409, "transition_not_allowed"),
        "return-result": (409, "transition_not_allowed"),
        "apologize": (403, "permission_denied"),
    },
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_who_may_call_each_action_and_a_refusal_changes_nothing(people, staff, who) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    ok(caller(people["desk"]).post(f"/api/v1/dossiers/{code}/receive"))
    api = caller(None if who == "anonymous" else people[who])
    before = state()

    got = {
        name: problem(api.post(f"/api/v1/dossiers/{code}/{name}", body, HTTP_IDEMPOTENCY_KEY=name))
        for name, body in ACTIONS
    }

    assert got == EXPECTED[who]
    assert state() == before


def test_a_leader_may_not_act_at_the_desk_step_and_the_desk_may_not_approve(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk = caller(people["desk"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    ok(desk.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["specialist"].username}))
    leader, specialist, citizen = caller(staff["leader"]), caller(people["specialist"]), caller(people["citizen"])
    before = state()

    assert problem(leader.post(f"/api/v1/dossiers/{code}/take")) == (403, "permission_denied")
    assert problem(leader.post(f"/api/v1/dossiers/{code}/approve", {"previewed": "0" * 64})) == (409, "wrong_step")
    assert problem(desk.post(f"/api/v1/dossiers/{code}/issue-result")) == (409, "wrong_step")
    chosen = specialist.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["desk"].username})
    assert problem(chosen) == (400, "assignee_not_eligible")  # a desk officer does not hold the leader's step
    assert state() == before
    # The applicant may withdraw an open dossier, nothing else.
    assert ok(citizen.get(f"/api/v1/dossiers/{code}/actions")) == {
        "code": code,
        "actions": [{"action": "withdraw", "note_required": True}],
    }


def test_consultation_asked_and_answered_with_files_through_the_api(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk, specialist = caller(people["desk"]), caller(people["specialist"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    ok(desk.post(f"/api/v1/dossiers/{code}/forward"))  # to the unit's pool
    ok(specialist.post(f"/api/v1/dossiers/{code}/take"))
    body = {"agencies": ["H99.01"], "question": "Xác minh nơi cư trú?", "hours": "4"}
    ok(specialist.post(f"/api/v1/dossiers/{code}/consult", body))
    department = caller(staff["dept_specialist"])

    assert ok(department.get(f"/api/v1/dossiers/{code}/actions"))["actions"] == [
        {"action": "answer_consultation", "note_required": True}
    ]
    files = [{"name": "y-kien.pdf", "content_base64": ENCODED}]
    answered = ok(
        department.post(
            f"/api/v1/dossiers/{code}/answer-consultation", {"answer": "Đúng nơi cư trú.", "documents": files}
        )
    )
    assert [e["action"] for e in answered["events"]][-2:] == ["consult", "answer_consultation"]
    dossier = Dossier.objects.get(code=code)
    assert dossier.documents.filter(event__action="answer_consultation").count() == 1
    assert dossier.consultations.get().answer == "Đúng nơi cư trú."


def test_payment_apology_and_stop_through_the_api(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk, specialist, leader = caller(people["desk"]), caller(people["specialist"]), caller(staff["leader"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    ok(desk.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["specialist"].username}))

    paying = ok(specialist.post(f"/api/v1/dossiers/{code}/request-payment", {"amount": 50000, "note": "Lệ phí"}))
    assert (paying["status"], paying["national_status"]) == ("financial_obligation", 6)
    resumed = ok(specialist.post(f"/api/v1/dossiers/{code}/confirm-payment", {}))
    assert (resumed["status"], resumed["national_status"]) == ("in_progress", 4)
    apology = {"reason": "Cần xác minh thêm", "new_due_at": "2026-03-12T16:00:00+07:00"}
    redated = ok(leader.post(f"/api/v1/dossiers/{code}/apologize", apology))
    assert redated["due_at"] == "2026-03-12T16:00:00+07:00"
    again = leader.post(f"/api/v1/dossiers/{code}/apologize", {**apology, "new_due_at": "2026-03-13T16:00:00+07:00"})
    assert problem(again) == (409, "redate_only_once")
    stopped = ok(specialist.post(f"/api/v1/dossiers/{code}/stop", {"reason": "Không đủ điều kiện"}))
    assert (stopped["status"], stopped["national_status"]) == ("stopped", 8)


def test_the_leader_refuses_the_request_with_a_signed_letter(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk, specialist, leader = caller(people["desk"]), caller(people["specialist"]), caller(staff["leader"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    ok(desk.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["specialist"].username}))
    ok(specialist.post(f"/api/v1/dossiers/{code}/send-back", {"reason": "Thiếu thông tin"}))
    assert problem(desk.post(f"/api/v1/dossiers/{code}/send-back", {"reason": "x"})) == (409, "wrong_step")
    ok(desk.post(f"/api/v1/dossiers/{code}/forward", {"assignee": people["specialist"].username}))
    ok(specialist.post(f"/api/v1/dossiers/{code}/forward", {"assignee": "lanhdao"}))
    assert problem(leader.post(f"/api/v1/dossiers/{code}/reject", {"reason": ""})) == (400, "note_required")

    ok(leader.post(f"/api/v1/dossiers/{code}/reject", {"reason": "Không đủ điều kiện", "assignee": "vanthu"}))

    result = DossierResult.objects.get(dossier__code=code)
    assert (result.decision, result.signer_subject != "") == ("refused", True)


# --- Idempotency-Key --------------------------------------------------------------------------------------


def test_a_repeated_action_acts_once_and_another_body_with_its_key_is_a_conflict(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk = caller(people["desk"])
    ok(desk.post(f"/api/v1/dossiers/{code}/receive", HTTP_IDEMPOTENCY_KEY="nhan-1"))
    body = {"assignee": people["specialist"].username, "note": "Chuyển"}

    first = desk.post(f"/api/v1/dossiers/{code}/forward", body, HTTP_IDEMPOTENCY_KEY="chuyen-1")
    after_first = state()
    again = desk.post(f"/api/v1/dossiers/{code}/forward", body, HTTP_IDEMPOTENCY_KEY="chuyen-1")
    other = desk.post(f"/api/v1/dossiers/{code}/forward", {**body, "note": "khác"}, HTTP_IDEMPOTENCY_KEY="chuyen-1")
    replayed_receive = desk.post(f"/api/v1/dossiers/{code}/receive", HTTP_IDEMPOTENCY_KEY="nhan-1")

    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (200, 200, "true")
    assert "Idempotent-Replayed" not in first
    assert again.json()["code"] == first.json()["code"] == code
    assert again.json()["events"] == first.json()["events"]
    assert problem(other) == (409, "idempotency_key_reused")
    assert (replayed_receive.status_code, replayed_receive["Idempotent-Replayed"]) == (200, "true")
    assert state() == after_first
    events = list(DossierEvent.objects.filter(dossier__code=code).order_by("id").values_list("action", flat=True))
    assert events == ["submit", "receive", "forward"]
    keys = ActionKey.objects.order_by("id")
    assert [(k.key, k.action, k.event.action if k.event else None) for k in keys] == [
        (f"{people['desk'].pk}:nhan-1", "receive", "receive"),
        (f"{people['desk'].pk}:chuyen-1", "forward", "forward"),
    ]


def test_a_refused_action_keeps_no_key_and_may_be_sent_again(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk = caller(people["desk"])
    before = state()

    early = desk.post(f"/api/v1/dossiers/{code}/forward", {}, HTTP_IDEMPOTENCY_KEY="k")

    assert problem(early) == (409, "transition_not_allowed")  # not received yet
    assert state() == before
    ok(desk.post(f"/api/v1/dossiers/{code}/receive"))
    later = desk.post(f"/api/v1/dossiers/{code}/forward", {}, HTTP_IDEMPOTENCY_KEY="k")
    assert (later.status_code, "Idempotent-Replayed" in later) == (200, False)


def test_keys_belong_to_an_account_and_are_bounded(people, staff) -> None:
    code = ok(caller(people["citizen"]).post("/api/v1/dossiers", submission()), 201)["code"]
    desk = caller(people["desk"])
    before = state()
    too_long = desk.post(f"/api/v1/dossiers/{code}/receive", HTTP_IDEMPOTENCY_KEY="k" * 81)
    assert problem(too_long) == (400, "idempotency_key_too_long")
    assert state() == before
    ok(desk.post(f"/api/v1/dossiers/{code}/receive", HTTP_IDEMPOTENCY_KEY="same"))
    # Another account's "same" is its own key: the forward acts (and a replay for it would be its own).
    forwarded = caller(people["desk"]).post(f"/api/v1/dossiers/{code}/forward", {}, HTTP_IDEMPOTENCY_KEY="same2")
    assert forwarded.status_code == 200
    taken = caller(people["specialist"]).post(f"/api/v1/dossiers/{code}/take", HTTP_IDEMPOTENCY_KEY="same")
    assert (taken.status_code, "Idempotent-Replayed" in taken) == (200, False)
    assert ActionKey.objects.count() == 3
