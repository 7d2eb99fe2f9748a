import pytest
from django.contrib.auth import authenticate

from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.identity.constants import AccountKind, Role
from motcua.identity.exceptions import RegistrationRefused
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for, can_act_on
from motcua.identity.services import ApplicantData, applicant_create_at_desk, applicant_register
from tests.factories import make_staff, row_counts

LAN = ApplicantData(
    full_name="Nguyễn Thị Lan", personal_id="042190001234", phone="0912 345 678", email="lan@example.vn"
)


@pytest.mark.django_db
def test_citizen_registers_with_personal_id() -> None:
    user = applicant_register(data=LAN, kind=AccountKind.CITIZEN, password="mật-khẩu-dài-2026")
    assert (user.username, user.phone, user.kind) == ("042190001234", "0912345678", AccountKind.CITIZEN)
    assert authenticate(username="0912345678", password="mật-khẩu-dài-2026") == user
    assert authenticate(username="lan@example.vn", password="mật-khẩu-dài-2026") == user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "kind", "field"),
    [
        (
            ApplicantData(full_name="A", personal_id="04219000123", phone="0912345678"),
            AccountKind.CITIZEN,
            "personal_id",
        ),
        (ApplicantData(full_name="A", personal_id="042190001234", phone="12345"), AccountKind.CITIZEN, "phone"),
        (
            ApplicantData(full_name="Công ty A", tax_code="01012345", phone="0912345678"),
            AccountKind.ORGANISATION,
            "tax_code",
        ),
        (ApplicantData(full_name="", personal_id="042190001234", phone="0912345678"), AccountKind.CITIZEN, "full_name"),
    ],
)
def test_bad_registration_creates_nothing(data, kind, field) -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed) as caught:
        applicant_register(data=data, kind=kind, password="mật-khẩu-dài-2026")
    assert list(caught.value.details) == [field]
    assert row_counts() == before


@pytest.mark.django_db
def test_same_personal_id_twice_is_refused() -> None:
    applicant_register(data=LAN, kind=AccountKind.CITIZEN, password="mật-khẩu-dài-2026")
    before = row_counts()
    with pytest.raises(RegistrationRefused):  # one message whether the number or the phone is taken
        applicant_register(data=LAN, kind=AccountKind.CITIZEN, password="khác-hẳn-2026")
    assert row_counts() == before


def test_desk_officer_opens_an_account_with_a_one_time_password(province) -> None:
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    user, password = applicant_create_at_desk(actor=officer, data=LAN)
    assert (user.must_change_password, user.created_by, len(password)) == (True, officer, 10)
    assert authenticate(username="042190001234", password=password) == user


def test_only_desk_officers_open_accounts(province) -> None:
    specialist = make_staff(Role.SPECIALIST, province["commune_a"])
    before = row_counts()
    with pytest.raises(PermissionDenied):
        applicant_create_at_desk(actor=specialist, data=LAN)
    assert row_counts() == before


def test_roles_cover_sub_agencies_only_when_granted_so(province) -> None:
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    leader = make_staff(Role.UNIT_LEADER, province["department"])
    assert sorted(agencies_for(supervisor).values_list("code", flat=True)) == [
        "H99",
        "H99.01",
        "H99.01.01",
        "H99.101",
        "H99.102",
    ]
    assert list(agencies_for(leader).values_list("code", flat=True)) == ["H99.01"]
    assert can_act_on(leader, Role.UNIT_LEADER, province["department"])
    assert not can_act_on(leader, Role.UNIT_LEADER, province["unit"])
    assert not can_act_on(leader, Role.SPECIALIST, province["department"])
    assert list(agencies_for(User(kind=AccountKind.CITIZEN))) == []
