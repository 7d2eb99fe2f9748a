"""The demo staff's authenticator: the published secret, and `demo_totp` prints a code the login accepts."""

from __future__ import annotations

import base64
import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command

from motcua.demo.province import DEMO_TOTP_SECRET, demo_authenticator
from motcua.identity.constants import Role
from motcua.identity.second_factor import second_factor_verify
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_demo_totp_prints_the_code_the_demo_authenticator_accepts(province) -> None:
    officer = make_staff(Role.DESK_OFFICER, province["commune_a"])
    device = demo_authenticator(officer)
    assert demo_authenticator(officer) == device  # idempotent
    assert bytes.fromhex(device.key) == base64.b32decode(DEMO_TOTP_SECRET)
    with time_machine.travel(datetime(2026, 3, 9, 2, 0, 10, tzinfo=UTC), tick=False):
        out = io.StringIO()
        call_command("demo_totp", stdout=out)
        code, seconds = re.match(r"(\d{6})  \(valid for (\d+) more seconds", out.getvalue()).groups()
        assert seconds == "20"
        assert second_factor_verify(actor=officer, code=code) == device


def test_demo_logins_print_the_secret_and_how_to_get_a_code() -> None:
    from motcua.demo.management.commands.load_demo import print_second_factor_note

    text = io.StringIO()
    print_second_factor_note(text)
    assert DEMO_TOTP_SECRET in text.getvalue()
    assert "python manage.py demo_totp" in text.getvalue()
