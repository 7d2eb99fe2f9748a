"""The caller's own data store: ``GET /api/v1/me/documents`` (cursor pages), ``GET /api/v1/me/documents/{code}``
and its ``/file``, ``POST /api/v1/me/documents/{code}/shares`` (a time-limited link, shown once) and
``POST /api/v1/me/shares/{id}/revoke``. Staff have no store of their own here: they read an applicant's
through a dossier, in the back office."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.api import store_serializers as s
from motcua.api.pagination import LargeListPagination
from motcua.documents.exceptions import DocumentNotInStore
from motcua.documents.models import DigitizedDocument
from motcua.documents.selectors import my_document, my_documents, owner_id_for
from motcua.documents.services import share_link_create, share_link_revoke


def _own(request: Request, code: str) -> DigitizedDocument:
    document = my_document(request.user, code)
    if document is None:
        raise DocumentNotInStore()
    return document


class MyDocumentListView(generics.ListAPIView[DigitizedDocument]):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = LargeListPagination
    serializer_class = s.StoredDocumentSerializer

    def get_queryset(self) -> QuerySet[DigitizedDocument]:
        return my_documents(self.request.user)

    @extend_schema(operation_id="me_documents_list", summary="Documents of the caller's data store, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MyDocumentView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="me_documents_retrieve",
        summary="One document of the caller's data store",
        responses=s.StoredDocumentSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(s.StoredDocumentSerializer(_own(request, code)).data)


class MyDocumentFileView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is the file itself: an Accept naming its type must not be refused (406).
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="me_documents_file",
        summary="The file of one document of the caller's data store",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The stored file."),
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request, code: str) -> FileResponse:
        document = _own(request, code)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.download_name,
            content_type=document.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response


class MyDocumentShareView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="me_documents_share",
        summary="Share one document with a link open for 1 hour, 1 day or 7 days",
        request=s.ShareCreateSerializer,
        responses={201: s.ShareLinkCreatedSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        data = s.ShareCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link, token = share_link_create(
            actor=request.user,
            owner_id_number=owner_id_for(request.user),
            code=code,
            duration=data.validated_data["duration"],
        )
        link.url = request.build_absolute_uri(reverse("portal:share", kwargs={"token": token}))  # type: ignore[attr-defined]
        return Response(s.ShareLinkCreatedSerializer(link).data, status=status.HTTP_201_CREATED)


class MyShareRevokeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="me_shares_revoke",
        summary="Close a share link before it expires",
        request=None,
        responses=s.ShareLinkSerializer,
    )
    def post(self, request: Request, link_id: int) -> Response:
        link = share_link_revoke(actor=request.user, owner_id_number=owner_id_for(request.user), link_id=link_id)
        return Response(s.ShareLinkSerializer(link).data)
