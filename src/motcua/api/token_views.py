"""The caller's own API tokens: ``GET/POST /api/v1/tokens``, ``POST /api/v1/tokens/{id}/rotate``,
``DELETE /api/v1/tokens/{id}``. A key is in the answer once, when it is made."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.identity.second_factor import is_second_factor_verified
from motcua.identity.token_models import ApiToken
from motcua.identity.tokens import api_token_create, api_token_revoke, api_token_rotate, token_of, tokens_of


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "active"]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The key: shown only in this answer.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)


def _proof(request: Request) -> dict[str, bool]:
    # request.auth is the ApiToken when the call came with a key; None for the browser's session.
    return {"from_session": request.auth is None, "second_factor_passed": is_second_factor_verified(request.user)}


def _created(token: ApiToken, key: str) -> Response:
    token.key = key  # type: ignore[attr-defined]
    return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ApiTokenSerializer(many=True), operation_id="tokens_list")
    def get(self, request: Request) -> Response:
        return Response(ApiTokenSerializer(tokens_of(request.user), many=True).data)

    @extend_schema(
        request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer}, operation_id="tokens_create"
    )
    def post(self, request: Request) -> Response:
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(actor=request.user, name=data.validated_data["name"], **_proof(request))
        return _created(token, key)


class ApiTokenView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None}, operation_id="tokens_revoke")
    def delete(self, request: Request, token_id: int) -> Response:
        api_token_revoke(actor=request.user, token=token_of(request.user, token_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenRotateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: ApiTokenCreatedSerializer}, operation_id="tokens_rotate")
    def post(self, request: Request, token_id: int) -> Response:
        token, key = api_token_rotate(actor=request.user, token=token_of(request.user, token_id), **_proof(request))
        return _created(token, key)
