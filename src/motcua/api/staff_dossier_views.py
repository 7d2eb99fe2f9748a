"""The staff dossier list of one unit: ``GET /api/v1/staff/dossiers?unit=…&status=…&cursor=…``.

Read from ``.values()`` in one query (procedure, holder agency and assignee joined) and turned into JSON
rows by a plain function: no model instances, no per-field serializer work, so a page of 100 stays cheap.
Cursor pagination on the id, newest first (index-backed, constant cost per page at any table size).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.api.pagination import LargeListPagination
from motcua.api.staff_dossier_serializers import StaffDossierQuerySerializer, StaffDossierSerializer
from motcua.catalog.processes import process_steps
from motcua.core.identifiers import mask
from motcua.dossiers.constants import Status
from motcua.dossiers.selectors import dossiers_of_unit
from motcua.identity.selectors import is_staff_member
from motcua.workflow.inbox import Urgency, urgency

FIELDS = (
    "id",
    "code",
    "procedure__code",
    "procedure__name",
    "applicant_name",
    "applicant_id_number",
    "channel",
    "status",
    "national_status",
    "received_at",
    "due_at",
    "warn_at",
    "process_id",
    "step_position",
    "step_due_at",
    "holder_agency__code",
    "holder_role",
    "assignee__username",
)
# The processing clock runs: the due time's badge means something.
RUNNING = frozenset({Status.RECEIVED, Status.IN_PROGRESS})


class StaffOnly(permissions.BasePermission):
    """Staff lists are for staff: anyone else is refused before the query is even read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_member(request.user)


class StaffDossierPagination(LargeListPagination):
    page_size = 100  # ``page_size`` may ask for fewer
    ordering = "-id"


def _moment(value: datetime | None, zone: tzinfo) -> str | None:
    # As DRF's DateTimeField: in the current time zone, ISO 8601.
    return None if value is None else value.astimezone(zone).isoformat()


def _step_name(process_id: int | None, position: int | None) -> str:
    if process_id is None or position is None:
        return ""
    steps = process_steps(process_id)  # published processes never change: cached per process
    return steps[position - 1].name if 0 < position <= len(steps) else ""


def staff_dossier_row(row: dict[str, Any], now: datetime, zone: tzinfo) -> dict[str, Any]:
    """One ``.values(*FIELDS)`` row as ``StaffDossierSerializer`` describes it (times in ``zone``)."""
    status = row["status"]
    return {
        "code": row["code"],
        "procedure_code": row["procedure__code"],
        "procedure_name": row["procedure__name"],
        "applicant_name": row["applicant_name"],
        "applicant_id_number": mask(row["applicant_id_number"]),
        "channel": row["channel"],
        "status": status,
        "national_status": row["national_status"],
        "received_at": _moment(row["received_at"], zone),
        "due_at": _moment(row["due_at"], zone),
        "step": row["step_position"],
        "step_name": _step_name(row["process_id"], row["step_position"]),
        "step_due_at": _moment(row["step_due_at"], zone),
        "holder_agency": row["holder_agency__code"],
        "holder_role": row["holder_role"],
        "assignee": row["assignee__username"],
        "urgency": urgency(row["due_at"], row["warn_at"], now) if status in RUNNING else Urgency.NONE,
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="staff_dossier_list",
        summary="Dossiers of one unit, for its staff",
        description=(
            "The dossiers the unit is competent for (it decides them), in any state, newest first, 100 per "
            "page (follow `next`). The caller must hold a staff role on the unit, directly or through a parent "
            "agency granted with its sub-agencies; otherwise 403. Where each dossier is now: `step`, "
            "`holder_agency`, `holder_role`, `assignee` (null: waiting in the unit's pool)."
        ),
        parameters=[StaffDossierQuerySerializer],
    )
)
class StaffDossierListView(generics.ListAPIView[Any]):
    permission_classes = [permissions.IsAuthenticated, StaffOnly]
    pagination_class = StaffDossierPagination
    serializer_class = StaffDossierSerializer  # the schema; rows come from staff_dossier_row

    def get_queryset(self) -> QuerySet[Any]:
        query = StaffDossierQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return dossiers_of_unit(self.request.user, data["unit"], status=data.get("status", "")).values(*FIELDS)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        now, zone = timezone.now(), timezone.get_current_timezone()
        return self.get_paginated_response([staff_dossier_row(row, now, zone) for row in page])
