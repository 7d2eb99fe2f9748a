"""Building blocks for reuse tests: two commune procedures that both ask for the birth extract (GKS) and
the ID card (CCCD), both reusable, and a citizen's first dossier whose components land in the store."""

from __future__ import annotations

import copy
from typing import Any

from motcua.catalog.constants import CATALOG_FORMAT
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.services import catalog_import
from motcua.documents.models import DigitizedDocument, DocumentType
from motcua.dossiers.models import Dossier
from motcua.workflow.services import Application, dossier_receive, dossier_submit_online
from tests.intake import make_pdf, pdf

CORRECTION = "1.004859"  # thay đổi, cải chính hộ tịch
RE_REGISTRATION = "1.004884"  # đăng ký lại khai sinh
AGENCY = "H99.101"
FORM = {"type": "object", "properties": {"ly_do": {"type": "string", "title": "Lý do"}}}
GKS_PDF = make_pdf("giay khai sinh")
CCCD_PDF = make_pdf("can cuoc")


def _document(name: str, type_code: str, *, reusable: bool) -> dict[str, Any]:
    return {"name": name, "form": "original", "quantity": 1, "document_type_code": type_code, "reusable": reusable}


def _procedure(code: str, name: str, form_name: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "sector": "HOTICH",
        "levels": ["commune"],
        "online_mode": "partial",
        "processing_time": {"amount": "3", "unit": "working_days"},
        "required_documents": [
            _document(form_name, "TK", reusable=False),
            _document("Giấy khai sinh hoặc Trích lục khai sinh", "GKS", reusable=True),
            _document("Thẻ căn cước của người yêu cầu", "CCCD", reusable=True),
        ],
        "form_schema": FORM,
        "agencies": [AGENCY, "H99.102"],
    }


REUSE_CATALOG: dict[str, Any] = {
    "format": CATALOG_FORMAT,
    "sectors": [{"code": "HOTICH", "name": "Hộ tịch"}],
    "procedures": [
        _procedure(CORRECTION, "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Tờ khai thay đổi, cải chính"),
        _procedure(RE_REGISTRATION, "Thủ tục đăng ký lại khai sinh", "Tờ khai đăng ký lại khai sinh"),
    ],
}


def reuse_catalog() -> None:
    """The two procedures, and the validity rules of their types: CCCD 6 months, GKS does not expire."""
    catalog_import(actor=None, document=copy.deepcopy(REUSE_CATALOG))
    DocumentType.objects.create(code="CCCD", name="Thẻ căn cước", validity_months=6)
    DocumentType.objects.create(code="GKS", name="Giấy khai sinh", validity_months=None)


def specs(code: str) -> dict[str, RequiredDocument]:
    """The required documents of a procedure's published version, by document type code."""
    version = Procedure.objects.get(code=code).current_version
    return {d.document_type_code: d for d in RequiredDocument.objects.filter(version=version)}


def application(code: str, **overrides: Any) -> Application:
    values: dict[str, Any] = {"procedure_code": code, "agency_code": AGENCY, "form_data": {"ly_do": "Sai tên đệm"}}
    values.update(overrides)
    return Application(**values)


def all_files(code: str) -> list[Any]:
    docs = specs(code)
    return [
        pdf("to-khai.pdf", docs["TK"].pk),
        pdf("giay-khai-sinh.pdf", docs["GKS"].pk, GKS_PDF),
        pdf("can-cuoc.pdf", docs["CCCD"].pk, CCCD_PDF),
    ]


def first_dossier(people: dict[str, Any]) -> Dossier:
    """The citizen's first dossier (1.004859) with every file, received: its components are in the store."""
    dossier = dossier_submit_online(
        actor=people["citizen"], application=application(CORRECTION, uploads=all_files(CORRECTION))
    )
    return dossier_receive(actor=people["desk"], code=dossier.code)


def stored(type_code: str, owner: str = "042190001234") -> DigitizedDocument:
    """The owner's stored document of that type (the citizen of the ``people`` fixture by default)."""
    return DigitizedDocument.objects.get(type_code=type_code, store__owner_id_number=owner)
