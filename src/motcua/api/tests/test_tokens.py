"""API tokens: made from a verified session, expiring, rotated and revoked by their owner or an administrator."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from motcua.core.exceptions import NotFound
from motcua.identity.constants import Role
from motcua.identity.models import ApiToken
from motcua.identity.tokens import api_token_revoke
from tests.factories import PASSWORD, make_citizen, make_staff
from tests.second_factor import sign_in_through_the_forms

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 9, 2, 0, 15, tzinfo=UTC)
STAFF_LIST = "/api/v1/staff/dossiers?unit=H99.101"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(province):
    return make_staff(Role.DESK_OFFICER, province["commune_a"])


@pytest.fixture
def session(officer, clock):
    client = APIClient(enforce_csrf_checks=False)
    sign_in_through_the_forms(client, officer, PASSWORD)
    return client


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def create(client: APIClient, name: str = "đồng bộ") -> dict:
    response = client.post("/api/v1/tokens", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def refused(response, code: str) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == code


def test_a_verified_session_makes_a_key_that_works_and_is_stored_as_a_digest(session, officer, clock) -> None:
    made = create(session)
    key = made["key"]
    assert key.startswith("mc_") and len(key) == 46
    assert (made["name"], made["prefix"], made["active"]) == ("đồng bộ", key[:10], True)
    assert made["expires_at"] == "2026-06-07T09:00:15+07:00"  # 90 days
    token = ApiToken.objects.get()
    assert token.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert not ApiToken.objects.filter(prefix=key).exists()
    assert with_key(key).get(STAFF_LIST).status_code == 200
    listed = session.get("/api/v1/tokens")
    assert [t["prefix"] for t in listed.json()] == [key[:10]]
    assert "key" not in listed.json()[0]


def test_a_key_cannot_make_another_key(session) -> None:
    key = create(session)["key"]
    response = with_key(key).post("/api/v1/tokens", {"name": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "session_required")
    assert ApiToken.objects.count() == 1


def test_an_expired_key_is_refused(session, clock) -> None:
    key = create(session)["key"]
    clock.shift(timedelta(days=90) - timedelta(seconds=1))
    assert with_key(key).get(STAFF_LIST).status_code == 200
    clock.shift(2)
    refused(with_key(key).get(STAFF_LIST), "token_expired")


def test_a_revoked_key_is_refused(session) -> None:
    made = create(session)
    assert session.delete(f"/api/v1/tokens/{made['id']}").status_code == 204
    refused(with_key(made["key"]).get(STAFF_LIST), "token_revoked")
    assert session.get("/api/v1/tokens").json()[0]["active"] is False


def test_rotation_gives_a_new_key_and_kills_the_old(session, officer, clock) -> None:
    old = create(session)
    clock.shift(timedelta(days=30))
    sign_in_through_the_forms(session, officer, PASSWORD)  # the staff session of that day ended long ago
    rotated = session.post(f"/api/v1/tokens/{old['id']}/rotate")
    assert rotated.status_code == 201, rotated.content
    new = rotated.json()
    assert new["key"] != old["key"]
    assert (new["name"], new["expires_at"]) == ("đồng bộ", "2026-07-07T09:00:15+07:00")
    assert with_key(new["key"]).get(STAFF_LIST).status_code == 200
    refused(with_key(old["key"]).get(STAFF_LIST), "token_revoked")
    again = session.post(f"/api/v1/tokens/{old['id']}/rotate")
    assert (again.status_code, again.json()["code"]) == (400, "token_revoked")
    assert ApiToken.objects.count() == 2


def test_an_unknown_key_is_refused() -> None:
    refused(with_key("mc_not-a-key").get(STAFF_LIST), "token_invalid")


def test_owners_reach_only_their_own_keys_and_administrators_revoke_any(session, province, officer) -> None:
    made = create(session)
    token = ApiToken.objects.get(pk=made["id"])
    stranger = make_citizen()
    with pytest.raises(NotFound):
        api_token_revoke(actor=stranger, token=token)
    other = APIClient()
    other.force_login(stranger)
    assert other.delete(f"/api/v1/tokens/{made['id']}").status_code == 404
    assert ApiToken.objects.get(pk=made["id"]).revoked_at is None
    admin = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    assert api_token_revoke(actor=admin, token=token).revoked_by == admin
    refused(with_key(made["key"]).get(STAFF_LIST), "token_revoked")


def test_the_account_page_makes_rotates_and_revokes_keys(session, officer) -> None:
    page = session.post("/tai-khoan/ma-truy-cap-api/", {"action": "create", "name": "Cổng tỉnh"})
    key = re.search(r'<code id="new-key-value">([^<]+)</code>', page.content.decode()).group(1)
    token = ApiToken.objects.get(user=officer)
    assert (page.status_code, token.name, token.key_digest) == (
        200,
        "Cổng tỉnh",
        hashlib.sha256(key.encode()).hexdigest(),
    )
    rotated = session.post("/tai-khoan/ma-truy-cap-api/", {"action": "rotate", "token": token.pk})
    new_key = re.search(r'<code id="new-key-value">([^<]+)</code>', rotated.content.decode()).group(1)
    refused(with_key(key).get(STAFF_LIST), "token_revoked")
    assert with_key(new_key).get(STAFF_LIST).status_code == 200
    new = ApiToken.objects.get(revoked_at__isnull=True)
    assert session.post("/tai-khoan/ma-truy-cap-api/", {"action": "revoke", "token": new.pk}).status_code == 302
    refused(with_key(new_key).get(STAFF_LIST), "token_revoked")
    assert session.get("/tai-khoan/").status_code == 200


def test_administrators_revoke_keys_and_reset_second_factors_in_the_admin(session, officer, province) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = create(session)["key"]
    admin = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    admin.is_superuser = True  # as the demo's administrator: Django's model permissions are all granted
    admin.save()
    client = APIClient()
    client.force_login(admin)
    token = ApiToken.objects.get(user=officer)
    response = client.post(
        "/quan-tri/identity/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, format="multipart"
    )
    assert response.status_code == 302
    refused(with_key(key).get(STAFF_LIST), "token_revoked")
    assert ApiToken.objects.get(pk=token.pk).revoked_by == admin
    client.post(
        "/quan-tri/identity/user/",
        {"action": "reset_second_factor", "_selected_action": [officer.pk]},
        format="multipart",
    )
    assert TOTPDevice.objects.filter(user=officer).count() == 0
