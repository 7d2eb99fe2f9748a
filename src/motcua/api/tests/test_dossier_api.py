import base64

import pytest
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier, DossierDocument
from tests.factories import row_counts
from tests.intake import PDF, birth_documents
from tests.openapi import assert_matches_spec

pytestmark = pytest.mark.usefixtures("monday_morning")

ENCODED = base64.b64encode(PDF).decode()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submission() -> dict:
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


def test_submission_is_idempotent_with_a_key(people) -> None:
    api = client_for(people["citizen"])
    first = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"] == "H99.101-260309-0001"
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == (1, 2)
    body = first.json()
    assert (body["status"], body["national_status"], body["applicant_id_number"]) == ("submitted", 1, "*********234")
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert_matches_spec(first, "/api/v1/dossiers", "post")


def test_desk_receives_then_the_citizen_sees_the_due_time(people) -> None:
    code = client_for(people["citizen"]).post("/api/v1/dossiers", submission(), format="json").json()["code"]
    received = client_for(people["desk"]).post(f"/api/v1/dossiers/{code}/receive")
    assert (received.status_code, received.json()["national_status"]) == (200, 2)
    mine = client_for(people["citizen"]).get(f"/api/v1/dossiers/{code}")
    assert mine.json()["due_at"] == "2026-03-10T09:00:00+07:00"
    assert_matches_spec(mine, "/api/v1/dossiers/{code}")


def test_second_supplement_request_is_a_stable_error_and_changes_nothing(people) -> None:
    code = client_for(people["citizen"]).post("/api/v1/dossiers", submission(), format="json").json()["code"]
    desk = client_for(people["desk"])
    desk.post(f"/api/v1/dossiers/{code}/receive")
    assert (
        desk.post(f"/api/v1/dossiers/{code}/request-supplement", {"missing": ["Bản chính"]}, format="json").status_code
        == 200
    )
    supplement = {"documents": [{"name": "bo-sung.pdf", "content_base64": ENCODED}]}
    assert (
        client_for(people["citizen"])
        .post(f"/api/v1/dossiers/{code}/submit-supplement", supplement, format="json")
        .status_code
        == 200
    )
    before = row_counts(), Dossier.objects.get(code=code).events.count()

    response = desk.post(f"/api/v1/dossiers/{code}/request-supplement", {"missing": ["Khác"]}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "supplement_only_once")
    assert response["Content-Type"] == "application/problem+json"
    assert (row_counts(), Dossier.objects.get(code=code).events.count()) == before


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda b: b["documents"][0].update(content_base64="not base64!"), "validation_failed"),
        (lambda b: b["documents"][0].update(content_base64=base64.b64encode(b"GIF89a....").decode()), "file_type"),
        (lambda b: b["form_data"].pop("ho_ten_tre"), "form_invalid"),
        (lambda b: b["form_data"].update(ngay_sinh="2999-01-01"), "form_invalid"),
        (lambda b: b["form_data"].update(ngay_sinh="1899-12-31"), "form_invalid"),
        (lambda b: b["form_data"].update(ho_ten_tre="A" * 501), "text_too_long"),
        (lambda b: b.update(procedure_code="1.00119"), "validation_failed"),
        (lambda b: b.update(agency_code="H99.01"), "procedure_not_offered"),
    ],
)
def test_bad_submissions_are_problems_and_change_nothing(people, change, code) -> None:
    body = submission()
    change(body)
    before = row_counts(), Dossier.objects.count(), DossierDocument.objects.count()
    response = client_for(people["citizen"]).post("/api/v1/dossiers", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert (row_counts(), Dossier.objects.count(), DossierDocument.objects.count()) == before


def test_dossiers_are_scoped(people) -> None:
    code = client_for(people["citizen"]).post("/api/v1/dossiers", submission(), format="json").json()["code"]
    assert client_for(people["other_desk"]).get(f"/api/v1/dossiers/{code}").status_code == 404
    assert client_for(people["other_desk"]).post(f"/api/v1/dossiers/{code}/receive").status_code == 404
    assert [d["code"] for d in client_for(people["desk"]).get("/api/v1/dossiers").json()["results"]] == [code]
    assert client_for(people["other_desk"]).get("/api/v1/dossiers").json()["results"] == []
    assert APIClient().get(f"/api/v1/dossiers/{code}").json()["code"] == "not_authenticated"


def test_receive_on_a_refused_dossier_is_refused(people) -> None:
    code = client_for(people["citizen"]).post("/api/v1/dossiers", submission(), format="json").json()["code"]
    desk = client_for(people["desk"])
    assert desk.post(f"/api/v1/dossiers/{code}/refuse", {"reason": ""}, format="json").json()["code"] == (
        "note_required"
    )
    desk.post(f"/api/v1/dossiers/{code}/refuse", {"reason": "Sai thẩm quyền"}, format="json")
    response = desk.post(f"/api/v1/dossiers/{code}/receive")
    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")
    assert Dossier.objects.get(code=code).national_status == 3


def test_the_e_form_checks_are_the_same_on_the_api_path(people) -> None:
    body = submission()
    body["form_data"].update(ngay_sinh="2999-01-01", ho_ten_tre="A" * 501)
    before = row_counts(), Dossier.objects.count()

    response = client_for(people["citizen"]).post("/api/v1/dossiers", body, format="json", HTTP_ACCEPT_LANGUAGE="vi")

    assert (response.status_code, response.json()["code"]) == (400, "form_invalid")
    assert response.json()["errors"] == {
        "ho_ten_tre": ["Nhập tối đa 500 ký tự."],
        "ngay_sinh": ["Ngày sinh không thể ở tương lai."],
    }
    assert (row_counts(), Dossier.objects.count()) == before
