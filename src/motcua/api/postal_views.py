"""The carrier's status callback: where a parcel carrying a result is (integrations/postal.py).

Not a session endpoint: the carrier proves itself with the signature of the body (HMAC-SHA-256 with the
secret both sides hold), so no cookie, no CSRF token and no API token are read. Applying a status is
idempotent and out-of-order safe (``postal_services.shipment_status_apply``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.exceptions import DomainError
from motcua.integrations.postal import callback_signature_valid
from motcua.integrations.postal_models import CARRIER_STATUSES, ShipmentStatus, ShipmentUpdate
from motcua.integrations.postal_services import shipment_status_apply


class CallbackSignatureInvalid(DomainError):
    code = "signature_invalid"
    status = 401
    default_message = _("The request is not signed by the carrier.")


# A pattern, not an enum: drf-spectacular names enum components after the field, and "status" is taken.
@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(s.value for s in CARRIER_STATUSES) + ")$"})
class CarrierStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(s.value, s.value) for s in CARRIER_STATUSES], **kwargs)


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(ShipmentStatus.values) + ")$"})
class ShipmentStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(s.value, s.value) for s in ShipmentStatus], **kwargs)


class PostalStatusSerializer(serializers.Serializer[Any]):
    tracking_number = serializers.CharField(max_length=40, help_text="The carrier's tracking number (UPU S10).")
    status = CarrierStatusField()
    at = serializers.DateTimeField(help_text="When the carrier recorded the status, with its time zone.")


class PostalStatusAnswerSerializer(serializers.Serializer[Any]):
    tracking_number = serializers.CharField()
    status = ShipmentStatusField(help_text="The shipment's status after this update.")
    status_at = serializers.DateTimeField()
    applied = serializers.BooleanField(help_text="False: a status already known, or older than the current one.")


_HEADERS = [
    OpenApiParameter("X-Client-Id", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True),
    OpenApiParameter(
        "X-Timestamp", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True, description="Unix seconds"
    ),
    OpenApiParameter(
        "X-Signature",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        description="hex HMAC-SHA-256 of `<X-Timestamp>.<raw body>` with the shared secret",
    ),
]


class PostalStatusView(APIView):
    authentication_classes: list[Any] = []  # signed by the carrier instead: no session, no CSRF
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="postal_status_callback",
        summary="The carrier reports a parcel's status",
        description=(
            "Called by the postal carrier when a parcel carrying a result changes status (accepted, "
            "in_transit, failed, delivered, returned). The request must be signed (headers below), or it is "
            "the problem `signature_invalid` and nothing changes. Sending the same status again, or an older "
            "one after a newer, is answered 200 with `applied: false`: a shipment's status never goes back. "
            "Problems: `signature_invalid` (401), `validation_failed` (400), `shipment_not_found` (404)."
        ),
        parameters=_HEADERS,
        request=PostalStatusSerializer,
        responses=PostalStatusAnswerSerializer,
        examples=[
            OpenApiExample(
                "Delivered",
                value={"tracking_number": "EB000000014VN", "status": "delivered", "at": "2026-03-12T10:15:00+07:00"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        body = request.body  # the exact bytes that were signed, read before any parsing
        if not callback_signature_valid(
            body=body,
            timestamp=request.headers.get("X-Timestamp", ""),
            signature=request.headers.get("X-Signature", ""),
            client_id=request.headers.get("X-Client-Id", ""),
        ):
            raise CallbackSignatureInvalid()
        data = PostalStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shipment, applied = shipment_status_apply(
            tracking_number=data.validated_data["tracking_number"],
            status=data.validated_data["status"],
            at=data.validated_data["at"],
            source=ShipmentUpdate.Source.CALLBACK,
        )
        answer = {
            "tracking_number": shipment.tracking_number,
            "status": shipment.status,
            "status_at": shipment.status_at,
            "applied": applied,
        }
        return Response(PostalStatusAnswerSerializer(answer).data)
