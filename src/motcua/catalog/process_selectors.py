"""Reads for the process editor: which offerings an administrator manages, and their processes in force."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from motcua.agencies.models import Agency
from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Offering
from motcua.catalog.process_models import Process, ProcessStep
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for


def offerings_managed(actor: Any, *, query: str = "") -> QuerySet[Offering]:
    """Published procedures × the agencies offering them, where ``actor`` administers the agency."""
    scope = agencies_for(actor, [Role.ADMINISTRATOR]).values("pk")
    rows = Offering.objects.filter(agency__in=scope, procedure__current_version__isnull=False)
    text = query.strip()
    if text:
        rows = rows.filter(
            Q(procedure__code__startswith=text) | Q(procedure__name__icontains=text) | Q(agency__code__startswith=text)
        )
    return rows.select_related("procedure", "agency").order_by("procedure__code", "agency__path", "id")


def offering_managed(actor: Any, procedure_code: str, agency_code: str) -> Offering | None:
    return (
        offerings_managed(actor)
        .select_related("procedure__current_version")
        .filter(procedure__code=procedure_code, agency__code=agency_code)
        .first()
    )


def processes_in_force(offerings: Iterable[Offering]) -> dict[tuple[int, int], Process]:
    """The published process of each (procedure, agency) of ``offerings``, with its steps, in one go."""
    pairs = [(o.procedure_id, o.agency_id) for o in offerings]
    if not pairs:
        return {}
    condition = Q(pk__in=[])
    for procedure_id, agency_id in pairs:
        condition |= Q(procedure_id=procedure_id, agency_id=agency_id)
    processes = (
        Process.objects.filter(condition, status=VersionStatus.PUBLISHED)
        .prefetch_related(Prefetch("steps", queryset=ProcessStep.objects.select_related("unit").order_by("position")))
        .order_by("number")
    )
    return {(p.procedure_id, p.agency_id): p for p in processes}  # the highest number wins


def step_units(agency: Agency) -> QuerySet[Agency]:
    """Units a step may be given to: the offering agency and the active units inside it."""
    return Agency.objects.filter(path__startswith=agency.path, is_active=True).order_by("path")
