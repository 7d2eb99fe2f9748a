"""Callbacks of the online payment providers (payments/providers, payments/online.py).

Not a session endpoint: a provider proves itself by the signature of what it sends, so no cookie, no CSRF
token and no API token are read. Every callback is kept and answered HTTP 200 with the body the provider
expects (its result code says whether we took it); only a verified one that matches its transaction changes
anything, once.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api.parsers import RequestTooLarge
from motcua.payments.online import payment_callback_handle

CALLBACK_MAX_BYTES = 16 * 1024  # a callback is a few hundred bytes


class PaymentCallbackAnswerSerializer(serializers.Serializer[Any]):
    responseCode = serializers.CharField(  # the national platform's own name
        required=False,
        help_text="national: 00 taken (paid or failure recorded), 02 already confirmed, 01 unknown transaction, "
        "04 wrong amount or currency, 97 bad signature.",
    )
    RspCode = serializers.CharField(  # the gateway's own name
        required=False, help_text="gateway: the same codes as responseCode."
    )
    message = serializers.CharField(required=False, help_text="national: the outcome (applied, duplicate, …).")
    Message = serializers.CharField(required=False, help_text="gateway: the outcome (applied, duplicate, …).")


def _data(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = {key: request.query_params.get(key) for key in request.query_params}
    if request.method == "POST" and request.body:
        content_type = request.content_type or ""
        if content_type.startswith("application/json"):
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                body = {}
            data.update(body if isinstance(body, dict) else {})
        else:
            try:
                form = request._request.POST  # urlencoded or multipart, parsed by Django from the bytes read above
            except MultiPartParserError:
                form = QueryDict()  # unreadable: recorded as a forged callback like any unsigned one
            data.update({key: form.get(key) for key in form})
    return data


_SCHEMA = extend_schema(
    operation_id="payment_callback",
    summary="Callback of an online payment provider",
    description=(
        "Called by a payment provider, not by people. `national` (the national payment platform) POSTs JSON "
        "with partnerCode, referenceCode, amount, currency, transactionNo, responseCode, payTime and checksum "
        "(hex SHA-256 of those fields joined by `|`, then `|` and the secret); `gateway` sends its IPN as a GET "
        "(or a form POST) of `gw_` parameters signed by `gw_SecureHash` (hex HMAC-SHA512 of the sorted, "
        "URL-encoded `gw_` parameters). Every callback is recorded; the answer is always HTTP 200 with the "
        "provider's result code: 00 taken, 02 already confirmed (a replay, a duplicate, or a payment after the "
        "request was cancelled: to refund), 01 unknown transaction, 04 amount or currency mismatch, "
        "97 bad signature. An unknown provider is the problem `payment_provider_unknown` (404)."
    ),
    parameters=[
        OpenApiParameter("provider", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["national", "gateway"]),
    ],
    request={"application/json": OpenApiTypes.OBJECT, "application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
    responses=PaymentCallbackAnswerSerializer,
    examples=[
        OpenApiExample(
            "National platform: paid",
            value={
                "partnerCode": "demo-province",
                "referenceCode": "H99.101-260309-0001.TT01.1",
                "amount": "8000",
                "currency": "VND",
                "transactionNo": "SB00000001",
                "responseCode": "00",
                "payTime": "20260309101500",
                "checksum": "<64 hex digits>",
            },
            request_only=True,
        ),
        OpenApiExample("Taken", value={"responseCode": "00", "message": "applied"}, response_only=True),
    ],
)


class PaymentCallbackView(APIView):
    authentication_classes: list[Any] = []  # signed by the provider instead: no session, no CSRF
    permission_classes = [permissions.AllowAny]

    def _handle(self, request: Request, provider: str) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > CALLBACK_MAX_BYTES:
            raise RequestTooLarge()
        answer = payment_callback_handle(
            provider=provider, data=_data(request), remote_address=request.META.get("REMOTE_ADDR")
        )
        return Response(answer.body)

    @_SCHEMA
    def post(self, request: Request, provider: str) -> Response:
        return self._handle(request, provider)

    @extend_schema(
        operation_id="payment_callback_get",
        summary="Callback of an online payment provider (GET style)",
        description="The same callback sent as a GET with its fields in the query string (the gateway's IPN).",
        parameters=[
            OpenApiParameter("provider", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["national", "gateway"]),
        ],
        responses=PaymentCallbackAnswerSerializer,
    )
    def get(self, request: Request, provider: str) -> Response:
        return self._handle(request, provider)
