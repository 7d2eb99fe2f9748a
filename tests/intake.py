"""Building blocks for dossier tests: files, applications, the birth-registration case."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.services import Upload
from motcua.workflow.services import Application

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def make_pdf(note: str = "test document", *, pages: int = 1) -> bytes:
    """A small valid PDF (uploads are opened and checked: ``dossiers.files``); ``note`` makes its bytes
    differ from another's. The same note gives the same bytes (a static /ID)."""
    import pikepdf

    document = pikepdf.new()
    for _page in range(pages):
        document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = note
    out = io.BytesIO()
    document.save(out, static_id=True)
    return out.getvalue()


def make_image(fmt: str = "PNG", *, colour: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    """A small valid image (PNG or JPEG) that decodes in full."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, fmt)
    return out.getvalue()


PDF = make_pdf()
PNG = make_image("PNG")
JPEG = make_image("JPEG")


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
