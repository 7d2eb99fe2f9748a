"""The wire format of the national sync (integrations/national/wire.py): exact messages for a dossier
built by hand, national codes, dates as yyyyMMddHHmmss in Hà Nội time, and the portal's checks."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from motcua.integrations.models import SyncMessage
from motcua.integrations.national import wire
from motcua.integrations.national.codes import national_datetime
from motcua.integrations.national.sync import build_payload
from motcua.workflow.services import dossier_receive, dossier_submit_online
from tests.intake import birth_application

CODE = "H99.101-260309-0001"


def test_dates_travel_in_hanoi_time() -> None:
    # 02:30 UTC is 09:30 in Hà Nội (UTC+7), the day changes at 17:00 UTC.
    assert national_datetime(datetime(2026, 3, 9, 2, 30, 5, tzinfo=UTC)) == "20260309093005"
    assert national_datetime(datetime(2026, 3, 9, 17, 0, tzinfo=UTC)) == "20260310000000"
    assert national_datetime(None) == ""


def test_the_messages_of_a_received_online_dossier(people, monday_morning, settings) -> None:
    settings.MOTCUA_NATIONAL_SYNC_ENABLED = True  # queued, not sent (no task runs outside a commit here)
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_receive(actor=people["desk"], code=dossier.code)
    rows = list(SyncMessage.objects.order_by("sequence"))
    assert [(row.sequence, row.kind, row.event.action) for row in rows] == [
        (1, "dossier", "submit"),
        (2, "event", "submit"),
        (3, "dossier", "receive"),
        (4, "event", "receive"),
    ]
    record = {
        "MaHoSo": CODE,
        "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh",
        "MaLinhVuc": "HOTICH",
        "MaCoQuanTiepNhan": "H99.101",
        "MaCoQuanXuLy": "H99.101",
        "KenhThucHien": 2,  # online
        "LoaiDoiTuong": 1,  # citizen
        "ChuHoSo": dossier.applicant_name,
        "SoGiayTo": "042190001234",
        "SoDienThoai": "0912345678",
        "Email": "042190001234@example.vn",
        "DiaChi": "",
        "NgayNopHoSo": "20260309090000",
        "NgayKetThucXuLy": "",
        "NgayTra": "",
    }
    # As of the submission: status 1, no reception yet (a date later than the event is left out).
    assert build_payload(rows[0]) == {
        "MaThongDiep": f"{CODE}.1",
        "SoThuTu": 1,
        "DuLieu": {**record, "TrangThaiHoSo": 1, "NgayTiepNhan": "", "NgayHenTra": ""},
    }
    assert build_payload(rows[2])["DuLieu"] == {
        **record,
        "TrangThaiHoSo": 2,
        "NgayTiepNhan": "20260309090000",
        "NgayHenTra": "20260310090000",  # one working day
    }
    assert build_payload(rows[1]) == {
        "MaThongDiep": f"{CODE}.2",
        "SoThuTu": 2,
        "DuLieu": {
            "MaHoSo": CODE,
            "MaThaoTac": "submit",
            "NoiDungXuLy": "Nộp hồ sơ",
            "TrangThai": 1,
            "ThoiDiemXuLy": "20260309090000",
            "NguoiXuLy": dossier.applicant_name,  # the applicant's name, never their account
            "DonViXuLy": "H99.101",
            "BuocXuLy": 0,
            "HanXuLyBuoc": "",
            "NgayHenTra": "",
            "GhiChu": "",
        },
    }
    receive = build_payload(rows[3])["DuLieu"]
    assert (receive["MaThaoTac"], receive["NoiDungXuLy"], receive["TrangThai"], receive["BuocXuLy"]) == (
        "receive",
        "Tiếp nhận",
        2,
        1,
    )
    assert (receive["HanXuLyBuoc"], receive["NguoiXuLy"]) == ("20260309091500", people["desk"].username)
    assert all(wire.problems(row.kind, build_payload(row)["DuLieu"]) == [] for row in rows)


def test_an_event_inside_a_status_sends_no_record() -> None:
    def event(action: str, from_status: str, national_status: int) -> SimpleNamespace:
        return SimpleNamespace(action=action, from_status=from_status, national_status=national_status)

    assert wire.changes_record(event("submit", "", 1)) is True
    assert wire.changes_record(event("receive", "submitted", 2)) is True
    assert wire.changes_record(event("take", "in_progress", 4)) is False
    assert wire.changes_record(event("forward", "in_progress", 4)) is False
    assert wire.changes_record(event("apologize", "in_progress", 4)) is True  # a new due time


def test_the_portal_names_what_is_wrong() -> None:
    assert wire.problems("dossier", {"MaHoSo": "X", "KenhThucHien": 5, "NgayTiepNhan": "2026-03-09"}) == [
        "MaTTHC: required",
        "MaCoQuanTiepNhan: required",
        "LoaiDoiTuong: required",
        "TrangThaiHoSo: required",
        "KenhThucHien: unknown code 5",
        "NgayTiepNhan: not yyyyMMddHHmmss",
    ]
    assert wire.read_envelope({"MaThongDiep": "X.1", "SoThuTu": 1, "DuLieu": {}}) == ("X.1", 1, {})
