"""Reads for the desk's intake work: the queue of online submissions, the officer's desks, walk-in applicants."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motcua.agencies.models import Desk
from motcua.catalog.models import Offering, Procedure
from motcua.catalog.selectors import procedures_search
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.identity.constants import AccountKind, Role
from motcua.identity.models import User
from motcua.identity.selectors import agencies_for, has_role


def intake_queue(user: Any) -> QuerySet[Dossier]:
    """Submissions waiting for reception at the agencies where ``user`` is a desk officer, oldest first."""
    desks = agencies_for(user, [Role.DESK_OFFICER]).values("pk")
    return (
        dossiers_visible_to(user)
        .filter(status=Status.SUBMITTED, receiving_agency__in=desks)
        .order_by("submitted_at", "id")
    )


def desk_procedures(user: Any, *, query: str = "", everywhere: bool = False) -> QuerySet[Procedure]:
    """Published procedures a desk officer receives: those offered by their agencies, found by the
    catalog's search (without regard to diacritics), best match first.

    ``everywhere``: every procedure of the province, for a dossier received across boundaries (phi địa
    giới), which the desk may also receive.
    """
    found = procedures_search(query=query)
    if everywhere:
        return found
    agencies = agencies_for(user, [Role.DESK_OFFICER]).values("pk")
    return found.filter(pk__in=Offering.objects.filter(agency__in=agencies).values("procedure_id"))


def desks_of(user: Any) -> QuerySet[Desk]:
    """Active desks of the agencies where ``user`` is a desk officer (where they may receive dossiers)."""
    return (
        Desk.objects.filter(agency__in=agencies_for(user, [Role.DESK_OFFICER]).values("pk"), is_active=True)
        .select_related("agency")
        .order_by("code")
    )


def walk_in_applicant(user: Any, applicant_id: int) -> User | None:
    """The citizen or organisation account a desk officer enters a dossier for (None if not one)."""
    if not has_role(user, [Role.DESK_OFFICER]):
        return None
    applicants = User.objects.filter(kind__in=[AccountKind.CITIZEN, AccountKind.ORGANISATION], is_active=True)
    return applicants.filter(pk=applicant_id).first()
