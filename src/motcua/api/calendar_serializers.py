"""Query and response shapes of the calendar endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.agencies.calendar import parse_moment, parse_pause
from motcua.agencies.calendar_models import CalendarDayKind
from motcua.core.working_time import DurationUnit, Pause

DURATION_FIELDS = tuple(unit.value for unit in DurationUnit)
MAX_DURATION = 100_000  # far beyond any procedure; keeps the arithmetic inside the calendar


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentField(serializers.Field):  # type: ignore[type-arg]
    """ISO 8601 date-time; local time (Asia/Ho_Chi_Minh) when it has no offset."""

    default_error_messages = {"invalid": _("“{value}” is not a date and time like 2026-02-13T16:00:00+07:00.")}

    def to_internal_value(self, data: Any) -> datetime:
        try:
            return parse_moment(str(data))
        except ValueError:
            self.fail("invalid", value=data)
            raise  # unreachable: fail() raises

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


@extend_schema_field({"type": "string", "example": "2026-03-02T08:00:00+07:00/2026-03-04T08:00:00+07:00"})
class PauseField(serializers.Field):  # type: ignore[type-arg]
    """A pause of the clock written START/END (two ISO 8601 date-times)."""

    def to_internal_value(self, data: Any) -> Pause:
        try:
            start, end = parse_pause(str(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return start, end  # a pause ending before it starts is refused by due_time_compute

    def to_representation(self, value: Pause) -> str:
        return f"{value[0].isoformat()}/{value[1].isoformat()}"


class DueTimeQuerySerializer(serializers.Serializer[Any]):
    start = MomentField(help_text="Reception time, e.g. 2026-02-13T16:00:00+07:00 (encode + as %2B).")
    working_days = serializers.DecimalField(
        max_digits=12,
        decimal_places=6,
        min_value=0,
        max_value=MAX_DURATION,
        required=False,
        help_text="Working days; decimals allowed (1.5). Give exactly one of working_days, working_hours, "
        "calendar_days.",
    )
    working_hours = serializers.DecimalField(
        max_digits=12,
        decimal_places=6,
        min_value=0,
        max_value=MAX_DURATION,
        required=False,
        help_text="Working hours; decimals allowed.",
    )
    calendar_days = serializers.IntegerField(
        min_value=0, max_value=MAX_DURATION, required=False, help_text="Calendar days."
    )
    cutoff = serializers.TimeField(
        required=False, help_text="Reception after this local time (e.g. 15:00) counts from the next working day."
    )
    pause = serializers.ListField(
        child=PauseField(),
        required=False,
        default=list,
        help_text="Pauses of the clock, START/END; repeat the parameter for several.",
    )
    agency = serializers.CharField(required=False, max_length=35, help_text="Agency code: use its calendar.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in DURATION_FIELDS if attrs.get(name) is not None]
        if len(given) != 1:
            raise serializers.ValidationError(
                {
                    name: [_("Give exactly one of working_days, working_hours, calendar_days.")]
                    for name in DURATION_FIELDS
                }
            )
        attrs["unit"] = DurationUnit(given[0])
        return attrs


class DueTimeSerializer(serializers.Serializer[Any]):
    start = MomentField()
    clock_start = MomentField(help_text="When the processing clock starts (reception clamped into working time).")
    due_at = MomentField(help_text="The due time, in Asia/Ho_Chi_Minh (+07:00).")
    unit = serializers.ChoiceField(choices=[(unit.value, unit.value) for unit in DurationUnit])
    amount = serializers.SerializerMethodField()

    def get_amount(self, obj: Any) -> str:
        return format(obj.amount.normalize(), "f")


class CalendarDaysQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    agency = serializers.CharField(required=False, max_length=35, help_text="Agency code: include its overrides.")


class CalendarDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CalendarDayKind.choices)
    name = serializers.CharField()
