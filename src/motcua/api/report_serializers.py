"""Query and response shapes of the reports endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.reports.constants import Comparator, IndicatorKey, Unit


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "75.00"})
class ExactDecimalField(serializers.Field):  # type: ignore[type-arg]
    """A decimal as a string, with the precision the figure has: "4" dossiers, "66.67" %."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal | None) -> str | None:
        return None if value is None else format(value, "f")


class IndicatorQuerySerializer(serializers.Serializer[Any]):
    """Parameters of the indicators endpoint (documentation: the view checks them with stable codes)."""

    agency = serializers.CharField(help_text="Code of the unit, e.g. H99.101; its sub-agencies are included.")
    # "from" is a Python keyword: the field is declared below under its query name.
    to = serializers.DateField(help_text="Last day of the period (local date, included), e.g. 2026-03-31.")
    sector = serializers.CharField(required=False, help_text="Only this sector (code), e.g. HOTICH.")
    procedure = serializers.CharField(required=False, help_text="Only this procedure (national code), e.g. 1.001193.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        ordered = {"agency": fields.pop("agency")}
        ordered["from"] = serializers.DateField(
            help_text="First day of the period (local date, included), e.g. 2026-03-01. At most 5 years long."
        )
        ordered.update(fields)
        return ordered


class IndicatorSerializer(serializers.Serializer[Any]):
    key = serializers.ChoiceField(choices=IndicatorKey.choices)
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label: the metaclass takes it
        help_text="The indicator's name in the language of the request."
    )
    value = ExactDecimalField(
        allow_null=True, help_text="null when there is nothing to divide by (no dossier in the period)."
    )
    unit = serializers.ChoiceField(choices=Unit.choices)
    numerator = serializers.IntegerField(allow_null=True, help_text="For shares and rates; otherwise null.")
    denominator = serializers.IntegerField(allow_null=True)
    target = ExactDecimalField(allow_null=True, help_text="The year's target for the unit; null when none is set.")
    comparator = serializers.SerializerMethodField(help_text="gte: at least the target; lte: at most; null: no target.")
    met = serializers.BooleanField(allow_null=True, help_text="Whether the target is met; null: no target or no value.")

    @extend_schema_field({"type": ["string", "null"], "enum": [*Comparator.values, None]})
    def get_comparator(self, obj: Any) -> str | None:
        return obj.comparator or None


class ScoreItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    points = ExactDecimalField(help_text="Maximum points of the item.")
    measured = serializers.BooleanField(help_text="false: no indicator measures this item yet.")
    value = ExactDecimalField(allow_null=True, help_text="The measuring indicator's percentage.")
    score = ExactDecimalField(
        allow_null=True, help_text="Points earned; null when not measured (never scored as zero)."
    )


class ScoreGroupSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    max_points = ExactDecimalField()
    score = ExactDecimalField(allow_null=True, help_text="Points over the measured items; null: not measured yet.")
    measured = serializers.BooleanField()
    unmeasured_points = ExactDecimalField(help_text="Points of the items that cannot be measured yet.")
    items = ScoreItemSerializer(many=True)


class ReportAgencySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class IndicatorReportSerializer(serializers.Serializer[Any]):
    agency = ReportAgencySerializer()
    to = serializers.DateField()
    sector = serializers.CharField(allow_null=True)
    procedure = serializers.CharField(allow_null=True)
    generated_at = serializers.DateTimeField()
    indicators = IndicatorSerializer(many=True)
    scorecard = ScoreGroupSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        ordered = {"agency": fields.pop("agency"), "from": serializers.DateField()}
        ordered.update(fields)
        return ordered
