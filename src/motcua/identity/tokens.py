"""API tokens: made, rotated and revoked by their owner; revoked by administrators; they expire.

Integrated systems' tokens are made by an administrator (``system_token_create``), carry a scope (agencies,
actions, submission on behalf of applicants) and every call made with them is audited
(``system_call_record``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.agencies.selectors import agencies_matching
from motcua.core.audit import audit
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.core.identifiers import mask
from motcua.core.models import AuditEntry
from motcua.identity.constants import AccountKind, Role
from motcua.identity.second_factor import needs_second_factor
from motcua.identity.selectors import has_role
from motcua.identity.token_models import ApiToken, TokenKind

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


def _new_key(*, user: Any, name: str, days: int | None = None, **scope: Any) -> tuple[ApiToken, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_digest=key_digest(key),
        prefix=key[:10],
        created_at=now,
        expires_at=now + timedelta(days=days or settings.MOTCUA_API_TOKEN_DAYS),
        **scope,
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
    """Replace a token by a new key of the same name (and scope) and a new end date; the old key stops working
    at once."""
    _check_proof(actor, from_session=from_session, second_factor_passed=second_factor_passed)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is not None:
        raise ValidationFailed(_("This token has been revoked."), code="token_revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    new, key = _new_key(user=actor, name=token.name, **_scope_of(token))
    if token.is_system:
        new.agencies.set(token.agencies.all())
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


# --- integrated systems ----------------------------------------------------------------------------------

ACTION_NAME = re.compile(r"^[a-z_]{1,40}$")
MAX_SYSTEM_TOKEN_DAYS = 3660  # ten years: a system's key is still rotated, like any other


def _scope_of(token: ApiToken) -> dict[str, Any]:
    return {
        "kind": token.kind,
        "include_subagencies": token.include_subagencies,
        "actions": list(token.actions),
        "on_behalf": token.on_behalf,
    }


def _is_administrator(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or has_role(actor, [Role.ADMINISTRATOR])


@transaction.atomic
def system_token_create(
    *,
    actor: Any,
    user: Any,
    name: str,
    agencies: Iterable[Agency],
    actions: Iterable[str],
    include_subagencies: bool = False,
    on_behalf: bool = False,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """An administrator gives an integrated system (a sector system, a provincial portal) a key of its own.

    The key works for the system's staff account (whose role grants the workflow still checks) and only
    within its scope: the dossiers of ``agencies`` (with their sub-agencies when ``include_subagencies``),
    the workflow ``actions`` named, and, with ``on_behalf``, submission for applicants identified in the
    request. ``actor`` None: the server's operator (management command). Returns the token and its key,
    shown once; every call made with it is audited (``system_call_record``).
    """
    if actor is not None and not _is_administrator(actor):
        raise PermissionDenied(_("Only administrators give integrated systems their keys."))
    if getattr(user, "kind", None) != AccountKind.STAFF or not user.is_active:
        raise ValidationFailed(
            _("An integrated system acts through an active staff account of its own."), code="not_staff"
        )
    name = name.strip()[:100]
    chosen = list(agencies)
    wanted = sorted({a.strip() for a in actions if a.strip()})
    errors: dict[str, list[Any]] = {}
    if not name:
        errors["name"] = [_("Give the token a name.")]
    if not chosen:
        errors["agencies"] = [_("Name at least one agency the system acts for.")]
    if any(not ACTION_NAME.match(a) for a in wanted):
        errors["actions"] = [_("Unknown action.")]
    if days is not None and not 0 < days <= MAX_SYSTEM_TOKEN_DAYS:
        errors["days"] = [_("A key is valid for 1 to %(limit)d days.") % {"limit": MAX_SYSTEM_TOKEN_DAYS}]
    if errors:
        raise ValidationFailed(details=errors)
    token, key = _new_key(
        user=user,
        name=name,
        days=days,
        kind=TokenKind.SYSTEM,
        include_subagencies=include_subagencies,
        actions=wanted,
        on_behalf=on_behalf,
    )
    token.agencies.set(chosen)
    audit(
        actor=actor,
        action="api_token_create",
        obj=token,
        summary=f"{token.prefix} {name}",
        data={
            "system": name,
            "agencies": sorted(a.code for a in chosen),
            "include_subagencies": include_subagencies,
            "actions": wanted,
            "on_behalf": on_behalf,
        },
    )
    return token, key


def system_token_of(auth: Any) -> ApiToken | None:
    """The integrated system's token a request came with (DRF's ``request.auth``), else None."""
    return auth if isinstance(auth, ApiToken) and auth.is_system else None


def token_agency_ids(token: ApiToken) -> Any:
    """The ids of the agencies in a system token's scope, as a subquery (its agencies, and their
    sub-agencies when the token says so)."""
    chosen = list(token.agencies.values_list("pk", "path"))
    paths = [path for _pk, path in chosen] if token.include_subagencies else []
    return agencies_matching(paths, [pk for pk, _path in chosen]).values("pk")


def token_covers_agency(token: ApiToken | None, agency: Agency) -> bool:
    if token is None or not token.is_system:
        return True
    return token_agency_ids(token).filter(pk=agency.pk).exists()


def token_action_check(token: ApiToken | None, action: str) -> None:
    """Refuse an action a system token was not given (403 ``action_not_granted``); personal tokens and
    sessions act with their user's rights alone."""
    if token is not None and token.is_system and action not in token.actions:
        raise PermissionDenied(_("This system's key is not allowed to take this action."), code="action_not_granted")


def token_on_behalf_check(token: ApiToken | None) -> ApiToken:
    """Only an integrated system's token given the right submits for applicants (403 otherwise)."""
    if token is None or not token.is_system or not token.on_behalf:
        raise PermissionDenied(
            _("Only an integrated system allowed to do so submits on behalf of applicants."),
            code="on_behalf_not_granted",
        )
    return token


def system_call_record(
    *, token: ApiToken, action: str, dossier_code: str = "", on_behalf_of: str = "", count: int | None = None
) -> AuditEntry:
    """Every call of an integrated system leaves an audit entry: which system, which action, which dossier,
    on behalf of whom (the applicant's ID number, masked as in every log)."""
    data: dict[str, Any] = {"system": token.name, "token": token.prefix, "action": action}
    if dossier_code:
        data["dossier"] = dossier_code
    if on_behalf_of:
        data["on_behalf_of"] = mask(on_behalf_of)
    if count is not None:
        data["count"] = count
    return audit(
        actor=token.user,
        action="api_system_call",
        obj=token,
        summary=f"{token.name}: {action} {dossier_code}".strip(),
        data=data,
    )
