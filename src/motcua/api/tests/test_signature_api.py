"""POST /api/v1/signatures/verify: anyone may check the signatures of a PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.signing.provider import signer_for
from motcua.signing.tests.pdfs import COMMUNE, LEADER, LEADER_NAME, leader_certificate, result_pdf, with_page_text
from tests.openapi import assert_matches_spec

pytestmark = pytest.mark.django_db

URL = "/api/v1/signatures/verify"
PATH = "/api/v1/signatures/verify"


@pytest.fixture
def signing_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    return settings.MOTCUA_SIGNING_DIR


@pytest.fixture
def signed(signing_dir: Path, monday_morning: Any) -> bytes:
    leader_certificate(signing_dir)
    return signer_for(LEADER).sign(result_pdf(), reason="Phê duyệt kết quả", location="Hòa Bình")


def post(data: bytes | None, language: str = "en") -> Any:
    body = {} if data is None else {"file": SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")}
    return APIClient(HTTP_ACCEPT_LANGUAGE=language).post(URL, body, format="multipart")


def test_a_signed_pdf_gets_its_report(signed: bytes) -> None:
    response = post(signed)

    assert response.status_code == 200
    assert response.json() == {
        "signed": True,
        "all_valid": True,
        "signatures": [
            {
                "field_name": "Signature1",
                "signer_name": LEADER_NAME,
                "signer_organisation": COMMUNE,
                "signer_subject": f"CN={LEADER_NAME},O={COMMUNE},C=VN",
                "issuer_name": "motcua Demo CA (không dùng cho giao dịch thật)",
                "signed_at": "2026-03-09T09:00:00+07:00",
                "intact": True,
                "trusted": True,
                "valid": True,
                "summary": f"Valid signature of {LEADER_NAME}; the document has not been changed since it was signed.",
            }
        ],
    }
    assert_matches_spec(response, PATH, "post")


def test_the_summary_follows_the_request_language(signed: bytes) -> None:
    summary = post(with_page_text(signed), language="vi").json()["signatures"][0]["summary"]

    assert summary == "Văn bản đã bị thay đổi sau khi ký hoặc chữ ký bị hỏng."


def test_an_unsigned_pdf_has_an_empty_list(signing_dir: Path) -> None:
    response = post(result_pdf())

    assert (response.status_code, response.json()) == (200, {"signed": False, "all_valid": False, "signatures": []})
    assert_matches_spec(response, PATH, "post")


@pytest.mark.parametrize("data", [b"GIF89a not a pdf", b"%PDF-1.7 broken"])
def test_not_a_pdf_is_a_problem(signing_dir: Path, data: bytes) -> None:
    response = post(data)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://motcua.example/problems/not_a_pdf",
        "title": "The file is not a PDF document.",
        "status": 400,
        "code": "not_a_pdf",
    }
    assert_matches_spec(response, PATH, "post")


def test_a_missing_file_is_a_validation_problem(signing_dir: Path) -> None:
    response = post(None)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["errors"]) == (
        "validation_failed",
        {"file": ["No file was submitted."]},
    )
    assert_matches_spec(response, PATH, "post")


def test_a_file_over_the_limit_is_a_validation_problem(monkeypatch: Any, signed: bytes) -> None:
    monkeypatch.setattr("motcua.api.signature_views.VERIFY_MAX_BYTES", len(signed) - 1)

    response = post(signed)

    assert (response.status_code, response.json()["errors"]) == (400, {"file": ["The file is larger than 20 MB."]})


def test_a_signed_in_browser_needs_no_csrf_token(signed: bytes, django_user_model: Any) -> None:
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(django_user_model.objects.create_user(username="nguoi.dan", password="x-12345678"))

    response = client.post(URL, {"file": SimpleUploadedFile("k.pdf", signed)}, format="multipart")

    assert response.status_code == 200
