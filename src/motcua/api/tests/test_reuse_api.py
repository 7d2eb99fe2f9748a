"""Reuse through the API (issue 14 §3): the caller's proposals for a procedure, and a submission that takes
documents from the store with the documents app's problem codes."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.documents.services import store_for
from motcua.dossiers.models import Dossier
from tests.factories import row_counts
from tests.intake import PDF
from tests.openapi import assert_matches_spec
from tests.reuse import RE_REGISTRATION, first_dossier, reuse_catalog, specs

PROPOSALS = f"/api/v1/procedures/{RE_REGISTRATION}/reuse-proposals"


@pytest.fixture
def store(people: dict[str, Any], monday_morning: Any) -> dict[str, DigitizedDocument]:
    reuse_catalog()
    first_dossier(people)
    owner = people["citizen"].personal_id
    return {d.type_code: d for d in DigitizedDocument.objects.filter(store__owner_id_number=owner)}


def client_for(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def state() -> dict[str, int]:
    return {**row_counts(), "reuses": DocumentReuse.objects.count(), "stored": DigitizedDocument.objects.count()}


def body(reused: list[dict[str, Any]]) -> dict[str, Any]:
    docs = specs(RE_REGISTRATION)
    return {
        "procedure_code": RE_REGISTRATION,
        "agency_code": "H99.101",
        "form_data": {"ly_do": "Mất sổ đăng ký"},
        "documents": [
            {
                "name": "to-khai.pdf",
                "required_document": docs["TK"].pk,
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
        "reused": reused,
    }


def both(store: dict[str, DigitizedDocument]) -> list[dict[str, Any]]:
    docs = specs(RE_REGISTRATION)
    return [
        {"required_document": docs["GKS"].pk, "code": store["GKS"].code},
        {"required_document": docs["CCCD"].pk, "code": store["CCCD"].code},
    ]


def test_the_citizen_gets_the_proposals_of_their_own_store(people, store) -> None:
    response = client_for(people["citizen"]).get(PROPOSALS)
    assert response.status_code == 200
    assert_matches_spec(response, "/api/v1/procedures/{code}/reuse-proposals")
    docs = specs(RE_REGISTRATION)

    def stored(d: DigitizedDocument, valid_until: str | None) -> dict[str, Any]:
        return {
            "code": d.code,
            "name": d.name,
            "type_code": d.type_code,
            "origin": "component",
            "issuer": "",
            "issued_on": None,
            "valid_until": valid_until,
            "digitized_at": "2026-03-09T09:00:00+07:00",
        }

    assert response.json() == {
        "procedure": RE_REGISTRATION,
        "documents": [
            {
                "required_document": docs["GKS"].pk,
                "name": "Giấy khai sinh hoặc Trích lục khai sinh",
                "document_type_code": "GKS",
                "cases": [],
                "proposals": [stored(store["GKS"], None)],
            },
            {
                "required_document": docs["CCCD"].pk,
                "name": "Thẻ căn cước của người yêu cầu",
                "document_type_code": "CCCD",
                "cases": [],
                "proposals": [stored(store["CCCD"], "2026-09-09")],
            },
        ],
    }
    # The catalog names each required document by id, for documents[] and reused[].
    detail = client_for().get(f"/api/v1/procedures/{RE_REGISTRATION}").json()
    assert [d["id"] for d in detail["current"]["required_documents"]] == [
        docs["TK"].pk,
        docs["GKS"].pk,
        docs["CCCD"].pk,
    ]


@pytest.mark.parametrize(
    ("who", "url", "status", "code"),
    [
        ("anonymous", PROPOSALS, 403, "not_authenticated"),
        ("desk", PROPOSALS, 403, "permission_denied"),
        ("citizen", "/api/v1/procedures/9.999999/reuse-proposals", 404, "not_found"),
        ("citizen", PROPOSALS + "?agency=H99.01", 400, "procedure_not_offered"),
    ],
)
def test_refusals_are_problems_with_stable_codes(people, store, who, url, status, code) -> None:
    response = client_for(people.get(who)).get(url)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"] == "application/problem+json"


def test_another_citizen_gets_no_proposal(people, store) -> None:
    from tests.factories import make_citizen

    documents = client_for(make_citizen(personal_id="001203000999")).get(PROPOSALS).json()["documents"]
    assert [d["proposals"] for d in documents] == [[], []]


def test_a_submission_takes_both_documents_from_the_store(people, store) -> None:
    response = client_for(people["citizen"]).post("/api/v1/dossiers", body(both(store)), format="json")
    assert response.status_code == 201
    assert_matches_spec(response, "/api/v1/dossiers", "post")
    documents = [(d["name"], d["form"], d["reused_from"]) for d in response.json()["documents"]]
    assert documents == [
        ("Tờ khai đăng ký lại khai sinh", "electronic", ""),
        ("Giấy khai sinh hoặc Trích lục khai sinh", "electronic", store["GKS"].code),
        ("Thẻ căn cước của người yêu cầu", "electronic", store["CCCD"].code),
    ]
    again = client_for(people["citizen"]).get(f"/api/v1/dossiers/{response.json()['code']}")
    assert [d["reused_from"] for d in again.json()["documents"]] == ["", store["GKS"].code, store["CCCD"].code]


def test_an_expired_or_foreign_document_is_a_problem_and_nothing_is_created(people, store, monday_morning) -> None:
    docs = specs(RE_REGISTRATION)
    other = store_for(owner_id_number="001203000777", owner_name="Trần Thị B", owner_kind="person")
    foreign = DigitizedDocument.objects.create(
        store=other,
        code="001203000777.1.004859.GKS.01",
        origin="component",
        type_code="GKS",
        name="Giấy khai sinh",
        file=store["GKS"].file.name,
        sha256=store["GKS"].sha256,
        digitized_at=store["GKS"].digitized_at,
    )
    before = state()
    api = client_for(people["citizen"])
    refused = api.post(
        "/api/v1/dossiers",
        body([{"required_document": docs["GKS"].pk, "code": foreign.code}, both(store)[1]]),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (refused.status_code, refused.json()["code"]) == (404, "document_not_in_store")
    assert refused.json()["errors"] == {
        "documents": ["Giấy khai sinh hoặc Trích lục khai sinh: This document is not in the applicant's data store."]
    }
    monday_morning.move_to("2026-09-10 09:00 +07:00")
    expired = api.post("/api/v1/dossiers", body(both(store)), format="json")
    assert (expired.status_code, expired.json()["code"]) == (409, "document_expired")
    twice = api.post("/api/v1/dossiers", body([both(store)[0], both(store)[0]]), format="json")
    assert (twice.status_code, twice.json()["code"]) == (400, "validation_failed")
    assert state() == before
    assert Dossier.objects.filter(procedure__code=RE_REGISTRATION).count() == 0


def test_the_same_key_with_the_same_choice_is_one_dossier(people, store) -> None:
    api = client_for(people["citizen"])
    first = api.post("/api/v1/dossiers", body(both(store)), format="json", HTTP_IDEMPOTENCY_KEY="reuse-1")
    again = api.post("/api/v1/dossiers", body(both(store)), format="json", HTTP_IDEMPOTENCY_KEY="reuse-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert DocumentReuse.objects.count() == 2
    other = api.post("/api/v1/dossiers", body(both(store)[:1]), format="json", HTTP_IDEMPOTENCY_KEY="reuse-1")
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
