"""Login throttling: failures counted per login name and per client address (django-ratelimit)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from motcua.core.text import fold


def _name_key(group: str, request: HttpRequest) -> str:
    return "name:" + fold(request.POST.get("username", ""))


def _address_key(group: str, request: HttpRequest) -> str:
    return "ip:" + (request.META.get("REMOTE_ADDR") or "")


def login_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    """True once the allowed number of failed logins for this name or from this address is used up.

    A desk or a school shares one address: it gets a wider allowance than a single login name.
    """
    if not settings.RATELIMIT_ENABLE:
        return False
    blocked = False
    for key, rate in ((_name_key, settings.LOGIN_RATE_LIMIT), (_address_key, settings.LOGIN_ADDRESS_RATE_LIMIT)):
        usage = get_usage(request, group="login", key=key, rate=rate, method="POST", increment=count_failure)
        # django-ratelimit limits when count > limit; the 6th try after 5 failures must already be refused.
        blocked |= usage is not None and usage["count"] >= usage["limit"]
    return blocked
