"""Reports endpoint: a unit's indicators over a period, with their targets, and the national scorecard."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api.report_serializers import IndicatorQuerySerializer, IndicatorReportSerializer
from motcua.catalog.models import Procedure, Sector
from motcua.core.exceptions import PermissionDenied
from motcua.reports.indicators import indicators_for
from motcua.reports.scope_query import may_read_reports, report_scope
from motcua.reports.scorecard import scorecard_for

EXAMPLE = {
    "agency": {"code": "H99.101", "name": "Xã An", "level": "commune"},
    "from": "2026-03-01",
    "to": "2026-03-31",
    "sector": None,
    "procedure": None,
    "generated_at": "2026-03-11T10:00:00+07:00",
    "indicators": [
        {
            "key": "online_share",
            "label": "Share received online",
            "value": "75.00",
            "unit": "percent",
            "numerator": 3,
            "denominator": 4,
            "target": "60.00",
            "comparator": "gte",
            "met": True,
        }
    ],
    "scorecard": [
        {
            "code": "timeliness",
            "name": "Tiến độ, kết quả giải quyết",
            "max_points": "20.00",
            "score": "10.00",
            "measured": True,
            "unmeasured_points": "0.00",
            "items": [
                {
                    "code": "timeliness",
                    "name": "Hồ sơ chưa đến hạn hoặc giải quyết đúng hạn / hồ sơ tiếp nhận",
                    "points": "20.00",
                    "measured": True,
                    "value": "50.00",
                    "score": "10.00",
                }
            ],
        }
    ],
}


class IndicatorsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="reports_indicators",
        summary="Indicators of a unit over a period, with their targets, and the national scorecard",
        description=(
            "For supervisors and leaders of the unit (its sub-agencies included). Counts come from the daily "
            "counts kept by the workflow; open dossiers are counted as of now. Shares are percentages with "
            "two decimals; `value` is null when there is nothing to divide by. The scorecard (Quyết định "
            "766/QĐ-TTg) scores only what is measured: a group or item that cannot be measured yet has a "
            "null score, never zero. Errors: `report_dates_invalid`, `report_range_too_long` (more than 5 "
            "years), `agency_unknown`, `sector_unknown`, `procedure_unknown` (400); `permission_denied` and "
            "`report_agency_forbidden` (403)."
        ),
        parameters=[IndicatorQuerySerializer],
        responses=IndicatorReportSerializer,
        examples=[OpenApiExample("A commune in March 2026", value=EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        if not may_read_reports(request.user):
            raise PermissionDenied()
        query = request.query_params
        scope = report_scope(
            request.user,
            agency=query.get("agency"),
            start=query.get("from"),
            end=query.get("to"),
            sector=query.get("sector"),
            procedure=query.get("procedure"),
        )
        report = indicators_for(scope)
        body: dict[str, Any] = {
            "agency": scope.agency,
            "from": scope.start,
            "to": scope.end,
            "sector": _code(Sector, scope.sector_id),
            "procedure": _code(Procedure, scope.procedure_id),
            "generated_at": report.generated_at,
            "indicators": list(report.indicators.values()),
            "scorecard": scorecard_for(report),
        }
        return Response(IndicatorReportSerializer(body).data)


def _code(model: Any, pk: int | None) -> str | None:
    if pk is None:
        return None
    code: str | None = model.objects.filter(pk=pk).values_list("code", flat=True).first()
    return code
