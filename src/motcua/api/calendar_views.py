"""Public read endpoints of the working-time calendar: due times and the days off of a year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.agencies.calendar import calendar_days_of_year, calendar_horizon, due_time_compute
from motcua.agencies.models import Agency
from motcua.agencies.selectors import agencies_public
from motcua.api.calendar_serializers import (
    CalendarDaySerializer,
    CalendarDaysQuerySerializer,
    DueTimeQuerySerializer,
    DueTimeSerializer,
)


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = agencies_public().filter(code=code.strip().upper()).first()
    if agency is None:
        raise serializers.ValidationError({"agency": [_("No active agency has the code “%(code)s”.") % {"code": code}]})
    return agency


class DueTimeView(APIView):
    @extend_schema(
        operation_id="calendar_due_time",
        summary="Compute a due time",
        description=(
            "The due time of a dossier received at `start`, on the deployment calendar (or an agency's): "
            "working days and hours skip days off and count make-up days; calendar days end at the closing "
            "time of a working day; pauses do not count. Give exactly one of `working_days`, "
            "`working_hours`, `calendar_days`."
        ),
        parameters=[DueTimeQuerySerializer],
        responses=DueTimeSerializer,
        examples=[
            OpenApiExample(
                "Three working days over Tet 2026",
                value={
                    "start": "2026-02-13T16:00:00+07:00",
                    "clock_start": "2026-02-13T16:00:00+07:00",
                    "due_at": "2026-02-25T16:00:00+07:00",
                    "unit": "working_days",
                    "amount": "3",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = DueTimeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        unit = data["unit"]
        result = due_time_compute(
            start=data["start"],
            amount=Decimal(data[unit.value]),
            unit=unit,
            cutoff=data.get("cutoff"),
            pauses=data["pause"],
            agency=_agency(data.get("agency")),
        )
        return Response(DueTimeSerializer(result).data)


class CalendarDaysView(APIView):
    @extend_schema(
        operation_id="calendar_days",
        summary="Days off and extra working days of a year",
        description="Weekdays not listed are working days, weekend days not listed are not.",
        parameters=[CalendarDaysQuerySerializer],
        responses=CalendarDaySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = CalendarDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        first, last = calendar_horizon()
        if not first.year <= year <= last.year:
            raise serializers.ValidationError(
                {"year": [_("The calendar covers %(first)d to %(last)d.") % {"first": first.year, "last": last.year}]}
            )
        days = calendar_days_of_year(year, _agency(query.validated_data.get("agency")))
        return Response(CalendarDaySerializer(days, many=True).data)
