"""Login throttling: failures counted per login name and per client address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.core.ratelimit import address_key, failures_exhausted
from motcua.core.text import fold


def _name_key(group: str, request: HttpRequest) -> str:
    return "name:" + fold(request.POST.get("username", ""))


def login_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    """True once the allowed number of failed logins for this name or from this address is used up.

    A desk or a school shares one address: it gets a wider allowance than a single login name.
    """
    limits = [(_name_key, settings.LOGIN_RATE_LIMIT), (address_key, settings.LOGIN_ADDRESS_RATE_LIMIT)]
    return failures_exhausted(request, group="login", limits=limits, count_failure=count_failure)
