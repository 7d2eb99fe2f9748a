"""The Idempotency-Key of dossier submission: one key, one body, one dossier (the service decides)."""

from __future__ import annotations

import base64

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from motcua.dossiers.models import Dossier
from tests.factories import row_counts
from tests.intake import PDF, birth_documents

pytestmark = pytest.mark.usefixtures("monday_morning")

ENCODED = base64.b64encode(PDF).decode()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submission(name: str = "Nguyễn Văn An") -> dict:
    docs = birth_documents()
    return {
        "procedure_code": "1.001193",
        "agency_code": "H99.101",
        "form_data": {"ho_ten_tre": name, "ngay_sinh": "2026-03-01"},
        "documents": [
            {"name": "to-khai.pdf", "required_document": docs[0].pk, "content_base64": ENCODED},
            {"name": "chung-sinh.pdf", "required_document": docs[1].pk, "content_base64": ENCODED},
        ],
    }


def state() -> tuple:
    try:
        files = len(default_storage.listdir("dossiers")[0])
    except FileNotFoundError:
        files = 0
    return row_counts(), files


def test_the_same_key_with_another_body_is_a_conflict(people) -> None:
    api = client_for(people["citizen"])
    first = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    before = state()
    other = api.post("/api/v1/dossiers", submission("Trần Thị Bình"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, other.status_code, other["Content-Type"]) == (201, 409, "application/problem+json")
    assert other.json()["code"] == "idempotency_key_reused"
    assert state() == before
    again = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (again.status_code, again.json()["code"]) == (200, first.json()["code"])


def test_a_key_longer_than_80_characters_is_refused_not_cut(people) -> None:
    api = client_for(people["citizen"])
    shared = "k" * 80
    before = state()
    first = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY=shared + "A" * 20)
    second = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY=shared + "B" * 20)

    assert [(r.status_code, r.json()["code"]) for r in (first, second)] == [(400, "idempotency_key_too_long")] * 2
    assert state() == before
    exactly = api.post("/api/v1/dossiers", submission(), format="json", HTTP_IDEMPOTENCY_KEY=shared)
    assert exactly.status_code == 201
    assert Dossier.objects.get().idempotency_key == f"{people['citizen'].pk}:{shared}"
