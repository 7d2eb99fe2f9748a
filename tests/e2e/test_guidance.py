"""Guidance for online services in a browser: a citizen on a 360 px phone goes from a procedure to its
step-by-step guide; a desk officer opens the A4 board of their desk from the back office, and the TV display
cycles its screens with QR codes large enough to scan from across the room."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.staff_login import sign_in_staff

pytestmark = pytest.mark.browser

TV = {"viewport": {"width": 1920, "height": 1080}, "locale": "vi-VN"}


def watch_console(page: Any) -> list[str]:
    """Errors the page logs (a refused inline style or script shows here as a CSP violation)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_a_citizen_on_a_phone_opens_the_guide_of_a_procedure(demo_site: Any, phone: Any) -> None:
    errors = watch_console(phone)
    phone.goto(demo_site.url + "/thu-tuc/1.001193/")
    phone.locator("#guide-link a").click()

    phone.wait_for_url(re.compile(r"/thu-tuc/1\.001193/huong-dan/$"))
    assert phone.locator("h1").inner_text() == "Cách nộp hồ sơ trực tuyến"
    # The demo administrators' words frame the generated steps (demo/voice_guidance.py).
    assert phone.locator("#guide-intro").inner_text().startswith("Cha, mẹ nên đăng ký khai sinh")
    assert phone.locator("#guide-notes").inner_text().startswith("Cần hỗ trợ khi nộp trực tuyến")
    headings = phone.locator("#guide-steps > li > h2").all_inner_texts()
    assert headings == [
        "Đăng nhập",
        "Bắt đầu nộp hồ sơ",
        "Điền “Tờ khai đăng ký khai sinh”",
        "Đính kèm thành phần hồ sơ",
        "Chọn hình thức nhận kết quả",
        "Cam đoan và nộp hồ sơ",
        "Nộp phí, lệ phí",
        "Theo dõi hồ sơ",
    ]
    # The guide's style sheet is served and applies: the steps are numbered in bold.
    assert phone.locator("#guide-steps > li").first.evaluate("e => getComputedStyle(e, '::marker').fontWeight") == "700"
    # Nothing overflows sideways on a 360 px screen, long agency lists and field names included.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    phone.wait_for_url(re.compile(r"/dang-nhap/"))  # submitting needs an account: the guide's first step

    phone.goto(demo_site.url + "/thu-tuc/2.000884/huong-dan/")
    assert phone.locator("h1").inner_text() == "Nơi và cách nộp hồ sơ"
    assert phone.locator("#guide-places li").count() == 17
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []


def test_a_desk_officer_prints_the_board_and_the_tv_cycles_it(demo_site: Any, desktop: Any, browser: Any) -> None:
    sign_in_staff(desktop, demo_site.url, "motcua.xa")
    desktop.locator("#guide-boards-link").click()
    assert desktop.locator("h1").inner_text() == "Bảng hướng dẫn dịch vụ công trực tuyến"

    errors = watch_console(desktop)
    desktop.locator("#boards tr", has_text="H49.101.MC").get_by_role("link", name="In", exact=True).click()
    desktop.wait_for_url(re.compile(r"/huong-dan-truc-tuyen/H49\.101\.MC/$"))
    rows = desktop.locator("tr.board-row")
    assert rows.count() == 38
    assert "BẢNG HƯỚNG DẪN DỊCH VỤ CÔNG TRỰC TUYẾN" in desktop.locator(".board-title").inner_text()
    # Every QR code is a loaded image, about 26 mm wide on paper.
    assert desktop.locator("tr.board-row img").evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    desktop.emulate_media(media="print")
    assert desktop.locator(".board-tools").is_hidden()
    desktop.emulate_media(media="screen")
    assert errors == []

    context = browser.new_context(**TV)
    tv = context.new_page()
    tv_errors = watch_console(tv)
    try:
        tv.goto(demo_site.url + "/huong-dan-truc-tuyen/H49.101.MC/?che-do=man-hinh&giay=5")
        screens = tv.locator("section.screen")
        assert screens.count() == 13
        assert screens.nth(0).is_visible() and screens.nth(1).is_hidden()
        # A third of the screen's height or more: about 18 cm on a 40-inch screen, readable from 1.5 m.
        size = tv.locator("section.screen").first.locator("img.display-qr").first.bounding_box()
        assert size is not None and size["height"] >= 0.35 * 1080 and size["width"] == size["height"]
        assert tv.evaluate("document.documentElement.scrollWidth") <= 1920

        # Polled by Playwright from outside: the page's CSP forbids evaluating a string in it.
        expect(tv.locator("#screen-number")).to_have_text("2", timeout=9_000)
        assert screens.nth(0).is_hidden() and screens.nth(1).is_visible()
        assert tv_errors == []
    finally:
        context.close()
