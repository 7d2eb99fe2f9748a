from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from motcua.core.identifiers import normalize_phone
from motcua.identity.models import User


class LoginBackend(ModelBackend):
    """Log in with the login name (personal ID, enterprise code, staff name), the phone or the e-mail."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or not password:
            return None
        name = username.strip()
        phone = normalize_phone(name)
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
