"""Who may do what where. Every permission check of the interfaces goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency
from motcua.agencies.selectors import agencies_matching
from motcua.core.identifiers import normalize_phone
from motcua.identity.constants import AccountKind, Role
from motcua.identity.models import RoleGrant, User


def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.kind == AccountKind.STAFF and user.is_active)


def roles_of(user: Any) -> set[str]:
    if not is_staff_member(user):
        return set()
    return {role for role, _subtree, _agency_id, _path in _grants(user)}


def has_role(user: Any, roles: Iterable[str]) -> bool:
    return bool(roles_of(user) & set(roles))


def _grants(user: Any) -> list[tuple[str, bool, int, str]]:
    """(role, include_subagencies, agency id, agency path) of the user's grants, read once per user object."""
    cached = getattr(user, "_motcua_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user=user).values_list("role", "include_subagencies", "agency_id", "agency__path")
        )
        user._motcua_grants = cached
    return list(cached)


def covers(user: Any, roles: Iterable[str], agency: Agency) -> bool:
    """Whether one of ``roles`` is held on ``agency`` (directly, or through a grant with sub-agencies).

    The same rule as ``agencies_for``, answered from the cached grants without a query per check.
    """
    if not is_staff_member(user):
        return False
    wanted = set(roles)
    return any(
        role in wanted and (agency.path.startswith(path) if subtree else agency.pk == agency_id)
        for role, subtree, agency_id, path in _grants(user)
    )


def agencies_for(user: Any, roles: Iterable[str] | None = None) -> QuerySet[Agency]:
    """Agencies on which the user holds one of ``roles`` (any role when None), subtrees included."""
    if not is_staff_member(user):
        return Agency.objects.none()
    wanted = None if roles is None else set(roles)
    grants = [g for g in _grants(user) if wanted is None or g[0] in wanted]
    paths = [path for _role, subtree, _agency_id, path in grants if subtree]
    exact = [agency_id for _role, subtree, agency_id, _path in grants if not subtree]
    if not paths and not exact:
        return Agency.objects.none()
    return agencies_matching(paths, exact)


def can_act_on(user: Any, role: str, agency: Agency) -> bool:
    return agencies_for(user, [role]).filter(pk=agency.pk).exists()


def find_applicants(*, actor: Any, query: str) -> QuerySet[User]:
    """Desk officers look a walk-in applicant up by personal ID, enterprise code or phone."""
    if not has_role(actor, [Role.DESK_OFFICER]) or not query.strip():
        return User.objects.none()
    q = query.strip()
    phone = normalize_phone(q)
    return User.objects.filter(
        Q(personal_id=q) | Q(tax_code=q) | (Q(phone_key=phone) if phone else Q(pk__in=[])),
        kind__in=[AccountKind.CITIZEN, AccountKind.ORGANISATION],
    ).order_by("full_name")[:20]


def phone_taken(phone: str, *, exclude: int | None = None) -> bool:
    """Whether the phone, normalised as login reads it, already belongs to an account (other than ``exclude``)."""
    key = normalize_phone(phone)
    if not key:
        return False
    accounts = User.objects.filter(phone_key=key)
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude)
    return accounts.exists()
