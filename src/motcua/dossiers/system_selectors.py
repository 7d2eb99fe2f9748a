"""Which dossiers an API caller sees: its user's (``selectors.dossiers_visible_to``), narrowed for an
integrated system's token to the agencies of its scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from motcua.dossiers.models import REUSE_SOURCE, Dossier, DossierDocument
from motcua.dossiers.selectors import dossiers_visible_to, staff_sees
from motcua.identity.selectors import is_staff_member
from motcua.identity.token_models import ApiToken
from motcua.identity.tokens import system_token_of, token_agency_ids


def dossiers_visible_to_system(user: Any, token: ApiToken) -> QuerySet[Dossier]:
    """An integrated system sees the dossiers its account sees as staff (``staff_sees``) or entered itself
    (on behalf of applicants), and of those only the ones received by, decided by or now held by an agency
    of its token's scope: outside it a dossier is "not found"."""
    qs = Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "competent_agency")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    scope = token_agency_ids(token)
    own = Q(created_by=user) | staff_sees(user) if is_staff_member(user) else Q(created_by=user)
    in_scope = Q(receiving_agency__in=scope) | Q(competent_agency__in=scope) | Q(holder_agency__in=scope)
    return qs.filter(own & in_scope)


def dossiers_visible_to_caller(user: Any, auth: Any) -> QuerySet[Dossier]:
    """``auth``: what the request authenticated with (DRF's ``request.auth``: a token, or None)."""
    token = system_token_of(auth)
    return dossiers_visible_to(user) if token is None else dossiers_visible_to_system(user, token)


def dossier_for_caller(user: Any, auth: Any, code: str) -> Dossier | None:
    documents = Prefetch("documents", queryset=DossierDocument.objects.select_related(REUSE_SOURCE))
    return dossiers_visible_to_caller(user, auth).prefetch_related(documents, "events").filter(code=code).first()
