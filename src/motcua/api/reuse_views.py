"""What a submission may take from the caller's data store instead of a file (issue 14, DOMAIN.md §8)."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog.selectors import procedure_detail
from motcua.core.exceptions import NotFound, PermissionDenied
from motcua.documents.models import DigitizedDocument
from motcua.dossiers.exceptions import NotOffered
from motcua.identity.models import User
from motcua.identity.selectors import is_staff_member
from motcua.workflow.intake_rows import reuse_offers
from motcua.workflow.services import applicant_id_number
from motcua.workflow.version_parts import version_parts


class ProposedDocumentSerializer(serializers.ModelSerializer[DigitizedDocument]):
    class Meta:
        model = DigitizedDocument
        fields = ["code", "name", "type_code", "origin", "issuer", "issued_on", "valid_until", "digitized_at"]
        extra_kwargs = {
            "code": {"help_text": "give it as `reused[].code` when submitting"},
            "valid_until": {"help_text": "last day it may be taken; null: it does not expire"},
        }


class ReuseProposalSerializer(serializers.Serializer[Any]):
    required_document = serializers.IntegerField(help_text="id of the procedure version's required document")
    name = serializers.CharField(help_text="the required document's name")
    document_type_code = serializers.CharField()
    cases = serializers.ListField(
        child=serializers.CharField(), help_text="codes of the cases that ask for it; empty: every case"
    )
    proposals = ProposedDocumentSerializer(
        many=True, help_text="the caller's still-valid documents of that type, newest first (may be empty)"
    )


class ReuseProposalsSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(help_text="the procedure's code")
    documents = ReuseProposalSerializer(
        many=True, help_text="the documents of the published version that may be taken from the store"
    )


class ReuseProposalsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="procedures_reuse_proposals",
        summary="Documents of the caller's data store a submission of this procedure may take",
        description=(
            "For each document of the procedure's published version that may be taken from the data store,"
            " the caller's own documents of its type still valid today: components of earlier dossiers and"
            " results. Submit a choice as `reused: [{required_document, code}]` instead of a file. Citizens"
            " and organisations only (staff read a store only through a dossier). `agency`: when given, the"
            " agency must offer the procedure (`procedure_not_offered`)."
        ),
        parameters=[OpenApiParameter("agency", str, required=False, description="code of the agency applied to")],
        responses=ReuseProposalsSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        user = cast(User, request.user)
        if is_staff_member(user):
            raise PermissionDenied(_("Only citizens and organisations take documents from their own data store."))
        procedure = procedure_detail(code)
        if procedure is None or procedure.current_version is None:
            raise NotFound(_("Procedure %(code)s does not exist.") % {"code": code})
        agency = str(request.query_params.get("agency", "")).strip()
        if agency and not any(a.code == agency and a.is_active for a in procedure.agencies.all()):
            raise NotOffered()
        parts = version_parts(procedure.current_version)
        offers = reuse_offers(parts.documents, owner_id_number=applicant_id_number(user), on=timezone.localdate())
        rows = [
            {
                "required_document": document.pk,
                "name": document.name,
                "document_type_code": document.document_type_code,
                "cases": [case.code for case in document.cases.all()],
                "proposals": offers.get(document.pk, []),
            }
            for document in parts.documents
            if document.reusable and document.document_type_code
        ]
        body = {"procedure": procedure.code, "documents": rows}
        return Response(ReuseProposalsSerializer(body).data)
