"""The SMS gateway's delivery receipts (issue 15, item 5): signed callbacks that settle an SMS as delivered
or failed (notifications.sms_gateway describes the wire and the signature)."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api.parsers import RequestTooLarge
from motcua.notifications.constants import NotificationStatus
from motcua.notifications.exceptions import ReceiptInvalid
from motcua.notifications.services import notification_receipt_record, sms_receipt_verify
from motcua.notifications.sms_gateway import SIGNATURE_HEADER, TIMESTAMP_HEADER

RECEIPT_MAX_BYTES = 16 * 1024  # a receipt is a few hundred bytes; nothing larger is read


class SmsReceiptSerializer(serializers.Serializer[Any]):
    message_id = serializers.CharField(max_length=64, help_text="The gateway's id of the message.")
    reference = serializers.CharField(
        max_length=40, help_text='Our id of the message, as sent to the gateway ("motcua-<number>").'
    )
    status = serializers.ChoiceField(choices=["delivered", "failed"])
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Why it failed, if it did."
    )
    at = serializers.DateTimeField(help_text="When the carrier reported it (ISO 8601 with offset).")


class SmsReceiptResultSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    status = serializers.ChoiceField(
        choices=NotificationStatus.choices, help_text="The message's status after this receipt."
    )
    changed = serializers.BooleanField(help_text="False when the message was settled already (a repeated receipt).")


class SmsReceiptView(APIView):
    authentication_classes: list[Any] = []  # the gateway proves itself by the signature, not by a session
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="sms_receipt",
        summary="Delivery receipt of the SMS gateway",
        description=(
            "Called by the brand-name SMS gateway, not by people. The raw JSON body is signed: header "
            f"`{TIMESTAMP_HEADER}` (Unix seconds) and `{SIGNATURE_HEADER}`, the hex HMAC-SHA-256 of "
            '`"<timestamp>." + body` with the receipt secret. A missing, wrong or stale signature (more than '
            "`MOTCUA_SMS_SIGNATURE_MAX_AGE_SECONDS` away) is the problem `missing_signature`, `bad_signature` or "
            "`stale_signature` (401); an unknown reference is `unknown_message` (404). The first receipt that "
            "settles a message wins; a repeated one answers `changed: false` and changes nothing."
        ),
        parameters=[
            OpenApiParameter(TIMESTAMP_HEADER, str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True),
        ],
        request=SmsReceiptSerializer,
        responses=SmsReceiptResultSerializer,
        examples=[
            OpenApiExample(
                "Delivered",
                value={
                    "message_id": "SMS000001",
                    "reference": "motcua-42",
                    "status": "delivered",
                    "reason": "",
                    "at": "2026-03-09T02:00:05+00:00",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > RECEIPT_MAX_BYTES:
            raise RequestTooLarge()
        body = request.body  # the exact bytes that were signed, before any parsing
        sms_receipt_verify(
            body=body,
            timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
            signature=request.headers.get(SIGNATURE_HEADER, ""),
        )
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ReceiptInvalid() from exc
        form = SmsReceiptSerializer(data=data if isinstance(data, dict) else {})
        if not form.is_valid():
            raise ReceiptInvalid(details=form.errors)
        receipt = form.validated_data
        notification, changed = notification_receipt_record(
            reference=receipt["reference"],
            gateway_message_id=receipt["message_id"],
            delivered=receipt["status"] == "delivered",
            reason=receipt["reason"],
            at=receipt["at"],
        )
        return Response({"reference": receipt["reference"], "status": notification.status, "changed": changed})
