"""Public check of a signed PDF: anyone holding a result may ask whether its signatures hold (DOMAIN.md §8)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.signing.verify import VERIFY_MAX_BYTES, verify_pdf


class SignatureFileSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The PDF to check (at most 20 MB).")

    def validate_file(self, value: Any) -> Any:
        if value.size > VERIFY_MAX_BYTES:
            raise serializers.ValidationError(_("The file is larger than 20 MB."))
        return value


class SignatureReportSerializer(serializers.Serializer[Any]):
    field_name = serializers.CharField(help_text="Name of the signature field in the PDF.")  # type: ignore[assignment]
    signer_name = serializers.CharField(help_text="Common name of the signing certificate.")
    signer_organisation = serializers.CharField()
    signer_subject = serializers.CharField(help_text="Subject of the signing certificate (RFC 4514).")
    issuer_name = serializers.CharField(help_text="Common name of the certificate's issuer.")
    signed_at = serializers.DateTimeField(
        allow_null=True, help_text="Signing time stated by the signer (no time-stamp authority)."
    )
    intact = serializers.BooleanField(help_text="The signed content is unchanged; only safe updates follow it.")
    trusted = serializers.BooleanField(help_text="The signer's certificate chains to a trusted root.")
    valid = serializers.BooleanField(help_text="Intact, trusted, and the signature checks out.")
    summary = serializers.CharField(help_text="One sentence for people, in the request's language.")


class SignatureVerificationSerializer(serializers.Serializer[Any]):
    signed = serializers.BooleanField(help_text="The PDF carries at least one signature.")
    all_valid = serializers.BooleanField(help_text="Signed, and every signature is valid.")
    signatures = SignatureReportSerializer(many=True)


class SignatureVerifyView(APIView):
    authentication_classes: list[Any] = []  # public and read-only: no session, hence no CSRF token needed
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="signatures_verify",
        summary="Check the digital signatures of a PDF",
        description=(
            "Upload a PDF (multipart field `file`, at most 20 MB). Each PAdES signature is checked offline: "
            "`intact` (the signed content is unchanged), `trusted` (the certificate chains to a root this "
            "deployment trusts) and `valid` (both, and the signature itself checks out). An unsigned PDF gives "
            "an empty list; anything that is not a PDF is the problem `not_a_pdf`."
        ),
        request=SignatureFileSerializer,
        responses=SignatureVerificationSerializer,
        examples=[
            OpenApiExample(
                "A result signed by a commune chairman",
                value={
                    "signed": True,
                    "all_valid": True,
                    "signatures": [
                        {
                            "field_name": "Signature1",
                            "signer_name": "Nguyễn Văn An",
                            "signer_organisation": "UBND xã Hòa Bình",
                            "signer_subject": "CN=Nguyễn Văn An,O=UBND xã Hòa Bình,C=VN",
                            "issuer_name": "motcua Demo CA (không dùng cho giao dịch thật)",
                            "signed_at": "2026-03-09T09:00:00+07:00",
                            "intact": True,
                            "trusted": True,
                            "valid": True,
                            "summary": "Chữ ký hợp lệ của Nguyễn Văn An; văn bản không bị thay đổi từ khi ký.",
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        form = SignatureFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = verify_pdf(form.validated_data["file"].read())
        return Response(SignatureVerificationSerializer(report).data)
