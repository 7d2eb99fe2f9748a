"""Login throttles that hold: one count per account however the login is typed, and no lock-out of
everyone behind the load balancer."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from motcua.identity.models import User
from tests.factories import PASSWORD

LOGIN = "/dang-nhap/"
PROXY = "10.0.0.1"


def attempt(client, username, password="sai-mat-khau", client_ip="198.51.100.7", **extra):
    return client.post(
        reverse("identity:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
        **extra,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.MOTCUA_TRUSTED_PROXIES = PROXY


@pytest.fixture
def lan(db):
    return User.objects.create_user(username="042190001234", phone="0912000003", password=PASSWORD, full_name="Lan")


def test_ways_of_typing_one_phone_share_one_count(client, lan, behind_proxy) -> None:
    for typed in ["0912.000003", "(0912)000003", "0-9-1-2000003", "0912 000003", " 0912000003"]:
        assert attempt(client, typed).status_code == 200
    # The 6th attempt, right password and yet another spelling, must wait.
    response = attempt(client, "0912-000-003", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_random_names_from_one_address_do_not_lock_the_supervisor_out(client, db, behind_proxy) -> None:
    User.objects.create_user(username="giamsat", password=PASSWORD, full_name="Giám sát", kind="staff")
    for n in range(50):
        attempt(client, f"khong-co-{n}", client_ip="203.0.113.9")
    assert attempt(client, "x", client_ip="203.0.113.9").status_code == 429  # the attacker's address is slowed
    response = attempt(client, "giamsat", PASSWORD, client_ip="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_guessing_one_account_from_one_address_does_not_lock_its_owner_elsewhere(client, lan, behind_proxy) -> None:
    for _ in range(8):
        attempt(client, "042190001234", client_ip="203.0.113.9")
    assert attempt(client, "042190001234", PASSWORD, client_ip="203.0.113.9").status_code == 429
    assert attempt(client, "042190001234", PASSWORD, client_ip="198.51.100.7").status_code == 302


def test_pauses_grow_and_end(client, lan, behind_proxy) -> None:
    from motcua.identity.ratelimit import login_retry_after

    start = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            assert attempt(client, "042190001234").status_code == 200
        blocked = attempt(client, "042190001234", PASSWORD)
        assert blocked.status_code == 429
        assert login_retry_after(blocked.wsgi_request) == 60
        clock.shift(timedelta(seconds=61))
        assert attempt(client, "042190001234").status_code == 200  # 6th failure: 2 minutes now
        assert login_retry_after(blocked.wsgi_request) == 120
        clock.shift(timedelta(seconds=119))
        assert attempt(client, "042190001234", PASSWORD).status_code == 429
        clock.shift(timedelta(seconds=2))
        assert attempt(client, "042190001234", PASSWORD).status_code == 302


def test_pause_is_capped() -> None:
    from motcua.core.ratelimit import Backoff

    backoff = Backoff(group="t", free=5, pause=60, cap=3600)
    with time_machine.travel(datetime(2026, 3, 9, 2, 0, tzinfo=UTC), tick=False):
        for _ in range(20):
            backoff.fail("s")
        assert backoff.retry_after("s") == 3600
        assert backoff.retry_after("other") == 0
