"""Who sees which dossiers: applicants their own, staff those of the agencies they work for (one rule)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.models import REUSE_SOURCE, Consultation, Dossier, DossierDocument
from motcua.identity.selectors import agencies_for, is_staff_member


def staff_sees(user: Any) -> Q:
    """The one rule for which dossiers a staff member sees (ARCHITECTURE.md §4.5): those received by,
    decided by (competent) or now held by an agency they work for, and those on which such an agency's
    opinion was asked (a consultation). Every staff list, look-up, page and API filters with it, in one
    query (the agencies and consultations are subqueries)."""
    scope = agencies_for(user).values("pk")
    consulted = Consultation.objects.filter(agency__in=scope).values("dossier_id")
    return (
        Q(receiving_agency__in=scope) | Q(competent_agency__in=scope) | Q(holder_agency__in=scope) | Q(pk__in=consulted)
    )


def dossiers_for_staff(user: Any) -> QuerySet[Dossier]:
    """The dossiers ``user`` sees as staff (``staff_sees``); none for anybody else."""
    if not is_staff_member(user):
        return Dossier.objects.none()
    return Dossier.objects.filter(staff_sees(user))


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    """Every list and look-up starts here: staff see what ``staff_sees`` allows, applicants their own."""
    qs = Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "competent_agency")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_staff_member(user):
        return qs.filter(staff_sees(user))
    return qs.filter(applicant=user)


def dossier_for(user: Any, code: str) -> Dossier | None:
    documents = Prefetch("documents", queryset=DossierDocument.objects.select_related(REUSE_SOURCE))
    return dossiers_visible_to(user).prefetch_related(documents, "events").filter(code=code).first()


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
