"""Throttling of failed attempts (logins, dossier look-ups) with django-ratelimit's counters."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

Key = Callable[[str, HttpRequest], str]


def address_key(group: str, request: HttpRequest) -> str:
    return "ip:" + (request.META.get("REMOTE_ADDR") or "")


def failures_exhausted(
    request: HttpRequest, *, group: str, limits: Sequence[tuple[Key, str]], count_failure: bool = False
) -> bool:
    """True once any (key, rate) allowance of failed attempts is used up; ``count_failure`` records one.

    django-ratelimit limits when count > limit; after N failures the N+1th try must already be refused.
    """
    if not settings.RATELIMIT_ENABLE:
        return False
    blocked = False
    for key, rate in limits:
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=count_failure)
        blocked |= usage is not None and usage["count"] >= usage["limit"]
    return blocked
