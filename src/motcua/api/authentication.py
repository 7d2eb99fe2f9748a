"""How API callers prove who they are: an expiring, revocable token, or a session that passed the second
factor when its user is staff."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from motcua.identity.second_factor import is_second_factor_verified, needs_second_factor
from motcua.identity.tokens import api_token_mark_used, token_for_key


class TokenRefused(exceptions.APIException):
    """A key that is unknown, expired or revoked: 401 with ``WWW-Authenticate: Token`` and its own code.

    Not an ``AuthenticationFailed``: DRF turns those into 403 when the first authenticator is the session's,
    which is right for anonymous callers but hides from a program that its key is the problem."""

    status_code = 401
    default_code = "token_invalid"
    auth_header = "Token"


# What an integrated system's key reaches (URL names of the ``api`` namespace, by prefix): the dossiers of its
# scope, the catalog and the calendar. Everything else (the caller's own data store, tokens, staff lists and
# reports) is for people.
SYSTEM_ENDPOINTS = ("dossier-", "agency-", "sector-", "procedure-list", "procedure-detail", "calendar-")


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against the digests of ``identity.ApiToken``."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and result[1].is_system:
            match = getattr(request._request, "resolver_match", None)
            name = match.url_name if match is not None and match.namespace == "api" else ""
            if not (name or "").startswith(SYSTEM_ENDPOINTS):
                raise exceptions.PermissionDenied(
                    _("An integrated system's key is for the dossier, catalog and calendar endpoints."),
                    code="system_endpoint",
                )
        return result

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = token_for_key(key)
        if token is None:
            raise TokenRefused(_("Invalid token."), code="token_invalid")
        if token.revoked_at is not None:
            raise TokenRefused(_("This token has been revoked."), code="token_revoked")
        if token.expires_at <= timezone.now():
            raise TokenRefused(_("This token has expired."), code="token_expired")
        if not token.user.is_active:
            raise TokenRefused(_("This account is disabled."), code="user_inactive")
        api_token_mark_used(token)
        return token.user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session, refused for a staff member who has typed only the password."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and needs_second_factor(result[0]) and not is_second_factor_verified(result[0]):
            raise exceptions.AuthenticationFailed(
                _("Type your verification code first (second factor)."), code="second_factor_required"
            )
        return result


class VerifiedSessionScheme(SessionScheme):
    target_class = "motcua.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"


class ApiTokenScheme(TokenScheme):
    target_class = "motcua.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"
