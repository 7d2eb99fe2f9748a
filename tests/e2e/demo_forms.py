"""The demo citizen's birth registration, as the browser journeys submit it through the services."""

from __future__ import annotations

CITIZEN = "022190001234"  # Nguyễn Thị Lan, the first demo citizen
BIRTH_FORM = {
    "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
    "so_dinh_danh_nguoi_yeu_cau": CITIZEN,
    "quan_he_voi_tre": "Mẹ",
    "ho_ten_tre": "Trần Gia Bảo",
    "ngay_sinh": "2026-03-01",
    "gioi_tinh": "Nam",
    "noi_sinh": "Bệnh viện Bãi Cháy",
    "ho_ten_me": "Nguyễn Thị Lan",
}
