"""Building blocks for dossier tests: files, applications, the birth-registration case."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.services import Upload
from motcua.workflow.services import Application

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n% test document\n" + b"x" * 200


def pdf(name: str = "to-khai.pdf", required_document_id: int | None = None, data: bytes = PDF) -> Upload:
    return Upload(name=name, stream=io.BytesIO(data), size=len(data), required_document_id=required_document_id)


def birth_documents() -> list[RequiredDocument]:
    return list(RequiredDocument.objects.filter(version__procedure__code="1.001193").order_by("position"))


def birth_application(**overrides: Any) -> Application:
    docs = birth_documents()
    values: dict[str, Any] = {
        "procedure_code": "1.001193",
        "agency_code": "H99.101",
        "form_data": {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-03-01"},
        "uploads": [pdf(required_document_id=docs[0].pk), pdf("giay-chung-sinh.pdf", docs[1].pk)],
    }
    values.update(overrides)
    return Application(**values)
