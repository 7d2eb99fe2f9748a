"""Throttling of failed attempts (logins, dossier look-ups, resets, registrations).

Fixed windows use django-ratelimit's counters; the growing pauses of ``Backoff`` live in the same cache.
Every throttle keys on ``client_address``, never on ``REMOTE_ADDR`` directly.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import get_usage

Key = Callable[[str, HttpRequest], str]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client, as far as it can be trusted.

    ``X-Forwarded-For`` is read only when the request comes from a proxy listed in
    ``MOTCUA_TRUSTED_PROXIES`` (anyone else can write that header): then the right-most address that is
    not itself a trusted proxy is the client (each proxy appends the address it received from).
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    networks = _networks(settings.MOTCUA_TRUSTED_PROXIES)
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            return address
    return forwarded[0] if forwarded else remote


def address_key(group: str, request: HttpRequest) -> str:
    return "ip:" + client_address(request)


def failures_exhausted(
    request: HttpRequest,
    *,
    group: str,
    limits: Sequence[tuple[Key, str]],
    count_failure: bool = False,
    method: str = "POST",
) -> bool:
    """True once any (key, rate) allowance of failed attempts is used up; ``count_failure`` records one.
    Only requests of ``method`` are counted and refused (forms post; a share link's page is a GET).

    django-ratelimit limits when count > limit; after N failures the N+1th try must already be refused.
    """
    if not settings.RATELIMIT_ENABLE:
        return False
    blocked = False
    for key, rate in limits:
        usage = get_usage(request, group=group, key=key, rate=rate, method=method, increment=count_failure)
        blocked |= usage is not None and usage["count"] >= usage["limit"]
    return blocked


@dataclass(frozen=True)
class Backoff:
    """Failures of one subject (e.g. a login name from one address) earn growing pauses.

    After ``free`` failures, each further failure starts a pause of ``pause`` seconds, doubled at every
    failure up to ``cap``. The count is forgotten ``forget`` seconds after the last failure.
    """

    group: str
    free: int
    pause: int
    cap: int
    forget: int = 24 * 3600

    def _key(self, subject: str) -> str:
        return f"backoff:{self.group}:" + hashlib.sha256(subject.encode()).hexdigest()

    def retry_after(self, subject: str) -> int:
        """Seconds until the subject may try again (0: now)."""
        if not settings.RATELIMIT_ENABLE:
            return 0
        state = cache.get(self._key(subject))
        if not state:
            return 0
        failures, last = state
        if failures < self.free:
            return 0
        delay = min(self.pause * 2 ** (failures - self.free), self.cap)
        return max(0, int(last + delay - timezone.now().timestamp() + 0.999))

    def fail(self, subject: str) -> None:
        """Record one failure (a read and a write: two concurrent failures may count once, never zero)."""
        if not settings.RATELIMIT_ENABLE:
            return
        key = self._key(subject)
        failures, _last = cache.get(key) or (0, 0.0)
        cache.set(key, (failures + 1, timezone.now().timestamp()), self.forget)
