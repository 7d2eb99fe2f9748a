"""A dossier submitted on the (fake) national portal appears in the desk's queue after the pull and is
received by the desk officer; the administrator sees what arrived and what could not be imported."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import requests

from motcua.integrations.intake_models import IntakeStatus, NationalIntake
from tests.e2e.staff_login import sign_in_staff

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MOTCUA_SHOTS", "/tmp/shots-natin"))

# What a citizen typed on the national portal: a certificate of marital status at phường Hồng Gai.
SUBMITTED_ON_THE_PORTAL = {
    "MaHoSo": "G22.99-261203-000777",
    "MaTTHC": "1.004873",
    "MaCoQuan": "H49.101",
    "NgayNop": "20261203100500",
    "LoaiDoiTuong": "1",
    "ChuHoSo": {
        "HoTen": "Lương Văn Khải",
        "SoDinhDanh": "022095003344",
        "SoDienThoai": "0978123456",
        "DiaChi": "Tổ 2, khu 6, phường Hồng Gai, tỉnh Quảng Ninh",
    },
    "HinhThucNhanKetQua": "3",
    "DuLieuBieuMau": {
        "ho_ten_nguoi_yeu_cau": "Lương Văn Khải",
        "so_dinh_danh_nguoi_yeu_cau": "022095003344",
        "tinh_trang_hon_nhan": "Chưa kết hôn",
        "muc_dich_su_dung": "Đăng ký kết hôn",
    },
    "TepDinhKem": [
        {"MaGiayTo": "TKXNHN", "TenTep": "to-khai.pdf"},
        {"MaGiayTo": "CCCD", "TenTep": "can-cuoc.pdf"},
    ],
}


def test_a_dossier_from_the_national_portal_is_pulled_and_received_at_the_desk(
    demo_site: Any, browser: Any, fake_service: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    portal = fake_service("national_portal")  # the demo's fake: its catalog and two dossiers, plus this one
    answer = requests.post(f"{portal.url}/_fake/dossiers", json=SUBMITTED_ON_THE_PORTAL, timeout=10)
    assert answer.status_code == 201

    admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    admin_context.set_default_timeout(15_000)
    admin = admin_context.new_page()
    sign_in_staff(admin, demo_site.url, "quantri")
    admin.goto(demo_site.url + "/can-bo/cong-dvc-quoc-gia/")
    assert admin.locator("h1").inner_text() == "Cổng Dịch vụ công quốc gia"
    admin.get_by_role("button", name="Lấy hồ sơ đã nộp ngay").click()
    admin.wait_for_selector(".message.success")
    assert "2 hồ sơ đã vào hàng chờ tiếp nhận, 1 hồ sơ không nhập được" in admin.locator(".messages").inner_text()
    failed = admin.locator("table.national-failed tbody tr")
    assert failed.count() == 1
    assert "G22.99-261203-000102" in failed.inner_text() and "Thủ tục 9.999999 không tồn tại." in failed.inner_text()
    imported = admin.locator("table.national-imported tbody")
    assert "G22.99-261203-000777" in imported.inner_text()
    admin.screenshot(path=str(SHOTS / "1-admin-pulled.png"), full_page=True)
    admin.get_by_role("button", name="Lấy danh mục thủ tục ngay").click()
    admin.wait_for_selector("ul.national-drafts")
    assert "1 thủ tục mới và 2 thủ tục thay đổi" in admin.locator(".messages").inner_text()
    assert [link.inner_text() for link in admin.locator("ul.national-drafts a").all()] == [
        "1.000419",
        "1.004873",
        "2.000635",
    ]
    admin.screenshot(path=str(SHOTS / "1b-admin-catalog.png"), full_page=True)
    admin_context.close()

    intake = NationalIntake.objects.select_related("dossier").get(national_code="G22.99-261203-000777")
    assert intake.status == IntakeStatus.IMPORTED and intake.dossier is not None
    code = intake.dossier.code
    assert portal.app.state["acks"]["G22.99-261203-000777"]["MaHoSoDiaPhuong"] == code

    desk_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    desk_context.set_default_timeout(15_000)
    desk = desk_context.new_page()
    sign_in_staff(desk, demo_site.url, "motcua.xa")
    desk.locator("nav a[href='/can-bo/ho-so/cho-tiep-nhan/']").click()
    row = desk.locator("table.queue tbody tr", has_text=code)
    assert "Lương Văn Khải" in row.inner_text()
    assert row.locator("small.source").inner_text() == "Cổng DVC quốc gia"
    desk.screenshot(path=str(SHOTS / "2-desk-queue.png"), full_page=True)
    desk.get_by_role("link", name=code).click()
    assert desk.locator("#dossier-code").inner_text() == code
    desk.screenshot(path=str(SHOTS / "3-dossier.png"), full_page=True)
    desk.locator("#form-receive button[type=submit]").click()
    desk.wait_for_selector("#slip-receipt")
    desk.screenshot(path=str(SHOTS / "4-received.png"), full_page=True)
    intake.dossier.refresh_from_db()
    assert intake.dossier.status == "received"
    desk_context.close()
