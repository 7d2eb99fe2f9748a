"""One account per phone (issue 12): the phone is a login name, normalised as login reads it."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from motcua.core.exceptions import ValidationFailed
from motcua.identity.constants import AccountKind, Role
from motcua.identity.exceptions import RegistrationRefused
from motcua.identity.models import User
from motcua.identity.selectors import find_applicants
from motcua.identity.services import (
    ApplicantData,
    _save_account,
    account_contact_update,
    applicant_create_at_desk,
    applicant_register,
)
from tests.factories import PASSWORD, make_citizen, make_staff, row_counts

_phone_keys = importlib.import_module("motcua.identity.migrations.0002_user_phone_key")
TAKEN_VI = "Số điện thoại này đã thuộc về một tài khoản khác."


def _data(personal_id: str, phone: str) -> ApplicantData:
    return ApplicantData(full_name="Trần Văn Bình", personal_id=personal_id, phone=phone)


@pytest.mark.django_db
def test_the_normalised_phone_is_stored_in_its_own_column() -> None:
    user = applicant_register(
        data=_data("042190001234", "0912 345.678"), kind=AccountKind.CITIZEN, password="mk-dai-2026x"
    )
    assert User.objects.filter(pk=user.pk).values_list("phone", "phone_key").get() == ("0912345678", "0912345678")
    staff = User.objects.create_user(username="canbo", password=PASSWORD, full_name="Cán bộ")
    assert staff.phone_key is None  # no phone: no key, and any number of accounts may have none


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "0912-345-678", "(0912) 345.678"])
def test_registration_refuses_a_phone_of_another_account_however_it_is_typed(typed) -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    before = row_counts()
    # Online, the refusal does not say that the phone is taken (identity.exceptions.RegistrationRefused).
    with pytest.raises(RegistrationRefused):
        applicant_register(data=_data("042190001234", typed), kind=AccountKind.CITIZEN, password="mk-dai-2026x")
    assert row_counts() == before


def test_the_desk_cannot_open_an_account_with_a_taken_phone(province) -> None:
    desk = make_staff(Role.DESK_OFFICER, province["commune_a"])
    owner = make_citizen(personal_id="001190000001", phone="0912345678")
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught:
        applicant_create_at_desk(actor=desk, data=_data("042190001234", "0912 345 678"))
    assert list(caught.value.details) == ["phone"]
    assert row_counts() == before
    # Login by phone keeps working for the one owner.
    assert authenticate(username="0912.345.678", password=PASSWORD) == owner


def test_the_desk_form_shows_the_refusal_in_vietnamese(client, province) -> None:
    desk = make_staff(Role.DESK_OFFICER, province["commune_a"])
    make_citizen(personal_id="001190000001", phone="0912345678")
    client.force_login(desk)
    before = row_counts()
    response = client.post(
        reverse("backoffice:applicant-create"),
        {"kind": "citizen", "full_name": "Trần Văn Bình", "personal_id": "042190001234", "phone": "0912 345 678"},
    )
    assert response.status_code == 400
    assert TAKEN_VI in response.content.decode()
    assert row_counts() == before


@pytest.mark.django_db
def test_registration_page_refuses_a_taken_phone_in_vietnamese(client) -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    before = row_counts()
    response = client.post(
        reverse("identity:register"),
        {
            "kind": "citizen",
            "full_name": "Lê Văn Tám",
            "personal_id": "042190001234",
            "phone": "0912-345-678",
            "password1": "mật-khẩu-dài-2026",
            "password2": "mật-khẩu-dài-2026",
        },
    )
    assert response.status_code == 400
    assert "Không thể mở tài khoản trực tuyến với các thông tin này." in response.content.decode()  # nor says why
    assert row_counts() == before


@pytest.mark.django_db
def test_a_citizen_changes_their_phone_but_not_to_another_accounts() -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    me = make_citizen(personal_id="042190001234", phone="0987654321")
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught:
        account_contact_update(actor=me, phone="0912 345 678", email="", address="")
    assert list(caught.value.details) == ["phone"]
    assert row_counts() == before
    me.refresh_from_db()
    assert (me.phone, me.phone_key) == ("0987654321", "0987654321")
    # Keeping one's own number, or a new free one, is fine.
    account_contact_update(actor=me, phone="0987 654 321", email="b@example.vn", address="Thôn 1")
    updated = account_contact_update(actor=me, phone="0977.000.111", email="b@example.vn", address="Thôn 1")
    me.refresh_from_db()
    assert (me.phone, me.phone_key, me.email, me.address) == ("0977000111", "0977000111", "b@example.vn", "Thôn 1")
    assert updated == me
    assert authenticate(username="0977000111", password=PASSWORD) == me


@pytest.mark.django_db
def test_the_account_page_refuses_a_taken_phone_in_vietnamese(client) -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    me = make_citizen(personal_id="042190001234", phone="0987654321")
    client.force_login(me)
    before = row_counts()
    response = client.post(reverse("identity:account"), {"phone": "0912345678", "email": "", "address": ""})
    assert response.status_code == 400
    assert TAKEN_VI in response.content.decode()
    assert row_counts() == before
    response = client.post(reverse("identity:account"), {"phone": "0911222333", "email": "", "address": "Xã A"})
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.phone, me.address) == ("0911222333", "Xã A")


@pytest.mark.django_db
def test_admin_edits_are_checked_too() -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    other = make_citizen(personal_id="042190001234", phone="0987654321")
    other.phone = "0912 345 678"
    with pytest.raises(ValidationError) as caught:
        other.clean()
    assert list(caught.value.message_dict) == ["phone"]


@pytest.mark.django_db
def test_the_walk_in_search_finds_a_phone_however_it_is_typed(province) -> None:
    desk = make_staff(Role.DESK_OFFICER, province["commune_a"])
    owner = make_citizen(personal_id="001190000001", phone="0912345678")
    assert list(find_applicants(actor=desk, query="0912 345 678")) == [owner]


@pytest.mark.django_db
def test_existing_duplicates_stop_the_migration_and_change_nothing() -> None:
    first = make_citizen(personal_id="001190000001", phone="0912345678")
    second = make_citizen(personal_id="001190000002", phone="0987654321")
    # Data from before the unique key: the same phone written two ways, keys not yet filled.
    User.objects.filter(pk=second.pk).update(phone="0912.345.678", phone_key=None)
    User.objects.filter(pk=first.pk).update(phone_key=None)
    before = list(User.objects.order_by("pk").values_list("pk", "phone", "phone_key"))
    with pytest.raises(RuntimeError) as caught:
        _phone_keys.fill_phone_keys(apps, None)
    assert str(caught.value) == (
        "Several accounts share a phone number, so logging in by phone cannot work for them. "
        "Give each of these accounts its own phone (or clear it) and migrate again:\n"
        "  ...678: 001190000001, 001190000002"
    )
    assert list(User.objects.order_by("pk").values_list("pk", "phone", "phone_key")) == before


@pytest.mark.django_db
def test_the_migration_fills_the_keys_when_phones_are_distinct() -> None:
    first = make_citizen(personal_id="001190000001", phone="0912345678")
    User.objects.filter(pk=first.pk).update(phone="0912 345 678", phone_key=None)
    _phone_keys.fill_phone_keys(apps, None)
    assert User.objects.get(pk=first.pk).phone_key == "0912345678"


@pytest.mark.django_db
def test_a_phone_taken_between_the_check_and_the_save_is_the_same_field_error() -> None:
    make_citizen(personal_id="001190000001", phone="0912345678")
    late = User(username="042190001234", kind=AccountKind.CITIZEN, full_name="B", phone="0912.345.678")
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        _save_account(late)  # the unique key refuses it; the service turns that into the phone's message
    assert list(caught.value.details) == ["phone"]
    assert row_counts() == before
