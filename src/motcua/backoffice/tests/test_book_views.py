"""Staff downloads of the control slip, the apology letter and the tracking book: scoped, with form errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.workflow.processing import dossier_apologize
from motcua.workflow.services import dossier_submit_online
from tests.books import at, pdf_text, returned_dossier
from tests.factories import make_staff
from tests.intake import birth_application
from tests.processing import process_staff, received_birth_dossier

CODE = "H99.101-260309-0001"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    return process_staff(province, settings, tmp_path)


@pytest.fixture
def returned(people, staff, monday_morning) -> Dossier:
    dossier = returned_dossier(people, staff, monday_morning)
    monday_morning.move_to(at(10, 11))
    return dossier


def slip_url(code: str = CODE) -> str:
    return reverse("backoffice:control-slip", kwargs={"code": code})


def apology_url(code: str = CODE) -> str:
    return reverse("backoffice:apology-letter", kwargs={"code": code})


BOOK_URL = "/can-bo/so-theo-doi/"


def test_urls() -> None:
    assert slip_url() == f"/can-bo/xu-ly/{CODE}/phieu-kiem-soat.pdf"
    assert apology_url() == f"/can-bo/xu-ly/{CODE}/thu-xin-loi.pdf"
    assert reverse("backoffice:tracking-book") == BOOK_URL


def test_the_desk_downloads_the_control_slip(client, people, returned) -> None:
    client.force_login(people["desk"])

    response = client.get(slip_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="phieu-kiem-soat-{CODE}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "16:30, ngày 09/03/2026 16:00, ngày 09/03/2026 Quá hạn" in text


def test_staff_of_the_consulted_agency_also_get_the_control_slip(client, staff, returned) -> None:
    client.force_login(staff["dept_specialist"])

    assert client.get(slip_url()).status_code == 200


def test_outsiders_unknown_codes_and_unreceived_dossiers_get_404(client, people, province, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    client.force_login(people["other_desk"])  # Xã Bình: neither received, competent nor holding
    assert client.get(slip_url(dossier.code)).status_code == 404

    client.force_login(people["desk"])
    assert client.get(slip_url("H99.101-260309-9999")).status_code == 404
    assert client.get(slip_url(dossier.code)).status_code == 200

    submitted = dossier_submit_online(actor=people["citizen"], application=birth_application())
    assert client.get(slip_url(submitted.code)).status_code == 404  # not received: nothing to control


def test_anonymous_users_log_in_citizens_are_refused_and_post_is_not_allowed(client, people, returned) -> None:
    assert client.get(slip_url()).status_code == 302
    assert client.get(apology_url()).status_code == 302
    client.force_login(people["citizen"])
    assert client.get(slip_url()).status_code == 403
    client.force_login(people["desk"])
    assert client.post(slip_url()).status_code == 405


def test_the_apology_letter_exists_once_the_leader_apologised(client, people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    client.force_login(people["desk"])
    assert client.get(apology_url(dossier.code)).status_code == 404

    dossier_apologize(actor=staff["leader"], code=dossier.code, reason="Chờ xác minh", new_due_at=at(12, 16))
    response = client.get(apology_url(dossier.code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="thu-xin-loi-{dossier.code}.pdf"'
    text = pdf_text(response.content)
    assert "Lý do chậm trễ: Chờ xác minh" in text
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả vào: 16:00, ngày 12/03/2026" in text
    client.force_login(people["other_desk"])
    assert client.get(apology_url(dossier.code)).status_code == 404


def test_the_book_form_offers_only_the_officers_agencies(client, people, monday_morning) -> None:
    client.force_login(people["desk"])

    response = client.get(BOOK_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="H99.101">Xã An (H99.101)</option>' in page
    assert "H99.102" not in page
    assert '<option value="H99.101.MC">Desk H99.101 (H99.101)</option>' in page
    assert 'name="from" value="2026-03-01"' in page
    assert 'name="to" value="2026-03-09"' in page


def test_the_book_downloads_as_xlsx(client, people, returned) -> None:
    client.force_login(people["desk"])

    response = client.get(
        BOOK_URL, {"agency": "H99.101", "desk": "H99.101.MC", "from": "2026-03-09", "to": "2026-03-10"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="so-theo-doi-H99.101-20260309-20260310.xlsx"'
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [rows[0][0], rows[2][0], rows[3][0]] == [
        "XÃ AN",
        "Từ ngày 09/03/2026 đến ngày 10/03/2026",
        "Nơi tiếp nhận: Desk H99.101",
    ]
    assert rows[7][:2] == (1, CODE)
    assert rows[-1][0] == "Tổng số: 1 hồ sơ"


def test_a_supervisor_of_the_province_chooses_any_agency_below(client, province, returned) -> None:
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    client.force_login(supervisor)

    response = client.get(BOOK_URL, {"agency": "H99.101", "from": "2026-03-09", "to": "2026-03-09"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            {"agency": "H99.101", "from": "2026-03-10", "to": "2026-03-09"},
            "Ngày kết thúc không được trước ngày bắt đầu.",
        ),
        (
            {"agency": "H99.101", "from": "2025-03-09", "to": "2026-03-10"},
            "Sổ chỉ lập cho tối đa 366 ngày; hãy chọn khoảng thời gian ngắn hơn.",
        ),
        ({"agency": "H99.102", "from": "2026-03-09", "to": "2026-03-09"}, "Hãy chọn một lựa chọn hợp lệ."),
        (
            {"agency": "H99.101", "desk": "H99.102.MC", "from": "2026-03-09", "to": "2026-03-09"},
            "Hãy chọn một lựa chọn hợp lệ.",
        ),
        ({"agency": "H99.101", "from": "", "to": "2026-03-09"}, "Trường này là bắt buộc."),
        ({"agency": "H99.101", "from": "09/03/2026x", "to": "2026-03-09"}, "Nhập một ngày hợp lệ."),
    ],
)
def test_the_book_form_explains_what_is_wrong(
    client, people, monday_morning, query: dict[str, str], error: str
) -> None:
    client.force_login(people["desk"])

    response = client.get(BOOK_URL, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert error in response.content.decode()


def test_a_period_of_exactly_366_days_is_accepted(client, people, monday_morning) -> None:
    client.force_login(people["desk"])

    response = client.get(BOOK_URL, {"agency": "H99.101", "from": "2025-03-10", "to": "2026-03-10"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


def test_a_desk_of_another_agency_in_scope_is_refused(client, province, monday_morning) -> None:
    supervisor = make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True)
    client.force_login(supervisor)

    response = client.get(
        BOOK_URL, {"agency": "H99.101", "desk": "H99.102.MC", "from": "2026-03-09", "to": "2026-03-09"}
    )

    assert response.status_code == 400
    assert "Bộ phận tiếp nhận này không thuộc cơ quan đã chọn." in response.content.decode()


def test_administrators_without_a_processing_role_are_refused(client, province, monday_morning) -> None:
    admin: Any = make_staff(Role.ADMINISTRATOR, province["province"], include_subagencies=True)
    client.force_login(admin)

    assert client.get(BOOK_URL).status_code == 403
