from __future__ import annotations

import re
from typing import Any, NamedTuple

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from motcua.core.identifiers import normalize_phone
from motcua.identity.models import User

_NUMBER = re.compile(r"\+?[0-9]+")


class LoginName(NamedTuple):
    """What a typed login is compared with: the name as typed (trimmed) and the phone key it may be."""

    name: str
    phone: str


def login_name(typed: str) -> LoginName:
    """The one normalisation of a typed login (used by the backend and by the login throttle)."""
    name = (typed or "").strip()
    return LoginName(name=name, phone=normalize_phone(name))


def login_key(typed: str) -> str:
    """One key per account a typed login can reach: a number (phone, personal ID, enterprise code) without
    its separators, an e-mail in lower case, otherwise the name as typed."""
    login = login_name(typed)
    if _NUMBER.fullmatch(login.phone):
        return login.phone
    return login.name.lower() if "@" in login.name else login.name


class LoginBackend(ModelBackend):
    """Log in with the login name (personal ID, enterprise code, staff name), the phone or the e-mail."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        name, phone = login_name(username)
        by_phone = Q(phone_key=phone) if phone else Q(pk__in=[])
        candidates = list(User.objects.filter(Q(username=name) | Q(email__iexact=name) | by_phone)[:2])
        # An e-mail shared by two accounts is ambiguous: only the login name works then (a phone is unique).
        exact = [u for u in candidates if u.username == name]
        user = exact[0] if exact else (candidates[0] if len(candidates) == 1 else None)
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing hint that the name is unknown
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
