"""Building blocks for the national intake tests: the fake portal emptied, dossiers submitted on it."""

from __future__ import annotations

import base64
import copy
from typing import Any

from motcua.catalog.selectors import catalog_export
from motcua.core.fakes import FakeServer
from motcua.integrations.national import fake_intake

BIRTH_DOSSIER: dict[str, Any] = {
    "MaHoSo": "G22.01-260309-000001",
    "MaTTHC": "1.001193",
    "MaCoQuan": "H99.101",
    "NgayNop": "20260309083000",
    "LoaiDoiTuong": "1",
    "ChuHoSo": {
        "HoTen": "Trần Thị Mai",
        "SoDinhDanh": "042195006789",
        "SoDienThoai": "0987654321",
        "Email": "mai.tran@example.vn",
        "DiaChi": "Thôn Đông, xã Bình, tỉnh Thử",
    },
    "HinhThucNhanKetQua": "3",
    "DuLieuBieuMau": {"ho_ten_tre": "Trần Minh An", "ngay_sinh": "2026-03-01"},
    "TepDinhKem": [
        {"MaGiayTo": "TKKS", "TenTep": "to-khai-khai-sinh.pdf"},
        {"MaGiayTo": "GCS", "TenTep": "giay-chung-sinh.pdf"},
    ],
}


def birth_dossier(code: str = "G22.01-260309-000001", **changes: Any) -> dict[str, Any]:
    item = copy.deepcopy(BIRTH_DOSSIER)
    item["MaHoSo"] = code
    item.update(changes)
    return item


def with_file_bytes(item: dict[str, Any], index: int, data: bytes) -> dict[str, Any]:
    item["TepDinhKem"][index]["NoiDungBase64"] = base64.b64encode(data).decode()
    return item


def empty_portal(server: FakeServer) -> FakeServer:
    fake_intake.clear(server.app)
    return server


def submit(server: FakeServer, *items: dict[str, Any]) -> None:
    for item in items:
        fake_intake.submit(server.app, item)


def national_catalog() -> list[dict[str, Any]]:
    """Our published catalog as the portal would publish it (nothing changed)."""
    document = catalog_export()
    sectors = {s["code"]: s["name"] for s in document["sectors"]}
    return [fake_intake.national_procedure(item, sectors) for item in document["procedures"]]
