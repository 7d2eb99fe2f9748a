"""The staff second factor: an authenticator app (TOTP) and ten single-use recovery codes, kept by django-otp.

Every staff account, and every account that may open the Django admin, passes it after the password, in
every session. Citizens do not need it. A session that passed it carries django-otp's device id
(``django_otp.login``); ``is_second_factor_verified`` reads what django-otp's middleware found there.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.audit import audit
from motcua.core.exceptions import DomainError
from motcua.identity.constants import AccountKind

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
RECOVERY_CODE_LENGTH = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
# A code of an older time step than this many steps back is called expired rather than wrong.
EXPIRED_LOOKBACK_STEPS = 20


class SecondFactorRefused(DomainError):
    code = "second_factor_invalid"
    status = 400
    default_message = _("This code is not correct. Check the time on your phone and type the current code.")


class SecondFactorThrottled(SecondFactorRefused):
    code = "second_factor_throttled"
    status = 429
    default_message = _("Too many wrong codes. Wait a moment before trying again.")


def needs_second_factor(user: Any) -> bool:
    """Staff accounts and every account that may open the Django admin (staff flag or superuser)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.kind == AccountKind.STAFF or user.is_staff or user.is_superuser)
    )


def is_second_factor_verified(user: Any) -> bool:
    """Whether this request's session passed the second factor (django-otp's middleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def authenticator_of(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed by hand (RFC 4648 base32, no padding)."""
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def authenticator_enrolment_start(*, actor: Any) -> TOTPDevice:
    """The secret to put into the authenticator app: kept unconfirmed until one code from the app is typed.

    Reloading the page shows the same secret; an account that has an authenticator is refused (an
    administrator resets it when a phone is lost: ``second_factor_reset``).
    """
    if authenticator_of(actor) is not None:
        raise SecondFactorRefused(_("This account already has an authenticator."), code="already_enrolled")
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_enrolment_confirm(*, actor: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with one current code; returns it and the ten recovery codes, shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("pk").first()
        if device is None:
            raise SecondFactorRefused(_("Start again: open the set-up page."), code="enrolment_missing")
        refusal = _verify_totp(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            codes = _recovery_codes_replace(actor)
            audit(actor=actor, action="second_factor_enrol", obj=actor)
    # Raised after the commit: the failure count that slows the next try is kept.
    if refusal is not None:
        raise refusal
    return device, codes


@transaction.atomic
def recovery_codes_issue(*, actor: Any) -> list[str]:
    """Ten new recovery codes replace the old ones (those stop working at once)."""
    if authenticator_of(actor) is None:
        raise SecondFactorRefused(_("Set up the authenticator first."), code="enrolment_missing")
    codes = _recovery_codes_replace(actor)
    audit(actor=actor, action="recovery_codes_issue", obj=actor)
    return codes


def second_factor_verify(*, actor: Any, code: str) -> TOTPDevice | StaticDevice:
    """Check a code from the authenticator (6 digits) or one recovery code, which is used up by it.

    A code already used, a code of a past time step and a wrong code are told apart, so that a person
    whose phone clock is late knows what to fix. django-otp delays retries after failures (1, 2, 4 … s);
    the refusal is raised after the commit so that the failure count is kept.
    """
    cleaned = "".join(code.split()).replace("-", "").lower()
    refusal: SecondFactorRefused | None
    device: TOTPDevice | StaticDevice | None
    with transaction.atomic():
        if cleaned.isdigit() and len(cleaned) == 6:
            device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).order_by("pk").first()
            if device is None:
                raise SecondFactorRefused(_("Set up the authenticator first."), code="enrolment_missing")
            refusal = _verify_totp(device, cleaned)
            summary = "authenticator"
        else:
            device = StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
            if device is None:
                raise SecondFactorRefused()
            refusal = _throttled(device)
            if refusal is None and not device.verify_token(recovery_digest(cleaned)):
                refusal = SecondFactorRefused(
                    _("This recovery code is not valid. Each recovery code works only once."),
                    code="recovery_code_invalid",
                )
            summary = "recovery code"
        if refusal is None:
            audit(actor=actor, action="second_factor_verify", obj=actor, summary=summary)
    if refusal is not None:
        raise refusal
    return device


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any) -> int:
    """An administrator removes a user's authenticator and recovery codes (lost phone): the user sets up a new
    authenticator at the next login. Returns how many devices were removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    audit(actor=actor, action="second_factor_reset", obj=user)
    return removed


def session_mark_verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """Record in the session that its user passed the second factor with ``device``."""
    otp_login(request, device)
    request.session["motcua_verified_at"] = timezone.now().timestamp()


def recovery_digest(code: str) -> str:
    """Recovery codes are stored as a digest (16 hex characters fit django-otp's token column)."""
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def _recovery_codes_replace(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH)) for _ in range(10)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_digest(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _throttled(device: TOTPDevice | StaticDevice) -> SecondFactorRefused | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until: datetime | None = (data or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return SecondFactorThrottled(
        _("Too many wrong codes. Wait %(seconds)s seconds before trying again.") % {"seconds": seconds}
    )


def _verify_totp(device: TOTPDevice, code: str) -> SecondFactorRefused | None:
    throttled = _throttled(device)
    if throttled is not None:
        return throttled
    cleaned = "".join(code.split())
    last_t = device.last_t
    if device.verify_token(cleaned):
        return None
    return _why_refused(device, cleaned, last_t)


def _why_refused(device: TOTPDevice, code: str, last_t: int) -> SecondFactorRefused:
    """Tell a reused code and a code of a past time step from a wrong one (the device is already refused)."""
    if not (code.isdigit() and len(code) == device.digits):
        return SecondFactorRefused(_("Type the 6 digits shown by your authenticator app."), code="second_factor_format")
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    token = int(code)

    def matches(t: int) -> bool:
        return t >= 0 and hotp(device.bin_key, t, device.digits) == token

    window = range(now_t - device.tolerance, now_t + device.tolerance + 1)
    if any(t <= last_t and matches(t) for t in window):
        return SecondFactorRefused(
            _("This code has already been used. Wait for the next code in your authenticator app."),
            code="second_factor_reused",
        )
    if any(matches(t) for t in range(now_t - EXPIRED_LOOKBACK_STEPS, now_t - device.tolerance)):
        return SecondFactorRefused(
            _("This code has expired. Type the code your authenticator app shows now."),
            code="second_factor_expired",
        )
    return SecondFactorRefused()
