"""The staff second factor, tested through the login forms: never through ``force_login``'s shortcut."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.identity.constants import Role
from motcua.identity.second_factor import (
    SecondFactorRefused,
    SecondFactorThrottled,
    authenticator_enrolment_confirm,
    authenticator_enrolment_start,
    recovery_codes_issue,
    second_factor_reset,
    second_factor_verify,
)
from tests.factories import PASSWORD, make_citizen, make_staff
from tests.second_factor import code_at

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 9, 2, 0, 15, tzinfo=UTC)  # 09:00:15 in Hà Nội, 15 s into a 30 s time step


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def password_step(client: Client, user: Any, *, next_url: str = "") -> Any:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("identity:login"), data)


def code_step(client: Client, code: str, *, next_url: str = "") -> Any:
    return client.post(reverse("identity:second-factor"), {"code": code, "next": next_url})


def refusal(call: Any) -> SecondFactorRefused:
    with pytest.raises(SecondFactorRefused) as caught:
        call()
    return caught.value


# --- the login ------------------------------------------------------------------------------------


def test_a_staff_password_alone_opens_no_back_office_page_no_admin_and_no_api(province, clock) -> None:
    admin = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    device = enrolled(admin)
    client = Client()

    response = password_step(client, admin)
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/ma-xac-thuc/?next=%2Ftai-khoan%2Fchuyen-huong%2F"
    assert client.session["_auth_user_id"] == str(admin.pk)
    for path in ("/can-bo/", "/can-bo/ho-so/tiep-nhan/", "/quan-tri/", "/quan-tri/identity/user/", "/tai-khoan/"):
        got = client.get(path)
        assert (got.status_code, got["Location"].split("?")[0]) == (302, "/dang-nhap/ma-xac-thuc/"), path
    api = client.get("/api/v1/staff/dossiers?unit=H99.101")
    assert (api.status_code, api["Content-Type"], api.json()["code"]) == (
        403,
        "application/problem+json",
        "second_factor_required",
    )
    assert client.get("/api/v1/tokens").json()["code"] == "second_factor_required"
    assert client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json").status_code == 403
    assert admin.api_tokens.count() == 0

    page = client.get(reverse("identity:second-factor"))
    assert page.status_code == 200
    assert "Mã xác thực" in page.content.decode()
    assert code_step(client, code_at(device), next_url="/quan-tri/")["Location"] == "/quan-tri/"
    assert client.get("/can-bo/").status_code == 200
    assert client.get("/quan-tri/").status_code == 200
    assert client.get("/api/v1/staff/dossiers?unit=H99.101").status_code == 200


def test_citizens_need_no_second_factor(province, clock) -> None:
    citizen = make_citizen()
    client = Client()
    assert password_step(client, citizen)["Location"] == "/tai-khoan/chuyen-huong/"
    assert client.get("/tai-khoan/").status_code == 200
    assert TOTPDevice.objects.count() == 0


def test_first_login_sets_up_the_authenticator_and_shows_ten_recovery_codes_once(province, clock) -> None:
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    client = Client()
    password_step(client, officer)
    assert client.get(reverse("identity:second-factor"))["Location"] == "/dang-nhap/cai-dat-xac-thuc/?"
    page = client.get(reverse("identity:second-factor-enrol")).content.decode()
    secret = re.search(r'<code id="enrol-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=officer)
    assert (device.confirmed, len(secret)) == (False, 32)
    assert client.get("/can-bo/").status_code == 302  # nothing before the set-up is confirmed

    wrong = client.post(reverse("identity:second-factor-enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "Mã không đúng" in wrong.content.decode()
    clock.shift(2)  # django-otp's delay after one failure (1 s)
    done = client.post(reverse("identity:second-factor-enrol"), {"code": code_at(device)})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.content.decode())
    assert done.status_code == 200
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    device.refresh_from_db()
    assert device.confirmed is True
    # Only digests are stored.
    assert not StaticToken.objects.filter(token__in=[c.replace("-", "") for c in codes]).exists()
    assert StaticToken.objects.filter(device__user=officer).count() == 10
    assert client.get("/can-bo/").status_code == 200
    assert client.get(reverse("identity:second-factor-enrol"))["Location"].startswith("/dang-nhap/ma-xac-thuc/")


def test_a_recovery_code_logs_in_once(province, clock) -> None:
    leader = make_staff(Role.UNIT_LEADER, province["commune_a"])
    enrolled(leader)
    codes = recovery_codes_issue(actor=leader)
    client = Client()
    password_step(client, leader)
    assert code_step(client, codes[3].upper())["Location"] == "/tai-khoan/chuyen-huong/"
    assert StaticToken.objects.filter(device__user=leader).count() == 9
    client.post(reverse("identity:logout"))

    clock.shift(60)
    other = Client()
    password_step(other, leader)
    again = code_step(other, codes[3])
    assert again.status_code == 400
    assert "Mã khôi phục không hợp lệ" in again.content.decode()
    assert other.get("/can-bo/").status_code == 302


def test_wrong_codes_count_as_failed_logins(province, clock, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay off: only the login throttle is left
    clerk = make_staff(Role.CLERK, province["commune_a"])
    device = enrolled(clerk)
    client = Client()
    password_step(client, clerk)
    statuses = [code_step(client, "123456").status_code for _ in range(5)]
    assert statuses == [400] * 5
    blocked = code_step(client, code_at(device))
    assert blocked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in blocked.content.decode()
    assert client.get("/can-bo/").status_code == 302


def test_twelve_wrong_admin_passwords_then_the_right_one_do_not_open_the_admin(province, clock) -> None:
    admin = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    admin.is_superuser = True
    admin.save()
    enrolled(admin)
    client = Client()
    for _ in range(12):
        client.post("/quan-tri/login/", {"username": admin.username, "password": "wrong", "next": "/quan-tri/"})
    response = client.post("/quan-tri/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fquan-tri%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/quan-tri/").status_code == 302

    # The admin's login is ours: throttled after five failures, then the second factor.
    for _ in range(12):
        client.post(reverse("identity:login"), {"username": admin.username, "password": "wrong"})
    assert password_step(client, admin, next_url="/quan-tri/").status_code == 429
    assert "_auth_user_id" not in client.session


# --- the services ---------------------------------------------------------------------------------


def test_codes_are_told_apart_wrong_reused_expired_and_throttled(province, clock) -> None:
    specialist = make_staff(Role.SPECIALIST, province["commune_a"])
    device = enrolled(specialist)
    current = code_at(device)
    assert second_factor_verify(actor=specialist, code=current) == device
    assert refusal(lambda: second_factor_verify(actor=specialist, code=current)).code == "second_factor_reused"
    clock.shift(2)
    assert refusal(lambda: second_factor_verify(actor=specialist, code=code_at(device, steps=-5))).code == (
        "second_factor_expired"
    )
    # Two failures in a row: the next try within 2 s is refused without looking at the code.
    throttled = refusal(lambda: second_factor_verify(actor=specialist, code=code_at(device, steps=1)))
    assert isinstance(throttled, SecondFactorThrottled)
    assert (throttled.code, throttled.status) == ("second_factor_throttled", 429)
    clock.shift(3)
    wrong = refusal(lambda: second_factor_verify(actor=specialist, code="999999" if current != "999999" else "111111"))
    assert wrong.code == "second_factor_invalid"
    assert str(wrong.message) == "Mã không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã hiện tại."
    clock.shift(10)
    assert second_factor_verify(actor=specialist, code=code_at(device, steps=1)) == device  # one step of drift


def test_enrolment_start_refuses_an_enrolled_account_and_reset_lets_it_enrol_again(province, clock) -> None:
    supervisor = make_staff(Role.SUPERVISOR, province["province"])
    pending = authenticator_enrolment_start(actor=supervisor)
    assert authenticator_enrolment_start(actor=supervisor) == pending  # the same secret on reload
    device, codes = authenticator_enrolment_confirm(actor=supervisor, code=code_at(pending))
    assert (device.pk, device.confirmed, len(codes)) == (pending.pk, True, 10)
    assert refusal(lambda: authenticator_enrolment_start(actor=supervisor)).code == "already_enrolled"
    assert second_factor_reset(actor=None, user=supervisor) == 2 + 10  # two devices and their ten tokens
    assert TOTPDevice.objects.filter(user=supervisor).count() == 0
    assert authenticator_enrolment_start(actor=supervisor).confirmed is False
