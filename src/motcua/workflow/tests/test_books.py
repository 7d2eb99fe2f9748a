"""The official books of processing: the control slip rebuilt from the event log, the apology letter, and
the tracking book of a desk or unit (Thông tư 03/2025/TT-VPCP)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from motcua.core.working_time import Timeliness
from motcua.dossiers.models import Dossier
from motcua.workflow.books import (
    ApologyNotAvailable,
    ControlSlipNotAvailable,
    apology_letter_pdf,
    control_slip_data,
    control_slip_pdf,
    tracking_book_rows,
    tracking_book_xlsx,
)
from motcua.workflow.processing import (
    dossier_apologize,
    dossier_confirm_payment,
    dossier_forward,
    dossier_request_payment,
    dossier_send_back,
)
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.books import at, pdf_text, returned_dossier
from tests.intake import birth_application
from tests.processing import process_staff, received_birth_dossier

EARLY, ON_TIME, LATE = Timeliness.FINISHED_EARLY, Timeliness.ON_TIME, Timeliness.LATE


@pytest.fixture
def staff(province, people, settings, tmp_path, monday_morning):
    # Certificates are issued at the frozen time, so they are valid when the leader signs.
    return process_staff(province, settings, tmp_path)


@pytest.fixture
def returned(people, staff, monday_morning) -> Dossier:
    citizen = people["citizen"]
    citizen.address = "Số 1 đường Lê Lợi, Xã An"
    citizen.save(update_fields=["address"])
    return returned_dossier(people, staff, monday_morning)


def names(people: dict[str, Any], staff: dict[str, Any]) -> dict[str, str]:
    return {
        "desk": people["desk"].full_name,
        "specialist": people["specialist"].full_name,
        "leader": staff["leader"].full_name,
        "clerk": staff["clerk"].full_name,
        "dept": staff["dept_specialist"].full_name,
        "applicant": people["citizen"].full_name,
    }


def test_control_slip_has_one_row_per_hand_over_with_its_step_result(people, staff, returned) -> None:
    n = names(people, staff)
    slip = control_slip_data(returned, now=at(10, 11))

    rows = [
        (r.number, r.giver_unit, r.giver, r.receiver_unit, r.receiver, r.at, r.step_due_at, r.timeliness, r.notes)
        for r in slip.handovers
    ]
    assert rows == [
        (
            1,
            "Xã An – Desk H99.101",
            n["desk"],
            "Xã An – Chuyên viên xử lý",
            f"{n['specialist']} (nhận từ hàng chờ lúc 09:30, ngày 09/03/2026)",
            at(9, 9, 15),
            at(9, 9, 15),
            ON_TIME,
            [],
        ),
        (
            2,
            "Xã An – Chuyên viên xử lý",
            n["specialist"],
            "Xã An – Lãnh đạo",
            n["leader"],
            at(9, 16, 30),
            at(9, 16),
            LATE,
            [
                "Lấy ý kiến cơ quan phối hợp lúc 09:45, ngày 09/03/2026",
                "Nhận ý kiến của cơ quan phối hợp lúc 10:00, ngày 09/03/2026",
            ],
        ),
        (
            3,
            "Xã An – Lãnh đạo",
            n["leader"],
            "Xã An – Văn thư",
            n["clerk"],
            at(10, 8),
            at(10, 8, 30),
            EARLY,
            ["Phê duyệt, ký số kết quả"],
        ),
        (
            4,
            "Xã An – Văn thư",
            n["clerk"],
            "Xã An – Desk H99.101",
            "",
            at(10, 8, 15),
            at(10, 8, 15),
            ON_TIME,
            ["Vào số, phát hành kết quả số KQ.H99.000001"],
        ),
        (
            5,
            "Xã An – Desk H99.101",
            n["desk"],
            "Người nộp hồ sơ (trực tiếp tại Bộ phận Một cửa)",
            n["applicant"],
            at(10, 8, 40),
            at(10, 9),
            EARLY,
            ["Trả kết quả"],
        ),
    ]
    assert [r.result for r in slip.handovers] == ["Đúng hạn", "Quá hạn", "Trước hạn", "Đúng hạn", "Trước hạn"]
    consultations = [
        (c.agency, c.asked_at, c.asked_by, c.due_at, c.answered_at, c.answered_by, c.result) for c in slip.consultations
    ]
    assert consultations == [
        ("Sở Tư pháp", at(9, 9, 45), n["specialist"], at(9, 15, 15), at(9, 10), n["dept"], "Trước hạn")
    ]
    assert slip.current is None  # returned: nobody holds it any more


def test_control_slip_pdf_prints_the_rows_and_their_results(people, staff, returned, monday_morning) -> None:
    n = names(people, staff)
    monday_morning.move_to(at(10, 11))

    text = pdf_text(control_slip_pdf(returned))

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Mã hồ sơ: H99.101-260309-0001" in text
    assert "Ngày 10 tháng 03 năm 2026" in text
    assert f"Người nộp hồ sơ: {n['applicant']}" in text
    assert "Thủ tục: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193); thời hạn giải quyết: 1 ngày làm việc" in text
    assert "Cơ quan chủ trì giải quyết: Xã An" in text
    assert "Cơ quan phối hợp giải quyết: Sở Tư pháp" in text
    assert "Thời gian nhận hồ sơ: 09:00, ngày 09/03/2026" in text
    assert "Thời gian hẹn trả kết quả: 09:00, ngày 10/03/2026" in text
    assert "Thời gian có kết quả: 08:15, ngày 10/03/2026 (trước hạn)" in text
    table = text[text.index("Quá trình giao, nhận hồ sơ:") : text.index("Thời gian có kết quả")]
    # Each row: number, giver, receiver, hand-over time, step deadline, result (then notes).
    expected_rows = [
        (
            f"1 Giao: Xã An – Desk H99.101; người giao: {n['desk']} Nhận: Xã An – Chuyên viên xử lý; "
            f"người nhận: {n['specialist']} (nhận từ hàng chờ lúc 09:30, ngày 09/03/2026) "
            "09:15, ngày 09/03/2026 09:15, ngày 09/03/2026 Đúng hạn"
        ),
        (
            f"2 Giao: Xã An – Chuyên viên xử lý; người giao: {n['specialist']} Nhận: Xã An – Lãnh đạo; "
            f"người nhận: {n['leader']} 16:30, ngày 09/03/2026 16:00, ngày 09/03/2026 Quá hạn "
            "Lấy ý kiến cơ quan phối hợp lúc 09:45, ngày 09/03/2026; "
            "Nhận ý kiến của cơ quan phối hợp lúc 10:00, ngày 09/03/2026"
        ),
        (
            f"3 Giao: Xã An – Lãnh đạo; người giao: {n['leader']} Nhận: Xã An – Văn thư; người nhận: {n['clerk']} "
            "08:00, ngày 10/03/2026 08:30, ngày 10/03/2026 Trước hạn Phê duyệt, ký số kết quả"
        ),
        (
            f"4 Giao: Xã An – Văn thư; người giao: {n['clerk']} Nhận: Xã An – Desk H99.101 "
            "08:15, ngày 10/03/2026 08:15, ngày 10/03/2026 Đúng hạn Vào số, phát hành kết quả số KQ.H99.000001"
        ),
        (
            f"5 Giao: Xã An – Desk H99.101; người giao: {n['desk']} "
            f"Nhận: Người nộp hồ sơ (trực tiếp tại Bộ phận Một cửa); người nhận: {n['applicant']} "
            "08:40, ngày 10/03/2026 09:00, ngày 10/03/2026 Trước hạn Trả kết quả"
        ),
    ]
    for row in expected_rows:
        assert row in table
    assert re.findall(r"Trước hạn|Đúng hạn|Quá hạn", table) == [
        "Đúng hạn",
        "Quá hạn",
        "Trước hạn",
        "Đúng hạn",
        "Trước hạn",
    ]
    consultations = text[text.index("Lấy ý kiến cơ quan phối hợp:") :]
    assert (
        f"1 Sở Tư pháp; người trả lời: {n['dept']} 09:45, ngày 09/03/2026 ({n['specialist']}) "
        "15:15, ngày 09/03/2026 10:00, ngày 09/03/2026 Trước hạn"
    ) in consultations


def test_control_slip_of_an_open_dossier_shows_pauses_the_send_back_and_the_overdue_step(
    people, staff, monday_morning
) -> None:
    desk, specialist = people["desk"], people["specialist"]
    dossier = received_birth_dossier(people)
    monday_morning.move_to(at(9, 9, 10))
    dossier_forward(actor=desk, code=dossier.code, assignee=specialist, note="Hồ sơ đầy đủ")
    monday_morning.move_to(at(9, 9, 20))
    dossier_request_payment(actor=specialist, code=dossier.code, amount=8000, note="Lệ phí")
    monday_morning.move_to(at(9, 9, 40))
    dossier_confirm_payment(actor=specialist, code=dossier.code)
    monday_morning.move_to(at(9, 10))
    dossier = dossier_send_back(actor=specialist, code=dossier.code, reason="Thiếu bản chính giấy chứng sinh")

    slip = control_slip_data(dossier, now=at(9, 11))

    rows = [(r.number, r.receiver, r.step_due_at, r.timeliness, r.notes) for r in slip.handovers]
    assert rows == [
        (1, specialist.full_name, at(9, 9, 15), Timeliness.FINISHED_EARLY, ["Hồ sơ đầy đủ"]),
        (
            2,
            desk.full_name,
            at(9, 16, 15),  # 09:10 + 5.25 working hours, and the 20 minutes of the payment pause
            Timeliness.FINISHED_EARLY,
            [
                "Yêu cầu thực hiện nghĩa vụ tài chính lúc 09:20, ngày 09/03/2026",
                "Hoàn thành nghĩa vụ tài chính lúc 09:40, ngày 09/03/2026",
                "Trả lại bước trước. Lý do: Thiếu bản chính giấy chứng sinh",
            ],
        ),
    ]
    assert slip.current is not None
    current = (slip.current.unit, slip.current.person, slip.current.step_due_at, slip.current.timeliness)
    assert current == ("Xã An – Desk H99.101", desk.full_name, at(9, 10, 15), Timeliness.OVERDUE)
    assert slip.consultations == []
    monday_morning.move_to(at(9, 11))
    text = pdf_text(control_slip_pdf(dossier))
    assert (
        f"Đang giải quyết tại: Xã An – Desk H99.101; người xử lý: {desk.full_name}; "
        "hạn xử lý của bước: 10:15, ngày 09/03/2026 (đã quá hạn)"
    ) in text
    assert "Cơ quan phối hợp giải quyết: Không có" in text


def test_no_control_slip_before_reception(people, monday_morning) -> None:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())

    with pytest.raises(ControlSlipNotAvailable) as caught:
        control_slip_pdf(dossier)

    assert (caught.value.code, caught.value.status) == ("control_slip_not_available", 404)


def test_apology_letter_has_the_form_and_fields_of_circular_03_2025(people, staff, monday_morning) -> None:
    dossier = received_birth_dossier(people)  # Monday 09:00, due Tuesday 09:00
    monday_morning.move_to(at(9, 9))  # exactly one working day before the due time: the last moment allowed
    dossier = dossier_apologize(
        actor=staff["leader"], code=dossier.code, reason="Chờ kết quả xác minh của Sở Tư pháp", new_due_at=at(12, 16)
    )

    text = pdf_text(apology_letter_pdf(dossier))

    applicant = people["citizen"].full_name
    assert "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT HỒ SƠ" in text
    assert "Ngày 09 tháng 03 năm 2026" in text
    assert f"Kính gửi: {applicant}" in text
    assert (
        f"Ngày 09 tháng 03 năm 2026, Xã An tiếp nhận giải quyết hồ sơ của ông/bà/tổ chức {applicant} đề nghị "
        "giải quyết thủ tục hành chính: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)."
    ) in text
    assert "Mã hồ sơ: H99.101-260309-0001" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09:00, ngày 10/03/2026" in text
    assert "Lý do chậm trễ: Chờ kết quả xác minh của Sở Tư pháp" in text
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả vào: 16:00, ngày 12/03/2026" in text
    assert f"THỦ TRƯỞNG CƠ QUAN XÃ AN (Ký, ghi rõ họ tên và đóng dấu) {staff['leader'].full_name}" in text


def test_no_apology_letter_without_an_apology(people, monday_morning) -> None:
    dossier = received_birth_dossier(people)

    with pytest.raises(ApologyNotAvailable) as caught:
        apology_letter_pdf(dossier)

    assert (caught.value.code, caught.value.status) == ("apology_not_available", 404)


HEADER = (
    "STT",
    "Mã hồ sơ",
    "Thủ tục",
    "Người nộp",
    "Địa chỉ / Số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận",
    "Hẹn trả",
    "Ngày hẹn lại",
    "Ngày có kết quả",
    "Ngày trả",
    "Hình thức trả",
    "Tình trạng",
    "Ký nhận",
)


def book_rows(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [tuple(v for v in row) for row in sheet.iter_rows(values_only=True)]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


@pytest.fixture
def book(people, staff, returned, monday_morning) -> dict[str, Any]:
    """Two dossiers received on Monday at Xã An (one returned, one re-dated and open), one on Tuesday,
    one only submitted, one received at Xã Bình."""
    monday_morning.move_to(at(9, 16, 45))
    redated = received_birth_dossier(people)  # after the cut-off: due Tuesday 17:00
    dossier_apologize(actor=staff["leader"], code=redated.code, reason="Chờ xác minh", new_due_at=at(12, 16))
    monday_morning.move_to(at(10, 10))
    tuesday = received_birth_dossier(people)
    dossier_submit_online(actor=people["citizen"], application=birth_application())
    other = dossier_submit_online(actor=people["citizen"], application=birth_application(agency_code="H99.102"))
    dossier_receive(actor=people["other_desk"], code=other.code)
    monday_morning.move_to(at(10, 11))
    return {"returned": returned, "redated": redated, "tuesday": tuesday, "other": other}


def test_tracking_book_lists_the_dossiers_received_in_the_period(people, province, book) -> None:
    applicant = people["citizen"].full_name
    commune = province["commune_a"]

    data = tracking_book_xlsx(agency=commune, start=date(2026, 3, 9), end=date(2026, 3, 9))

    rows = book_rows(data)
    empty = (None,) * 14
    expected = [
        ("XÃ AN", *empty[1:]),
        ("SỔ THEO DÕI HỒ SƠ", *empty[1:]),
        ("Từ ngày 09/03/2026 đến ngày 09/03/2026", *empty[1:]),
        ("Nơi tiếp nhận: Tất cả các bộ phận tiếp nhận", *empty[1:]),
        ("Lập lúc 11:00, ngày 10/03/2026", *empty[1:]),
        empty,
        HEADER,
        (
            1,
            "H99.101-260309-0001",
            "Thủ tục đăng ký khai sinh",
            applicant,
            "Số 1 đường Lê Lợi, Xã An / 0912345678",
            "Xã An",
            local(9, 9),
            local(10, 9),
            None,
            local(10, 8, 15),
            local(10, 8, 40),
            "Trực tiếp tại Bộ phận Một cửa",
            "Trước hạn",
            None,
        ),
        (
            2,
            "H99.101-260309-0002",
            "Thủ tục đăng ký khai sinh",
            applicant,
            "Số 1 đường Lê Lợi, Xã An / 0912345678",
            "Xã An",
            local(9, 16, 45),
            local(10, 17),  # after the 15:00 cut-off: the clock starts on Tuesday
            local(12, 16),
            None,
            None,
            "Bản điện tử, trực tuyến",
            "Đang giải quyết",
            None,
        ),
        empty,
        ("Tổng số: 2 hồ sơ", *empty[1:]),
    ]
    assert rows == expected
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert (sheet.title, sheet.freeze_panes) == ("Sổ theo dõi hồ sơ", "A8")
    assert [sheet["A1"].font.b, sheet["A7"].font.b, sheet["N7"].font.b, sheet["A8"].font.b] == [True, True, True, False]
    assert [sheet[f"{column}8"].number_format for column in "GHJK"] == ["dd/mm/yyyy hh:mm"] * 4
    assert [sheet.column_dimensions[column].width for column in "ABC"] == [6, 22, 40]


def test_tracking_book_keeps_to_the_period_the_agency_and_the_desk(people, province, book) -> None:
    commune_a, commune_b = province["commune_a"], province["commune_b"]
    desk_a, desk_b = commune_a.desks.get(), commune_b.desks.get()

    def codes(agency: Any, start: date, end: date, desk: Any = None) -> list[str]:
        return [r["code"] for r in tracking_book_rows(agency=agency, start=start, end=end, desk=desk)]

    assert codes(commune_a, date(2026, 3, 10), date(2026, 3, 13)) == ["H99.101-260310-0001"]
    assert codes(commune_a, date(2026, 3, 1), date(2026, 3, 31)) == [
        "H99.101-260309-0001",
        "H99.101-260309-0002",
        "H99.101-260310-0001",
    ]
    assert codes(commune_a, date(2026, 3, 11), date(2026, 3, 31)) == []
    assert codes(commune_a, date(2026, 3, 9), date(2026, 3, 10), desk=desk_a) == [
        "H99.101-260309-0001",
        "H99.101-260309-0002",
        "H99.101-260310-0001",
    ]
    assert codes(commune_a, date(2026, 3, 9), date(2026, 3, 10), desk=desk_b) == []
    assert codes(commune_b, date(2026, 3, 9), date(2026, 3, 10)) == ["H99.102-260310-0001"]
    rows = book_rows(tracking_book_xlsx(agency=commune_a, start=date(2026, 3, 10), end=date(2026, 3, 10), desk=desk_a))
    assert rows[3][0] == "Nơi tiếp nhận: Desk H99.101"
    assert rows[7][:2] == (1, "H99.101-260310-0001")
    assert rows[7][12] == "Đang giải quyết"


def test_tracking_book_takes_one_query_however_many_rows(people, province, book, django_assert_num_queries) -> None:
    commune = province["commune_a"]
    with django_assert_num_queries(1):
        two = tracking_book_xlsx(agency=commune, start=date(2026, 3, 9), end=date(2026, 3, 9))
    with django_assert_num_queries(1):
        three = tracking_book_xlsx(agency=commune, start=date(2026, 3, 9), end=date(2026, 3, 10))
    assert (len(book_rows(two)), len(book_rows(three))) == (11, 12)
