"""API tokens: made, rotated and revoked by their owner; revoked by administrators; they expire."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.identity.constants import Role
from motcua.identity.second_factor import needs_second_factor
from motcua.identity.selectors import has_role
from motcua.identity.token_models import ApiToken

KEY_PREFIX = "mc_"
# A used token's last-use time is written at most this often (one write per call would double the cost).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_of(user: Any, token_id: int) -> ApiToken:
    token = tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


def token_for_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_digest=key_digest(key)).first()


def _check_proof(actor: Any, *, from_session: bool, second_factor_passed: bool) -> None:
    """A key is given only to a signed-in session (not to another key), and for staff only to a session
    that passed the second factor: a stolen password alone never yields a key."""
    if not from_session:
        raise PermissionDenied(
            _("API tokens are made from a signed-in session, not with another token."), code="session_required"
        )
    if needs_second_factor(actor) and not second_factor_passed:
        raise PermissionDenied(_("Type your verification code first."), code="second_factor_required")


def _new_key(*, user: Any, name: str) -> tuple[ApiToken, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_digest=key_digest(key),
        prefix=key[:10],
        created_at=now,
        expires_at=now + timedelta(days=settings.MOTCUA_API_TOKEN_DAYS),
    )
    return token, key


@transaction.atomic
def api_token_create(*, actor: Any, name: str, from_session: bool, second_factor_passed: bool) -> tuple[ApiToken, str]:
    """A new key for the actor, valid ``MOTCUA_API_TOKEN_DAYS`` days; returns the token and its key (shown once)."""
    _check_proof(actor, from_session=from_session, second_factor_passed=second_factor_passed)
    name = name.strip()
    if not name:
        raise ValidationFailed(details={"name": [_("Give the token a name.")]})
    token, key = _new_key(user=actor, name=name[:100])
    audit(actor=actor, action="api_token_create", obj=token, summary=token.prefix)
    return token, key


@transaction.atomic
def api_token_rotate(
    *, actor: Any, token: ApiToken, from_session: bool, second_factor_passed: bool
) -> tuple[ApiToken, str]:
    """Replace a token by a new key of the same name and a new end date; the old key stops working at once."""
    _check_proof(actor, from_session=from_session, second_factor_passed=second_factor_passed)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is not None:
        raise ValidationFailed(_("This token has been revoked."), code="token_revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    new, key = _new_key(user=actor, name=token.name)
    audit(actor=actor, action="api_token_rotate", obj=new, summary=f"{token.prefix} → {new.prefix}")
    return new, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop a token at once: by its owner, or by an administrator (the Django admin's action)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    is_admin = bool(getattr(actor, "is_superuser", False)) or has_role(actor, [Role.ADMINISTRATOR])
    if token.user_id != actor.pk and not is_admin:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit(actor=actor, action="api_token_revoke", obj=token, summary=token.prefix)
    return token


def api_token_mark_used(token: ApiToken) -> None:
    """Record when a token was last used, to the minute (no audit row: this is a use, not a change)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
