"""The national portal's wire format read exactly (integrations/national/wire_in.py)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import translation

from motcua.integrations.national import wire_in
from motcua.integrations.national.codes import NATIONAL_ZONE

PROCEDURE = {
    "MaTTHC": "1.004873",
    "TenTTHC": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
    "MaLinhVuc": "HOTICH",
    "TenLinhVuc": "Hộ tịch",
    "CapThucHien": ["XA"],
    "MucDo": "TOAN_TRINH",
    "ThoiHanGiaiQuyet": {"SoLuong": "3", "DonVi": "NGAY_LAM_VIEC"},
    "CanCuPhapLy": "Luật Hộ tịch số 60/2014/QH13",
    "KetQuaThucHien": "Giấy xác nhận tình trạng hôn nhân",
    "ThanhPhanHoSo": [
        {"TenGiayTo": "Tờ khai theo mẫu", "MaGiayTo": "TKXNHN", "SoLuong": 1, "HinhThuc": "DIEN_TU"},
        {"TenGiayTo": "Giấy tờ chứng minh việc ly hôn", "MaGiayTo": "GTHNTT", "SoLuong": "2", "HinhThuc": "BAN_SAO"},
    ],
    "PhiLePhi": [{"TenPhiLePhi": "Lệ phí", "MucThu": "20000", "MoTa": "Miễn cho hộ nghèo"}],
    "CoQuanThucHien": ["H49.101", " ", "H49.102"],
    "NgayCapNhat": "20261115090000",
}


def test_a_catalog_item_is_read_into_the_fields_the_portal_owns() -> None:
    item = wire_in.parse_procedure(PROCEDURE)

    assert item == wire_in.PortalProcedure(
        code="1.004873",
        sector_code="HOTICH",
        sector_name="Hộ tịch",
        version={
            "name": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
            "levels": ["commune"],
            "online_mode": "full",
            "processing_time": {"amount": "3", "unit": "working_days"},
            "legal_basis": "Luật Hộ tịch số 60/2014/QH13",
            "result_type": "Giấy xác nhận tình trạng hôn nhân",
        },
        documents=[
            {"name": "Tờ khai theo mẫu", "document_type_code": "TKXNHN", "quantity": 1, "form": "electronic"},
            {"name": "Giấy tờ chứng minh việc ly hôn", "document_type_code": "GTHNTT", "quantity": 2, "form": "copy"},
        ],
        fees=[{"name": "Lệ phí", "amount": 20000, "note": "Miễn cho hộ nghèo"}],
        agencies=["H49.101", "H49.102"],
        updated_at=datetime(2026, 11, 15, 9, 0, tzinfo=NATIONAL_ZONE),
    )


def test_old_online_levels_and_no_fixed_deadline_are_read() -> None:
    raw = {**PROCEDURE, "MucDo": 3, "ThoiHanGiaiQuyet": {"SoLuong": "5", "DonVi": "khong_quy_dinh"}}

    item = wire_in.parse_procedure(raw)

    assert item.version["online_mode"] == "partial"
    assert item.version["processing_time"] == {"amount": None, "unit": "none"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"MaTTHC": ""}, "“MaTTHC” is missing."),
        ({"ThoiHanGiaiQuyet": {"SoLuong": "3", "DonVi": "TUAN"}}, "ThoiHanGiaiQuyet “TUAN” is not a known code"),
        ({"CapThucHien": ["THON"]}, "CapThucHien “THON” is not a known code"),
        ({"ThanhPhanHoSo": "TKXNHN"}, "“ThanhPhanHoSo” must be a list."),
        ({"NgayCapNhat": "2026-11-15"}, "NgayCapNhat: “2026-11-15” is not a date and time written yyyyMMddHHmmss."),
        ({"PhiLePhi": [{"TenPhiLePhi": "Lệ phí", "MucThu": "20.000đ"}]}, "“MucThu” must be a whole number."),
        ({"PhiLePhi": ["Lệ phí"]}, "Each of “PhiLePhi” must be an object."),
    ],
)
def test_a_malformed_catalog_item_says_why(change: dict, message: str) -> None:
    with translation.override("en"), pytest.raises(wire_in.WireError) as error:
        wire_in.parse_procedure({**PROCEDURE, **change})

    assert str(error.value).startswith(message)


DOSSIER = {
    "MaHoSo": "G22.99-261203-000101",
    "MaTTHC": "1.004873",
    "MaCoQuan": "H49.101",
    "NgayNop": "20261203081500",
    "LoaiDoiTuong": 1,
    "ChuHoSo": {
        "HoTen": " Phạm Thị Thu Hằng ",
        "SoDinhDanh": "022196004512",
        "SoDienThoai": "0904511223",
        "Email": "hang@example.vn",
        "DiaChi": "Tổ 5, phường Hồng Gai",
    },
    "HinhThucNhanKetQua": "2",
    "DiaChiNhanKetQua": "Tổ 5, phường Hồng Gai",
    "MaTruongHop": "",
    "DuLieuBieuMau": {"tinh_trang_hon_nhan": "Chưa kết hôn"},
    "TepDinhKem": [
        {"MaGiayTo": "TKXNHN", "TenTep": "to-khai.pdf", "DuongDan": "/api/tiep-nhan/tep/1-1", "KichThuoc": "1200"},
        {"TenTep": "", "DuongDan": "https://portal.example/tep/9"},
    ],
}


def test_a_submitted_dossier_is_read_exactly() -> None:
    dossier = wire_in.parse_dossier(DOSSIER)

    assert dossier == wire_in.PortalDossier(
        national_code="G22.99-261203-000101",
        procedure_code="1.004873",
        agency_code="H49.101",
        submitted_at=datetime(2026, 12, 3, 8, 15, tzinfo=NATIONAL_ZONE),
        applicant_name="Phạm Thị Thu Hằng",
        personal_id="022196004512",
        phone="0904511223",
        email="hang@example.vn",
        address="Tổ 5, phường Hồng Gai",
        return_method="post",
        return_address="Tổ 5, phường Hồng Gai",
        case="",
        form_data={"tinh_trang_hon_nhan": "Chưa kết hôn"},
        files=[
            wire_in.PortalFile(type_code="TKXNHN", name="to-khai.pdf", url="/api/tiep-nhan/tep/1-1", size=1200),
            wire_in.PortalFile(type_code="", name="tep.pdf", url="https://portal.example/tep/9", size=0),
        ],
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"MaHoSo": " "}, "“MaHoSo” is missing."),
        ({"LoaiDoiTuong": "2"}, "Applicant type 2: only citizens (1)"),
        ({"HinhThucNhanKetQua": "9"}, "HinhThucNhanKetQua “9” is not a known code"),
        ({"DuLieuBieuMau": ["a"]}, "“DuLieuBieuMau” must be an object."),
        ({"TepDinhKem": [{"TenTep": "a.pdf"}]}, "Each of “TepDinhKem” needs “DuongDan”."),
        ({"NgayNop": "hôm nay"}, "NgayNop: “hôm nay” is not a date and time"),
        ({"TepDinhKem": [{"DuongDan": "/t/1", "KichThuoc": "1,2 MB"}]}, "“KichThuoc” must be a whole number."),
    ],
)
def test_a_malformed_dossier_says_why(change: dict, message: str) -> None:
    with translation.override("en"), pytest.raises(wire_in.WireError) as error:
        wire_in.parse_dossier({**DOSSIER, **change})

    assert str(error.value).startswith(message)


def test_the_code_of_an_unreadable_dossier_is_still_known() -> None:
    assert wire_in.peek_code({"MaHoSo": " G1 ", "ChuHoSo": "?"}) == "G1"
    assert wire_in.peek_code(["not", "an", "object"]) == ""


def test_a_page_is_read_with_its_cursor() -> None:
    page = wire_in.parse_page({"DanhSach": [{"MaHoSo": "A"}], "ConTro": 17, "ConNua": True})

    assert page == wire_in.DossierPage(items=[{"MaHoSo": "A"}], cursor="17", more=True)
    with pytest.raises(wire_in.WireError):
        wire_in.parse_page({"items": []})
