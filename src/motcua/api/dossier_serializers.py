from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from motcua.core.identifiers import mask
from motcua.dossiers.constants import ReturnMethod
from motcua.dossiers.files import MAX_DOCUMENTS
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.dossiers.services import Upload
from motcua.payments.models import PaymentRequest

MAX_FILE_BYTES = 10 * 1024 * 1024


class DocumentListSerializer(serializers.ListSerializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        # Counted before any file is decoded (the service counts again for every channel).
        if isinstance(data, list) and len(data) > MAX_DOCUMENTS:
            message = _("Attach at most %(limit)d files.") % {"limit": MAX_DOCUMENTS}
            raise serializers.ValidationError(message, code="too_many_documents")
        return super().to_internal_value(data)


class DocumentInputSerializer(serializers.Serializer[Any]):
    class Meta:
        list_serializer_class = DocumentListSerializer

    name = serializers.CharField(max_length=255)
    required_document = serializers.IntegerField(
        required=False, allow_null=True, help_text="id of the procedure version's required document"
    )
    content_base64 = serializers.CharField(help_text="the file (PDF, JPEG or PNG, at most 10 MB), base64-encoded")

    def validate_content_base64(self, value: str) -> bytes:
        if len(value) > (MAX_FILE_BYTES * 4) // 3 + 4:
            raise serializers.ValidationError(_("The file is larger than 10 MB."), code="file_too_large")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError(_("The content is not valid base64."), code="bad_base64") from exc


def uploads_from(documents: list[dict[str, Any]]) -> list[Upload]:
    return [
        Upload(
            name=d["name"],
            stream=io.BytesIO(d["content_base64"]),
            size=len(d["content_base64"]),
            required_document_id=d.get("required_document"),
        )
        for d in documents
    ]


class ReusedListSerializer(serializers.ListSerializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) > MAX_DOCUMENTS:
            message = _("Take at most %(limit)d documents from the data store.") % {"limit": MAX_DOCUMENTS}
            raise serializers.ValidationError(message, code="too_many_documents")
        rows = super().to_internal_value(data)
        chosen = [row["required_document"] for row in rows]
        if len(chosen) != len(set(chosen)):
            message = _("Take at most one stored document for each required document.")
            raise serializers.ValidationError(message, code="reused_twice")
        return rows


class ReusedInputSerializer(serializers.Serializer[Any]):
    class Meta:
        list_serializer_class = ReusedListSerializer

    required_document = serializers.IntegerField(help_text="id of the procedure version's required document")
    code = serializers.CharField(
        max_length=160, help_text="code of a still-valid document of the applicant's data store (reuse-proposals)"
    )


class DossierCreateSerializer(serializers.Serializer[Any]):
    procedure_code = serializers.RegexField(r"^[0-9]\.[0-9]{6}$")
    agency_code = serializers.CharField(max_length=35, help_text="agency that offers the procedure")
    form_data = serializers.DictField(required=False, default=dict)
    return_method = serializers.ChoiceField(choices=ReturnMethod.choices, default=ReturnMethod.ELECTRONIC)
    return_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    authorised_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    authorised_id_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    documents = DocumentInputSerializer(many=True, required=False, default=list)
    case = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        max_length=50,
        help_text="code of the procedure case (trường hợp); empty: the one the form_data selects, else the first",
    )
    conditions_met = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=100,
        help_text="ids of conditional required documents whose condition (stated in words) applies",
    )
    reused = ReusedInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text=(
            "documents taken from the applicant's data store instead of a file (GET"
            " /procedures/{code}/reuse-proposals lists them); an expired one is refused (409 document_expired),"
            " one not in the applicant's store (404 document_not_in_store), for a document that cannot be"
            " reused (document_not_reusable) or of another type (document_type_mismatch)"
        ),
    )


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class SupplementRequestSerializer(serializers.Serializer[Any]):
    missing = serializers.ListField(child=serializers.CharField(max_length=1000), allow_empty=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SupplementSubmitSerializer(serializers.Serializer[Any]):
    documents = DocumentInputSerializer(many=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DossierDocumentSerializer(serializers.ModelSerializer[DossierDocument]):
    reused_from = serializers.CharField(
        source="reused_code",
        read_only=True,
        help_text="code of the data store document this one was taken from; empty for a file or paper",
    )

    class Meta:
        model = DossierDocument
        fields = [
            "name",
            "form",
            "content_type",
            "size",
            "sha256",
            "original_seen",
            "for_supplement",
            "added_at",
            "reused_from",
        ]


class DossierEventSerializer(serializers.ModelSerializer[DossierEvent]):
    class Meta:
        model = DossierEvent
        fields = ["at", "action", "from_status", "to_status", "national_status", "note", "due_at"]


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    procedure_version = serializers.IntegerField(source="procedure_version.number", read_only=True)
    receiving_agency = serializers.CharField(source="receiving_agency.code", read_only=True)
    competent_agency = serializers.CharField(source="competent_agency.code", read_only=True)
    applicant_id_number = serializers.SerializerMethodField(help_text="masked: only the last 3 digits")

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure_code",
            "procedure_name",
            "procedure_version",
            "receiving_agency",
            "competent_agency",
            "channel",
            "status",
            "national_status",
            "applicant_type",
            "applicant_name",
            "applicant_id_number",
            "return_method",
            "case_code",
            "case_name",
            "submitted_at",
            "received_at",
            "due_at",
            "closed_at",
        ]

    def get_applicant_id_number(self, obj: Dossier) -> str:
        return mask(obj.applicant_id_number)


class DossierPaymentSerializer(serializers.ModelSerializer[PaymentRequest]):
    """A fee or amount the applicant is asked to pay (payments.requests); ``receipt_number`` once paid."""

    class Meta:
        model = PaymentRequest
        fields = [
            "reference",
            "name",
            "moment",
            "full_amount",
            "amount",
            "exemption_reason",
            "status",
            "due_at",
            "method",
            "paid_at",
            "receipt_number",
        ]


class DossierDetailSerializer(DossierSerializer):
    documents = DossierDocumentSerializer(many=True, read_only=True)
    events = DossierEventSerializer(many=True, read_only=True)
    payments = DossierPaymentSerializer(source="payment_requests", many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "form_data", "documents", "events", "payments"]
