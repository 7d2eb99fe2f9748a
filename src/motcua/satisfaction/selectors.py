"""Reads of the satisfaction ratings: the dossier a rating link names, whether a dossier can still be rated,
and who may open the desk tablet for it."""

from __future__ import annotations

from typing import Any

from motcua.core.site import rating_code
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.identity.selectors import covers
from motcua.satisfaction.constants import RATEABLE_STATUSES
from motcua.satisfaction.models import Rating


def dossier_of_rating_token(token: str) -> Dossier | None:
    """The dossier a rating link names (with what its page shows), or None for a token not signed by this
    site or naming no dossier: the link itself is the permission, so nothing else is looked up."""
    code = rating_code(token)
    if code is None:
        return None
    return Dossier.objects.select_related("procedure", "competent_agency", "receiving_agency").filter(code=code).first()


def is_rated(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier=dossier).exists()


def is_rateable(dossier: Dossier) -> bool:
    """Whether the dossier has its result (rating_record would not refuse it as NotRateable)."""
    return dossier.status in RATEABLE_STATUSES


def may_open_desk_tablet(user: Any, dossier: Dossier) -> bool:
    """The rule of ``rating_record`` for the desk channel: a desk officer of the receiving agency."""
    return covers(user, [Role.DESK_OFFICER], dossier.receiving_agency)
