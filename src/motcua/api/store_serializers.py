from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from motcua.documents.constants import ShareDuration
from motcua.documents.models import DigitizedDocument, ShareLink


class StoredDocumentSerializer(serializers.ModelSerializer[DigitizedDocument]):
    """A document of the caller's data store; its file is at ``/api/v1/me/documents/{code}/file``."""

    expired = serializers.SerializerMethodField()

    class Meta:
        model = DigitizedDocument
        fields = [
            "code",
            "name",
            "origin",
            "type_code",
            "issuer",
            "issued_on",
            "valid_until",
            "expired",
            "content_type",
            "size",
            "sha256",
            "text_layer",
            "signer_subject",
            "digitized_at",
        ]
        read_only_fields = fields

    def get_expired(self, document: DigitizedDocument) -> bool:
        """True once the last day of validity has passed (Asia/Ho_Chi_Minh)."""
        return document.valid_until is not None and document.valid_until < timezone.localdate()


class ShareCreateSerializer(serializers.Serializer[Any]):
    duration = serializers.ChoiceField(choices=ShareDuration.choices, help_text="1h, 1d or 7d.")


class ShareLinkSerializer(serializers.ModelSerializer[ShareLink]):
    document = serializers.CharField(source="document.code", read_only=True)

    class Meta:
        model = ShareLink
        fields = ["id", "document", "created_at", "expires_at", "revoked_at"]
        read_only_fields = fields


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="The public link: shown only in this answer.")

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url"]
        read_only_fields = fields
