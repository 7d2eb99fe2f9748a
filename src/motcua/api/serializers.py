from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import LEGACY_ONLINE_LEVEL, ImplementingLevel, OnlineMode
from motcua.catalog.models import Fee, Procedure, ProcedureVersion, RequiredDocument, Sector


class DeskSerializer(serializers.ModelSerializer[Desk]):
    class Meta:
        model = Desk
        fields = ["code", "name", "address"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    parent_code = serializers.CharField(source="parent.code", allow_null=True, default=None, read_only=True)
    email = serializers.CharField(read_only=True, help_text="E-mail address, or empty")

    class Meta:
        model = Agency
        fields = ["code", "name", "level", "parent_code", "address", "phone", "email"]


class AgencyDetailSerializer(AgencySerializer):
    desks = DeskSerializer(many=True, read_only=True)

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "desks"]


class AgencyFilterSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=AgencyLevel.choices, required=False)
    parent_code = serializers.CharField(required=False, max_length=35)


class SectorSerializer(serializers.ModelSerializer[Sector]):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    sector = SectorSerializer(read_only=True)
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    levels = serializers.ListField(child=serializers.ChoiceField(choices=ImplementingLevel.choices), read_only=True)
    legacy_online_level = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["code", "name", "sector", "online_mode", "legacy_online_level", "levels", "version"]

    def get_legacy_online_level(self, obj: Procedure) -> int:
        return LEGACY_ONLINE_LEVEL[OnlineMode(obj.online_mode)]


class RequiredDocumentSerializer(serializers.ModelSerializer[RequiredDocument]):
    template_url = serializers.SerializerMethodField()

    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "form", "quantity", "document_type_code", "reusable", "note", "template_url"]
        # The id names the document in a submission (documents[].required_document, reused[]).

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_template_url(self, obj: RequiredDocument) -> str | None:
        return obj.template.url if obj.template else None


class FeeSerializer(serializers.ModelSerializer[Fee]):
    class Meta:
        model = Fee
        fields = ["name", "amount", "note"]


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "15:00"})
class HourMinuteField(serializers.TimeField):
    """A local time of day as ``HH:MM``: not the RFC 3339 ``time`` format, which needs seconds and an offset."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ProcessingTimeSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True, source="time_amount")
    unit = serializers.CharField(source="time_unit")
    cutoff = HourMinuteField(allow_null=True)


class ProcedureVersionSerializer(serializers.ModelSerializer[ProcedureVersion]):
    processing_time = ProcessingTimeSerializer(source="*", read_only=True)
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "number",
            "published_at",
            "processing_time",
            "legal_basis",
            "result_type",
            "description",
            "conditions",
            "authorised_submission",
            "postal",
            "digital_signature_required",
            "required_documents",
            "fees",
            "form_schema",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    current = ProcedureVersionSerializer(source="current_version", read_only=True)
    agencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "agencies", "current"]


class ProcedureFilterSerializer(serializers.Serializer[Any]):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    sector = serializers.CharField(required=False, allow_blank=True, max_length=40)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=35)
    level = serializers.ChoiceField(choices=ImplementingLevel.choices, required=False, allow_blank=True)
    online_mode = serializers.ChoiceField(choices=OnlineMode.choices, required=False, allow_blank=True)
