from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.services import Upload
from motcua.identity.constants import Role
from motcua.workflow.services import Application
from tests.factories import make_citizen, make_staff

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n% test document\n" + b"x" * 200


def pdf(name: str = "to-khai.pdf", required_document_id: int | None = None, data: bytes = PDF) -> Upload:
    return Upload(name=name, stream=io.BytesIO(data), size=len(data), required_document_id=required_document_id)


@pytest.fixture
def monday_morning() -> Any:
    """Monday 2026-03-09 09:00 in Hà Nội time: an ordinary working day."""
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(province: dict[str, Any], catalog: Any) -> dict[str, Any]:
    return {
        "citizen": make_citizen(personal_id="042190001234", phone="0912345678"),
        "desk": make_staff(Role.DESK_OFFICER, province["commune_a"]),
        "other_desk": make_staff(Role.DESK_OFFICER, province["commune_b"]),
        "specialist": make_staff(Role.SPECIALIST, province["commune_a"]),
    }


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
