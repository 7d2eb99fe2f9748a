"""Public read endpoints of the catalog and the agency tree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from motcua.agencies.models import Agency
from motcua.agencies.selectors import agencies_public
from motcua.api import serializers as s
from motcua.catalog.models import Procedure, Sector
from motcua.catalog.selectors import procedure_detail, procedures_search
from motcua.core.exceptions import NotFound


@extend_schema_view(
    list=extend_schema(parameters=[s.AgencyFilterSerializer], summary="List agencies"),
    retrieve=extend_schema(summary="One agency with its one-stop desks"),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet[Agency]):
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z.]+"

    def get_queryset(self) -> QuerySet[Agency]:
        qs = agencies_public().select_related("parent")
        if self.action == "list":
            filters = s.AgencyFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if level := filters.validated_data.get("level"):
                qs = qs.filter(level=level)
            if parent := filters.validated_data.get("parent_code"):
                qs = qs.filter(parent__code=parent)
        else:
            qs = qs.prefetch_related("desks")
        return qs

    def get_serializer_class(self) -> Any:
        return s.AgencyDetailSerializer if self.action == "retrieve" else s.AgencySerializer


@extend_schema_view(list=extend_schema(summary="List sectors"), retrieve=extend_schema(summary="One sector"))
class SectorViewSet(viewsets.ReadOnlyModelViewSet[Sector]):
    serializer_class = s.SectorSerializer
    lookup_field = "code"
    queryset = Sector.objects.order_by("name")


@extend_schema_view(
    list=extend_schema(
        summary="Search the published catalog",
        description="Words match without regard to case or Vietnamese diacritics; best matches first.",
        parameters=[s.ProcedureFilterSerializer],
    ),
    retrieve=extend_schema(summary="One procedure with its published version"),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet[Procedure]):
    lookup_field = "code"
    lookup_value_regex = r"[0-9]\.[0-9]{6}"

    def get_queryset(self) -> QuerySet[Procedure]:
        filters = s.ProcedureFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return procedures_search(
            query=data.get("search", ""),
            sector=data.get("sector", ""),
            agency=data.get("agency", ""),
            level=data.get("level", ""),
            online_mode=data.get("online_mode", ""),
        )

    def get_serializer_class(self) -> Any:
        return s.ProcedureDetailSerializer if self.action == "retrieve" else s.ProcedureSerializer

    def get_object(self) -> Procedure:
        procedure = procedure_detail(self.kwargs["code"])
        if procedure is None:
            raise NotFound()
        return procedure
