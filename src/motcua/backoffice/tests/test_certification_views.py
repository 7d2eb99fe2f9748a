"""The certification page (the desk compares, the certifier certifies) and the certification book (page
and XLSX, exact content)."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.documents.models import Certification
from motcua.dossiers.models import Dossier
from tests.certification import certification_setup, received_copy_request
from tests.factories import row_counts
from tests.intake import HCM

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=HCM)


@pytest.fixture
def staff(province: dict[str, Any], people: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    return certification_setup(province, settings, tmp_path)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_desk_compares_and_the_certifier_certifies_on_the_page(people, staff) -> None:
    with time_machine.travel(MONDAY, tick=False):
        dossier = received_copy_request(people, pages=3)
        url = reverse("backoffice:certification-dossier", args=[dossier.code])
        desk = _client(people["desk"])
        page = desk.get(url).content.decode()
        assert 'id="quote-pages">3 trang, 1 bản' in page
        assert 'id="quote-fee">5.000 đ' in page
        assert 'id="compare-form"' in page and 'id="certify-form"' not in page

        before = row_counts()
        refused = desk.post(url, {"step": "compare"})
        assert refused.status_code == 400
        assert "Xác nhận rằng bạn đã đối chiếu bản scan với bản chính." in refused.content.decode()
        assert row_counts() == before

        assert desk.post(url, {"step": "compare", "compared": "on"}).status_code == 302
        certifier = _client(staff["certifier"])
        page = certifier.get(url).content.decode()
        assert 'id="certify-form"' in page and 'id="compare-form"' not in page
        assert certifier.post(url, {"step": "certify"}).status_code == 302

        page = certifier.get(url).content.decode()
        assert 'id="certification-number">1<' in page and "01/2026-SCT/BS" in page
        assert 'id="certification-fee">5.000 đ' in page
        assert Certification.objects.get(dossier=dossier).fee == 5000
        pdf = certifier.get(reverse("backoffice:processing-result", args=[dossier.code]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        processing = certifier.get(reverse("backoffice:processing-dossier", args=[dossier.code])).content.decode()
        assert 'id="certification-link"' in processing


def test_the_certifier_is_not_offered_the_approval_of_a_drawn_up_result(people, staff) -> None:
    dossier = received_copy_request(people)
    _client(people["desk"]).post(
        reverse("backoffice:certification-dossier", args=[dossier.code]), {"step": "compare", "compared": "on"}
    )
    page = _client(staff["certifier"]).get(reverse("backoffice:processing-dossier", args=[dossier.code]))
    assert "/approve/" not in page.content.decode()


def test_a_step_not_offered_to_the_person_is_not_found(people, staff) -> None:
    dossier = received_copy_request(people)
    url = reverse("backoffice:certification-dossier", args=[dossier.code])
    before = row_counts()
    assert _client(staff["certifier"]).post(url, {"step": "certify"}).status_code == 404  # not compared yet
    assert _client(people["other_desk"]).get(url).status_code == 404  # another commune's desk
    assert row_counts() == before
    assert Dossier.objects.get(pk=dossier.pk).holder_role == "desk_officer"


def _certify(people: dict[str, Any], staff: dict[str, Any], **kwargs: Any) -> Dossier:
    from motcua.workflow.certification import dossier_certify, dossier_original_compare

    dossier = received_copy_request(people, **kwargs)
    dossier_original_compare(actor=people["desk"], code=dossier.code)
    return dossier_certify(actor=staff["certifier"], code=dossier.code)


@time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=HCM), tick=False)
def test_the_certification_book_page_and_xlsx(people, staff) -> None:
    with time_machine.travel(MONDAY, tick=False):
        first = _certify(people, staff, pages=1)
        second = _certify(people, staff, pages=250, copies=2)
    citizen = people["citizen"]
    client = _client(staff["clerk"])
    url = reverse("backoffice:certification-book")

    page = client.get(url, {"agency": "H99.101", "year": 2026}).content.decode()
    assert "01/2026-SCT/BS" in page and first.code in page and second.code in page

    response = client.get(url, {"agency": "H99.101", "year": 2026, "xlsx": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="so-chung-thuc-H99.101-2026.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0][0] == "XÃ AN"
    assert rows[1][0] == "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH"
    assert rows[2][0] == "Quyển số: 01/2026-SCT/BS"
    assert rows[5][:11] == (
        "STT",
        "Số chứng thực",
        "Ngày, tháng, năm chứng thực",
        "Họ tên người yêu cầu chứng thực",
        "Số giấy tờ tùy thân / mã số doanh nghiệp",
        "Tên giấy tờ, văn bản được chứng thực",
        "Số trang / số bản",
        "Lệ phí (đồng)",
        "Người thực hiện chứng thực",
        "Mã hồ sơ",
        "Ký nhận",
    )
    name = citizen.full_name
    certifier = f"{staff['certifier'].full_name} (Lãnh đạo Xã An)"
    document = "Bằng tốt nghiệp trung học phổ thông"
    day = datetime(2026, 3, 9)
    assert rows[6][:11] == (
        1,
        1,
        day,
        name,
        citizen.personal_id,
        document,
        "1 trang / 1 bản",
        2000,
        certifier,
        first.code,
        None,
    )
    assert rows[7][:11] == (
        2,
        2,
        day,
        name,
        citizen.personal_id,
        document,
        "250 trang / 2 bản",
        400000,
        certifier,
        second.code,
        None,
    )
    assert rows[9][0] == "Tổng số: 2 việc chứng thực; lệ phí 402.000 đồng"
    assert date(2026, 3, 9) == rows[6][2].date()


def test_the_book_is_only_of_the_persons_agencies(people, staff) -> None:
    response = _client(staff["other_leader"]).get(
        reverse("backoffice:certification-book"), {"agency": "H99.101", "year": 2026, "xlsx": "1"}
    )
    assert response.status_code == 400
