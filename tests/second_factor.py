"""Test helpers for the staff second factor: TOTP codes computed from a device's secret, as a phone would."""

from __future__ import annotations

import time
from typing import Any

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.identity.staff_session import SEEN_AT, SIGNED_IN_AT


def code_at(device: TOTPDevice, moment: float | None = None, *, steps: int = 0) -> str:
    """The code an authenticator app shows at ``moment`` (now by default), ``steps`` time steps later."""
    t = int(((time.time() if moment is None else moment) - device.t0) // device.step) + steps
    return f"{hotp(device.bin_key, t, device.digits):0{device.digits}d}"


def mark_client_verified(client: Any, user: Any) -> TOTPDevice:
    """The session of ``client`` (already logged in as ``user``) passed the second factor with a real device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # As the login request stamps it (identity.staff_session): the first request does not write the session.
    session[SIGNED_IN_AT] = session[SEEN_AT] = timezone.now().timestamp()
    session.save()
    return device


def api_key_for(user: Any, name: str = "test") -> str:
    """A fresh API key of ``user``, as made from a session that passed the second factor."""
    from motcua.identity.tokens import api_token_create

    return api_token_create(actor=user, name=name, from_session=True, second_factor_passed=True)[1]


def sign_in_through_the_forms(client: Any, user: Any, password: str) -> TOTPDevice:
    """Password, then the current code of the user's authenticator (made if missing): no shortcut."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    assert client.post("/dang-nhap/", {"username": user.username, "password": password}).status_code == 302
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": code_at(device)}).status_code == 302
    return device
