"""Which devices may issue tickets: a kiosk is enabled by a desk officer of its desk, on the device itself.

The kiosk page is public (people walk up to it), so anybody could script it and empty the day's numbers.
A desk officer signs in once on the kiosk's browser and presses "enable": the browser then carries a signed
cookie naming the desk and a random device id, valid for a year. Without it the page only explains how to
enable it. The cookie holds no secret of the officer; its signature (SECRET_KEY, a salt of its own) is what
a script cannot forge. Each enabled device is throttled, and a second tap within ``DOUBLE_TAP_SECONDS``
issues nothing: the person gets the ticket the first tap printed (docs/citizen-voice/queue.md).

The counts live in the cache (the database cache by default, Redis when scaled out), so several app
servers share them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from motcua.agencies.models import Desk
from motcua.core.audit import audit
from motcua.core.exceptions import PermissionDenied
from motcua.identity.constants import Role
from motcua.identity.selectors import covers

COOKIE_NAME = "motcua_kiosk"
COOKIE_SALT = "motcua.queueing.kiosk"
COOKIE_MAX_AGE = 365 * 24 * 3600  # a year: the kiosk stays in its place; an officer enables it again after
DOUBLE_TAP_SECONDS = 2
# A kiosk serves one person at a time; more tickets than this in a minute is a script or a stuck finger.
TICKETS_PER_MINUTE = 12


@dataclass(frozen=True)
class KioskDevice:
    desk_code: str
    device: str


def kiosk_enable(*, actor: Any, desk: Desk) -> str:
    """The signed cookie value that makes the browser it is set on a kiosk of ``desk`` (desk officers of that
    desk only; audited, so that a misused kiosk can be traced to who enabled it)."""
    if not covers(actor, [Role.DESK_OFFICER], desk.agency):
        raise PermissionDenied(_("Only a desk officer of this desk can enable a kiosk for it."))
    device = secrets.token_urlsafe(12)
    audit(actor=actor, action="queue.kiosk_enable", obj=desk, summary=device)
    return signing.dumps({"desk": desk.code, "device": device}, salt=COOKIE_SALT)


def kiosk_device(value: str | None, desk: Desk) -> KioskDevice | None:
    """The device the cookie enables for ``desk``; None when missing, forged, expired or for another desk."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("desk") != desk.code or not data.get("device"):
        return None
    return KioskDevice(desk_code=desk.code, device=str(data["device"]))


def _key(device: KioskDevice, what: str) -> str:
    return f"queue:kiosk:{device.device}:{what}"


def kiosk_tap(device: KioskDevice) -> bool:
    """Claim this device's next ticket: False when it tapped less than ``DOUBLE_TAP_SECONDS`` ago (``cache.add``
    is atomic on every cache backend, so two taps arriving together cannot both win)."""
    return bool(cache.add(_key(device, "tap"), 1, timeout=DOUBLE_TAP_SECONDS))


def kiosk_over_limit(device: KioskDevice) -> bool:
    """Count one ticket of this device in the current minute; True once it issued more than allowed."""
    key = _key(device, "minute")
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count > TICKETS_PER_MINUTE


def kiosk_last_ticket(device: KioskDevice) -> int | None:
    value = cache.get(_key(device, "last"))
    return int(value) if value else None


def kiosk_remember(device: KioskDevice, ticket_id: int) -> None:
    """The ticket a double tap is shown again (kept a little longer than the double-tap window)."""
    cache.set(_key(device, "last"), ticket_id, timeout=DOUBLE_TAP_SECONDS * 30)
