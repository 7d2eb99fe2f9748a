"""Verified identity: an account registered online is not its holder's until a desk checked the card."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.models import AuditEntry
from motcua.identity.constants import AccountKind, Role
from motcua.identity.exceptions import ApplicantUnverified
from motcua.identity.models import User
from motcua.identity.services import ApplicantData, applicant_create_at_desk, applicant_register, applicant_verify
from motcua.workflow.services import dossier_receive_at_desk
from tests.factories import make_staff, row_counts
from tests.intake import birth_application

SQUAT = ApplicantData(full_name="Kẻ Mạo Danh", personal_id="042190009999", phone="0987000111")


@pytest.fixture
def squatter(db):
    """Someone registers online with a number that is not theirs, and their own name and phone."""
    return applicant_register(data=SQUAT, kind=AccountKind.CITIZEN, password="mật-khẩu-dài-2026")


def test_an_account_registered_online_is_unverified_and_the_desk_search_says_so(client, people, squatter) -> None:
    assert squatter.identity_verified_at is None
    client.force_login(people["desk"])
    page = client.get(reverse("backoffice:walk-in"), {"q": "042190009999"})
    body = page.content.decode()
    assert page.context["found"] == [squatter]
    assert "Chưa xác thực" in body
    assert reverse("backoffice:applicant-verify", args=[squatter.pk]) in body
    assert reverse("backoffice:walk-in-dossier", args=[squatter.pk]) not in body


def test_a_verified_account_shows_verified_and_leads_to_the_dossier(client, people) -> None:
    client.force_login(people["desk"])
    body = client.get(reverse("backoffice:walk-in"), {"q": "042190001234"}).content.decode()
    assert "Đã xác thực" in body and "Chưa xác thực" not in body
    assert reverse("backoffice:walk-in-dossier", args=[people["citizen"].pk]) in body


def test_a_walk_in_dossier_is_never_attached_to_an_unverified_account(people, squatter, monday_morning) -> None:
    before = row_counts()
    with pytest.raises(ApplicantUnverified) as caught:
        dossier_receive_at_desk(
            officer=people["desk"],
            applicant=squatter,
            desk_code="H99.101.MC",
            application=birth_application(),
            originals_seen=[],
        )
    assert (caught.value.code, caught.value.status) == ("applicant_unverified", 409)
    assert row_counts() == before


def test_the_walk_in_page_sends_the_officer_to_the_card_check_first(client, people, squatter) -> None:
    client.force_login(people["desk"])
    response = client.get(reverse("backoffice:walk-in-dossier", args=[squatter.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:applicant-verify", args=[squatter.pk])


def test_the_officer_verifies_against_the_card(client, people, squatter, monday_morning) -> None:
    client.force_login(people["desk"])
    url = reverse("backoffice:applicant-verify", args=[squatter.pk])
    assert "Kẻ Mạo Danh" in client.get(url).content.decode()

    before = row_counts()
    wrong = client.post(url, {"card_number": "042190001234", "confirm": "on"})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors == {"card_number": ["Số trên thẻ không phải là số của tài khoản này."]}
    unconfirmed = client.post(url, {"card_number": "042190009999"})
    assert unconfirmed.status_code == 400
    assert row_counts() == before
    assert User.objects.get(pk=squatter.pk).identity_verified_at is None

    done = client.post(url, {"card_number": "042190009999", "confirm": "on"})
    assert done["Location"] == reverse("backoffice:walk-in-dossier", args=[squatter.pk])
    account = User.objects.get(pk=squatter.pk)
    assert (account.identity_verified_at, account.identity_verified_by, account.identity_verification_method) == (
        datetime(2026, 3, 9, 2, 0, tzinfo=UTC),  # Monday 09:00 in Hà Nội
        people["desk"],
        "desk",
    )
    entry = AuditEntry.objects.get(action="applicant_verify")
    assert (entry.actor, entry.object_id) == (people["desk"], str(squatter.pk))


def test_only_a_desk_officer_verifies(people, squatter) -> None:
    before = row_counts()
    with pytest.raises(PermissionDenied):
        applicant_verify(actor=people["specialist"], user=squatter, card_number="042190009999")
    with pytest.raises(ValidationFailed) as caught:
        applicant_verify(actor=people["desk"], user=squatter, card_number=" 04219000999 ")
    assert caught.value.code == "card_mismatch"
    assert row_counts() == before


def test_an_account_opened_at_the_desk_is_verified_by_that_officer(province) -> None:
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    user, _password = applicant_create_at_desk(actor=officer, data=SQUAT)
    user.refresh_from_db()
    assert (user.identity_verified_by, user.identity_verification_method) == (officer, "desk")
    assert user.identity_verified_at is not None
