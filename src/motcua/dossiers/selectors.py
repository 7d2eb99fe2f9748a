"""Who sees which dossiers: applicants their own, staff those of the agencies they work for."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.identity.selectors import agencies_for, is_staff_member


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    """Every staff list and look-up starts here (ARCHITECTURE.md §4.5)."""
    qs = Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "competent_agency")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_staff_member(user):
        scope = agencies_for(user).values("pk")
        return qs.filter(Q(receiving_agency__in=scope) | Q(competent_agency__in=scope))
    return qs.filter(applicant=user)


def dossier_for(user: Any, code: str) -> Dossier | None:
    return dossiers_visible_to(user).prefetch_related("documents", "events").filter(code=code).first()


def dossiers_of_unit(user: Any, unit_code: str, *, status: str = "") -> QuerySet[Dossier]:
    """The dossiers a unit is competent for (it decides them), in any state, for staff holding a role on
    the unit (directly or through a parent agency granted with its sub-agencies); else PermissionDenied.

    Only ``competent_agency`` is matched (an index on it, with the id or the status, serves the list);
    where each dossier is now is in its holder fields.
    """
    unit = agencies_for(user).filter(code=unit_code).values_list("pk", flat=True).first()
    if unit is None:
        raise PermissionDenied(_("You hold no role on this unit."))
    rows = Dossier.objects.filter(competent_agency_id=unit)
    return rows.filter(status=status) if status else rows
