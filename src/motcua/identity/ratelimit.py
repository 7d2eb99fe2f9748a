"""Login throttling that an anonymous attacker cannot turn against everyone.

Failures are counted per (login, client address) pair, with growing pauses: someone guessing one
account's password from one address is slowed down, while its owner logging in from elsewhere is not.
A wide ceiling per client address (a desk or a school shares one) slows only that address. The login is
normalised as the login backend reads it, so ``0912.000003`` and ``(0912)000003`` share one count.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from motcua.core.ratelimit import Backoff, address_key, client_address, failures_exhausted
from motcua.identity.backends import login_key


def _backoff() -> Backoff:
    return Backoff(
        group="login",
        free=settings.LOGIN_FAILURES_BEFORE_PAUSE,
        pause=settings.LOGIN_PAUSE_SECONDS,
        cap=settings.LOGIN_PAUSE_MAX_SECONDS,
    )


def _subject(request: HttpRequest) -> str:
    return login_key(request.POST.get("username", "")) + "\n" + client_address(request)


def _address_exhausted(request: HttpRequest, *, count_failure: bool = False) -> bool:
    limits = [(address_key, settings.LOGIN_ADDRESS_RATE_LIMIT)]
    return failures_exhausted(request, group="login-address", limits=limits, count_failure=count_failure)


def login_blocked(request: HttpRequest, *, count_failure: bool = False) -> bool:
    """True while this login from this address must pause, or this address has used up its wide allowance.

    ``count_failure`` records one failed attempt first.
    """
    if count_failure:
        _backoff().fail(_subject(request))
    address_blocked = _address_exhausted(request, count_failure=count_failure)
    return address_blocked or _backoff().retry_after(_subject(request)) > 0


def login_retry_after(request: HttpRequest) -> int:
    """Seconds before this login may be tried again from this address (for "try again in N minutes");
    0 when only the address's wide allowance is used up (its window is not known here)."""
    return _backoff().retry_after(_subject(request))


def _reset_email_key(group: str, request: HttpRequest) -> str:
    return "email:" + str(request.POST.get("email", "")).strip().lower()


def _register_number_key(group: str, request: HttpRequest) -> str:
    number = request.POST.get("personal_id") or request.POST.get("tax_code") or ""
    return "number:" + login_key(str(number))


def password_reset_blocked(request: HttpRequest, *, count: bool = False) -> bool:
    """True once this e-mail address, or this client address, has asked for enough reset links for now.

    Every request counts (``count``), whether an account has the address or not: the limit says nothing.
    """
    limits = [
        (_reset_email_key, settings.PASSWORD_RESET_RATE_LIMIT),
        (address_key, settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT),
    ]
    return failures_exhausted(request, group="password-reset", limits=limits, count_failure=count)


def register_blocked(request: HttpRequest, *, count: bool = False) -> bool:
    """True once this personal ID or enterprise code, or this client address, has tried to register enough
    times for now (against trying numbers to learn which have an account)."""
    limits = [
        (_register_number_key, settings.REGISTER_RATE_LIMIT),
        (address_key, settings.REGISTER_ADDRESS_RATE_LIMIT),
    ]
    return failures_exhausted(request, group="register", limits=limits, count_failure=count)
