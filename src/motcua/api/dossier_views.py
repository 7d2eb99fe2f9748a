"""Dossier endpoints: submission with an Idempotency-Key, scoped reads, and one endpoint per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.api import dossier_serializers as s
from motcua.api.pagination import LargeListPagination
from motcua.core.exceptions import NotFound
from motcua.dossiers.models import REUSE_SOURCE, Dossier, DossierDocument
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.identity.models import User
from motcua.workflow import services

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "maxLength": services.MAX_IDEMPOTENCY_KEY},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "At most 80 characters. Repeating a request with the same key and body returns the same dossier (200);"
        " the same key with another body is refused (409, idempotency_key_reused)."
    ),
)


@extend_schema_view(
    list=extend_schema(summary="Dossiers the caller may see (own dossiers, or those of the caller's agencies)"),
    retrieve=extend_schema(summary="One dossier with its documents and timeline"),
)
class DossierViewSet(viewsets.GenericViewSet[Dossier]):
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Z.]+-[0-9]{6}-[0-9]{4,}"
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = LargeListPagination

    def get_queryset(self) -> QuerySet[Dossier]:
        return dossiers_visible_to(self.request.user).order_by("-id")

    def get_serializer_class(self) -> Any:
        return s.DossierDetailSerializer if self.action != "list" else s.DossierSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.DossierSerializer(page, many=True).data)

    def _detail(self, code: str, *, status_code: int = 200) -> Response:
        dossier = dossier_for(self.request.user, code)
        if dossier is None:
            raise NotFound()
        return Response(s.DossierDetailSerializer(dossier).data, status=status_code)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._detail(code)

    @extend_schema(
        summary="Submit a dossier online",
        request=s.DossierCreateSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.DossierDetailSerializer, 200: s.DossierDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _valid(s.DossierCreateSerializer, request)
        application = services.Application(
            procedure_code=data["procedure_code"],
            agency_code=data["agency_code"],
            form_data=data["form_data"],
            uploads=s.uploads_from(data["documents"]),
            return_method=data["return_method"],
            return_address=data["return_address"],
            authorised_name=data["authorised_name"],
            authorised_id_number=data["authorised_id_number"],
            case=data["case"],
            conditions_met=set(data["conditions_met"]),
            reused={row["required_document"]: row["code"] for row in data["reused"]},
        )
        submission = services.dossier_submit_online_once(
            actor=_user(request), application=application, idempotency_key=request.headers.get("Idempotency-Key")
        )
        return _respond(submission.dossier, status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)

    def _act(self, code: str, act: Callable[[], Dossier]) -> Response:
        # Visibility first: a dossier the caller may not see is "not found", never "forbidden".
        if not dossiers_visible_to(self.request.user).filter(code=code).exists():
            raise NotFound()
        return _respond(act())

    @extend_schema(summary="Receive an online dossier (desk)", request=None)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, code: str) -> Response:
        return self._act(code, lambda: services.dossier_receive(actor=_user(request), code=code))

    @extend_schema(summary="Refuse to receive, with the reason (desk)", request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, code: str) -> Response:
        data = _valid(s.ReasonSerializer, request)
        return self._act(
            code,
            lambda: services.dossier_refuse(
                actor=_user(request),
                code=code,
                reason=data["reason"],
            ),
        )

    @extend_schema(summary="Request a supplement (once per dossier)", request=s.SupplementRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-supplement")
    def request_supplement(self, request: Request, code: str) -> Response:
        data = _valid(s.SupplementRequestSerializer, request)
        return self._act(
            code,
            lambda: services.dossier_request_supplement(
                actor=_user(request), code=code, missing=data["missing"], note=data["note"]
            ),
        )

    @extend_schema(summary="Give the requested supplement", request=s.SupplementSubmitSerializer)
    @action(detail=True, methods=["post"], url_path="submit-supplement")
    def submit_supplement(self, request: Request, code: str) -> Response:
        data = _valid(s.SupplementSubmitSerializer, request)
        return self._act(
            code,
            lambda: services.dossier_submit_supplement(
                actor=_user(request),
                code=code,
                uploads=s.uploads_from(data["documents"]),
                note=data["note"],
            ),
        )

    @extend_schema(summary="Withdraw the dossier, with the reason", request=s.ReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, code: str) -> Response:
        data = _valid(s.ReasonSerializer, request)
        return self._act(
            code,
            lambda: services.dossier_withdraw(
                actor=_user(request),
                code=code,
                reason=data["reason"],
            ),
        )


def _respond(dossier: Dossier, status_code: int = status.HTTP_200_OK) -> Response:
    """The dossier a service returned, with its documents and timeline (no second look-up)."""
    documents = Prefetch("documents", queryset=DossierDocument.objects.select_related(REUSE_SOURCE))
    prefetch_related_objects([dossier], documents, "events")
    return Response(s.DossierDetailSerializer(dossier).data, status=status_code)


def _user(request: Request) -> User:
    """The authenticated caller (IsAuthenticated has already refused anonymous requests)."""
    return cast(User, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
