"""Staff sessions end after a working day and after idle time; citizens keep theirs (frozen time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

import motcua.settings as real_settings
from motcua.identity.constants import Role
from motcua.identity.tests.test_second_factor import code_step, enrolled, password_step
from tests.factories import make_citizen, make_staff
from tests.second_factor import code_at

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 9, 0, 30, 5, tzinfo=UTC)  # 07:30 in Hà Nội


def test_the_defaults_are_a_working_day_and_half_an_hour() -> None:
    assert (real_settings.MOTCUA_STAFF_SESSION_HOURS, real_settings.MOTCUA_STAFF_IDLE_MINUTES) == (9, 30)
    assert real_settings.MOTCUA_SECOND_FACTOR_MINUTES == 15


@pytest.fixture
def staff_client(province, settings):
    settings.MOTCUA_STAFF_SESSION_HOURS = 9
    settings.MOTCUA_STAFF_IDLE_MINUTES = 30
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    device = enrolled(officer)
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        password_step(client, officer)
        code_step(client, code_at(device))
        assert client.get("/can-bo/").status_code == 200
        yield client, clock


def test_a_staff_session_ends_after_thirty_idle_minutes(staff_client) -> None:
    client, clock = staff_client
    clock.shift(29 * 60)
    assert client.get("/can-bo/").status_code == 200
    clock.shift(29 * 60)
    assert client.get("/can-bo/").status_code == 200  # each request restarts the idle clock
    clock.shift(30 * 60 + 61)
    response = client.get("/can-bo/")
    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=/can-bo/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Bạn đã bị đăng xuất vì không thao tác trong thời gian dài" in page


def test_a_staff_session_ends_nine_hours_after_the_login_however_busy(staff_client) -> None:
    client, clock = staff_client
    for _ in range(26):  # a request every 20 minutes until 8 h 40 min after the login
        clock.shift(20 * 60)
        assert client.get("/can-bo/").status_code == 200
    clock.shift(20 * 60 + 1)  # 9 h 00 min 01 s after the login
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Phiên làm việc đã kết thúc" in client.get(response["Location"]).content.decode()


def test_an_api_call_of_an_ended_session_is_refused(staff_client) -> None:
    client, clock = staff_client
    clock.shift(31 * 60)
    response = client.get("/api/v1/staff/dossiers?unit=H99.101")
    assert (response.status_code, response.json()["code"]) == (403, "not_authenticated")


def test_the_code_must_follow_the_password_within_fifteen_minutes(province, settings) -> None:
    officer = make_staff(Role.SPECIALIST, province["commune_a"])
    device = enrolled(officer)
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        password_step(client, officer)
        clock.shift(15 * 60 + 1)
        response = code_step(client, code_at(device))
        assert response["Location"].startswith("/dang-nhap/?next=")
        assert "_auth_user_id" not in client.session
        assert client.get("/can-bo/").status_code == 302


def test_citizens_keep_their_session_for_days(province) -> None:
    citizen = make_citizen()
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        password_step(client, citizen)
        clock.shift(3 * 24 * 3600)
        assert client.get("/tai-khoan/").status_code == 200
