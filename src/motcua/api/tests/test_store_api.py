"""The caller's data store over the API: list (cursor pages), one document, its file, share and revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.core.models import AuditEntry
from motcua.documents.models import DigitizedDocument, ShareLink
from motcua.documents.services import share_token_digest
from tests.factories import make_citizen
from tests.intake import HCM
from tests.openapi import assert_matches_spec
from tests.processing import received_birth_dossier

pytestmark = pytest.mark.usefixtures("monday_morning")

BASE = "/api/v1/me/documents"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def stored(people: dict[str, Any]) -> list[DigitizedDocument]:
    received_birth_dossier(people)
    received_birth_dossier(people)
    return list(DigitizedDocument.objects.order_by("-digitized_at", "-id"))


def test_the_owner_lists_their_documents_newest_first_in_cursor_pages(people, stored) -> None:
    api = client_for(people["citizen"])
    first = api.get(BASE, {"page_size": 3})
    assert first.status_code == 200
    assert_matches_spec(first, "/api/v1/me/documents")
    body = first.json()
    assert [row["code"] for row in body["results"]] == [d.code for d in stored[:3]]
    assert body["previous"] is None and "cursor=" in body["next"]
    second = api.get(body["next"]).json()
    assert [row["code"] for row in second["results"]] == [stored[3].code]
    row = body["results"][0]
    assert (row["origin"], row["expired"], row["valid_until"], row["content_type"]) == (
        "component",
        False,
        "2026-09-09",
        "application/pdf",
    )


def test_others_see_an_empty_store_and_no_document(people, stored, province) -> None:
    other = client_for(make_citizen())
    assert other.get(BASE).json()["results"] == []
    code = stored[0].code
    for path in (f"{BASE}/{code}", f"{BASE}/{code}/file"):
        response = other.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "document_not_in_store")
    desk = client_for(people["desk"])  # staff read a store through a dossier, in the back office
    assert desk.get(BASE).json()["results"] == []
    assert desk.get(f"{BASE}/{code}").status_code == 404
    assert APIClient().get(BASE).status_code == 403


def test_one_document_and_its_file(people, stored) -> None:
    api = client_for(people["citizen"])
    document = stored[0]
    detail = api.get(f"{BASE}/{document.code}")
    assert detail.status_code == 200
    assert_matches_spec(detail, "/api/v1/me/documents/{code}")
    assert (detail.json()["code"], detail.json()["sha256"]) == (document.code, document.sha256)
    download = api.get(f"{BASE}/{document.code}/file", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{document.code}.pdf"'
    assert b"".join(download.streaming_content) == document.file.read()


def test_share_then_revoke(people, stored, monday_morning) -> None:
    api = client_for(people["citizen"])
    code = stored[0].code
    made = api.post(f"{BASE}/{code}/shares", {"duration": "1d"}, format="json")
    assert made.status_code == 201
    assert_matches_spec(made, "/api/v1/me/documents/{code}/shares", "post")
    body = made.json()
    token = body["url"].rsplit("/chia-se/", 1)[1].strip("/")
    link = ShareLink.objects.get(pk=body["id"])
    assert link.token_digest == share_token_digest(token)
    assert (body["document"], body["expires_at"], body["revoked_at"]) == (code, "2026-03-10T09:00:00+07:00", None)
    assert APIClient().get(f"/chia-se/{token}/").status_code == 200

    other = client_for(make_citizen())
    refused = other.post(f"/api/v1/me/shares/{link.pk}/revoke")
    assert (refused.status_code, refused.json()["code"]) == (404, "share_link_not_found")
    revoked = api.post(f"/api/v1/me/shares/{link.pk}/revoke")
    assert revoked.status_code == 200
    assert_matches_spec(revoked, "/api/v1/me/shares/{link_id}/revoke", "post")
    assert revoked.json()["revoked_at"] == "2026-03-09T09:00:00+07:00"
    assert APIClient().get(f"/chia-se/{token}/").status_code == 410
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="share_link").order_by("id")] == [
        "share_link_create",
        "share_link_revoke",
    ]
    assert datetime(2026, 3, 9, 9, 0, tzinfo=HCM) == link.created_at


def test_a_refused_share_changes_nothing(people, stored) -> None:
    api = client_for(people["citizen"])
    bad = api.post(f"{BASE}/{stored[0].code}/shares", {"duration": "30d"}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "validation_failed")
    missing = api.post(f"{BASE}/NOPE.01/shares", {"duration": "1h"}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (404, "document_not_in_store")
    assert not ShareLink.objects.exists()
    assert not AuditEntry.objects.filter(action="share_link_create").exists()
