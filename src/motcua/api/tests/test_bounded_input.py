"""Bounded input on the API: every refusal is a 4xx problem+json with a stable code and changes nothing."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from tests.factories import row_counts
from tests.intake import PDF, birth_documents

pytestmark = pytest.mark.usefixtures("monday_morning")

ENCODED = base64.b64encode(PDF).decode()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submission(**form: object) -> dict:
    docs = birth_documents()
    return {
        "procedure_code": "1.001193",
        "agency_code": "H99.101",
        "form_data": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01", **form},
        "documents": [
            {"name": "to-khai.pdf", "required_document": docs[0].pk, "content_base64": ENCODED},
            {"name": "chung-sinh.pdf", "required_document": docs[1].pk, "content_base64": ENCODED},
        ],
    }


def stored_files() -> int:
    try:
        return len(default_storage.listdir("dossiers")[0])
    except FileNotFoundError:
        return 0


def refused(response, status: int, code: str) -> None:
    assert (response.status_code, response["Content-Type"]) == (status, "application/problem+json")
    assert response.json()["code"] == code


def post_raw(user, body: bytes, **headers: str):
    return client_for(user).post("/api/v1/dossiers", body, content_type="application/json", **headers)


def test_twenty_thousand_tiny_documents_are_refused_at_once(people) -> None:
    before = (row_counts(), stored_files())
    body = submission()
    body["documents"] = [{"name": f"{i}.pdf", "content_base64": "JVBERi0="} for i in range(20_000)]
    response = post_raw(people["citizen"], json.dumps(body).encode())
    refused(response, 400, "too_many_documents")
    assert (row_counts(), stored_files()) == before


def test_fifty_documents_are_the_limit(people) -> None:
    body = submission()
    body["documents"] += [{"name": f"{i}.pdf", "content_base64": ENCODED} for i in range(49)]
    refused(post_raw(people["citizen"], json.dumps(body).encode()), 400, "too_many_documents")
    body["documents"] = body["documents"][:50]
    assert post_raw(people["citizen"], json.dumps(body).encode()).status_code == 201


@pytest.mark.parametrize("depth", [21, 100_000])
def test_deeply_nested_json_is_refused(people, depth: int) -> None:
    before = row_counts()
    nested = "[" * depth + "]" * depth
    body = json.dumps(submission()).replace('"form_data": {', '"form_data": {"x": ' + nested + ", ", 1)
    response = post_raw(people["citizen"], body.encode())
    refused(response, 400, "json_too_deep")
    assert row_counts() == before


def test_nesting_within_the_limit_is_parsed(people) -> None:
    # 20 levels in all: the body, form_data, and 18 lists.
    body = json.dumps(submission()).replace('"form_data": {', '"form_data": {"x": ' + "[" * 18 + "]" * 18 + ", ", 1)
    response = post_raw(people["citizen"], body.encode())
    assert response.json().get("code") != "json_too_deep"


def test_a_body_larger_than_the_limit_is_413(people, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    before = row_counts()
    body = submission(ghi_chu="x" * 5000)
    response = post_raw(people["citizen"], json.dumps(body).encode())
    refused(response, 413, "request_too_large")
    assert row_counts() == before


def test_a_body_without_a_length_is_still_bounded(people, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4000
    body = json.dumps(submission(ghi_chu="x" * 5000)).encode()
    response = client_for(people["citizen"]).generic(
        "POST", "/api/v1/dossiers", body, content_type="application/json", CONTENT_LENGTH=""
    )
    assert response.status_code in (400, 413)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"ho_ten_tre": "Nguyễn\x00Văn An"}, "nul_character"),
        ({"ghi_chu_khac": "x\x00"}, "nul_character"),
        ({"ghi_chu_khac": {"sau": ["a\x00"]}}, "nul_character"),
        ({"khoa\x00": "x"}, "nul_character"),
        ({"ho_ten_tre": "x" * 501}, "text_too_long"),
        ({"ghi_chu_khac": "x" * 501}, "text_too_long"),
        ({"ghi_chu_khac": ["x" * 501]}, "text_too_long"),
    ],
)
def test_eform_text_is_bounded_and_has_no_nul(people, form: dict, code: str) -> None:
    before = (row_counts(), stored_files())
    response = client_for(people["citizen"]).post("/api/v1/dossiers", submission(**form), format="json")
    refused(response, 400, code)
    assert (row_counts(), stored_files()) == before


def test_nul_in_another_text_field_is_refused(people) -> None:
    body = submission()
    body["return_address"] = "12\x00 Lê Lợi"
    body["return_method"] = "post"
    refused(client_for(people["citizen"]).post("/api/v1/dossiers", body, format="json"), 400, "nul_character")


def _pdf_opening_javascript() -> bytes:
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (_pdf_opening_javascript(), "file_active_content"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "file_polyglot"),
    ],
    ids=["open action javascript", "pdf html polyglot"],
)
def test_a_dangerous_pdf_is_refused_and_nothing_is_stored(people, data: bytes, code: str) -> None:
    before = (row_counts(), stored_files())
    body = submission()
    body["documents"][1]["content_base64"] = base64.b64encode(data).decode()
    refused(client_for(people["citizen"]).post("/api/v1/dossiers", body, format="json"), 400, code)
    assert (row_counts(), stored_files()) == before
