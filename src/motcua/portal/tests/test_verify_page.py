"""The public page to check a signed PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.signing.provider import signer_for
from motcua.signing.tests.pdfs import LEADER, leader_certificate, result_pdf, with_page_text

pytestmark = pytest.mark.django_db

URL = reverse("portal:signature-verify")


@pytest.fixture
def signed(settings: Any, tmp_path: Path, monday_morning: Any) -> bytes:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    leader_certificate(settings.MOTCUA_SIGNING_DIR)
    return signer_for(LEADER).sign(result_pdf(), reason="Phê duyệt kết quả", location="Hòa Bình")


@pytest.fixture
def signing_dir_empty(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    return settings.MOTCUA_SIGNING_DIR


def upload(data: bytes, name: str = "ket-qua.pdf") -> Any:
    return Client().post(URL, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_the_page_offers_a_pdf_upload() -> None:
    response = Client().get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Xác minh chữ ký số</h1>" in html
    assert 'type="file" name="file" accept=".pdf,application/pdf"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_valid_signature_is_shown_with_signer_time_and_verdict(signed: bytes) -> None:
    response = upload(signed)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tất cả chữ ký đều hợp lệ: văn bản không bị thay đổi từ khi ký và người ký được tin cậy." in html
    assert '<th scope="row">Người ký</th><td>Nguyễn Văn Lãnh</td>' in html
    assert '<th scope="row">Cơ quan, tổ chức</th><td>UBND xã Hòa Bình</td>' in html
    assert '<th scope="row">Thời điểm ký</th><td>09/03/2026 09:00</td>' in html
    assert '<th scope="row">Toàn vẹn</th><td><span class="badge full">Có</span></td>' in html
    assert '<th scope="row">Tin cậy</th><td><span class="badge full">Có</span></td>' in html
    assert "Chữ ký hợp lệ của Nguyễn Văn Lãnh; văn bản không bị thay đổi từ khi ký." in html


def test_a_changed_document_is_not_valid(signed: bytes) -> None:
    response = upload(with_page_text(signed))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Có chữ ký không hợp lệ" in html
    assert '<th scope="row">Toàn vẹn</th><td><span class="badge none">Không</span></td>' in html
    assert "Văn bản đã bị thay đổi sau khi ký hoặc chữ ký bị hỏng." in html


def test_an_unsigned_pdf_says_so(signed: bytes) -> None:
    response = upload(result_pdf())

    assert response.status_code == 200
    assert "Tệp PDF này không có chữ ký số." in response.content.decode()


@pytest.mark.parametrize("data", [b"GIF89a not a pdf", b"%PDF-1.7 broken"])
def test_not_a_pdf_is_a_form_error(signing_dir_empty: Any, data: bytes) -> None:
    response = upload(data, name="anh.gif")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp này không phải là văn bản PDF. Hãy chọn tệp PDF của kết quả." in html
    assert "Kết quả kiểm tra" not in html


def test_no_file_is_a_form_error() -> None:
    response = Client().post(URL, {})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in html
    assert "Kết quả kiểm tra" not in html


def test_a_file_over_the_limit_is_refused(monkeypatch: Any, signed: bytes) -> None:
    monkeypatch.setattr("motcua.portal.verify_views.VERIFY_MAX_BYTES", len(signed) - 1)

    response = upload(signed)

    assert response.status_code == 400
    assert "Tệp lớn hơn 20 MB." in response.content.decode()
