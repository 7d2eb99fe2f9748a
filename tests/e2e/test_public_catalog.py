import re

import pytest

from motcua.demo.province import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_citizen_on_a_phone_searches_without_diacritics_and_reads_the_documents(demo_site, phone) -> None:
    phone.goto(demo_site.url + "/")
    assert phone.locator("html").get_attribute("lang") == "vi"
    # The stylesheet is served (by the app itself): the header has the brand colour.
    assert phone.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(163, 23, 29)"
    phone.get_by_role("searchbox").fill("dang ky khai sinh")
    phone.get_by_role("button", name="Tìm kiếm").click()

    first = phone.locator(".result-list li").first.locator("a.title")
    assert first.inner_text() == "Thủ tục đăng ký khai sinh"
    first.click()

    assert phone.locator("h1").inner_text() == "Thủ tục đăng ký khai sinh"
    documents = phone.locator("#documents + .table-wrap tbody tr")
    assert documents.count() >= 2
    assert "Tờ khai" in documents.first.inner_text()
    # Nothing overflows sideways on a 360 px screen: the page is as wide as the viewport.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_desk_officer_logs_in_and_sees_the_desk_tools(demo_site, desktop) -> None:
    desktop.goto(demo_site.url + "/dang-nhap/")
    desktop.get_by_label(re.compile("Số định danh")).fill("motcua.xa")
    desktop.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    desktop.get_by_role("button", name="Đăng nhập").click()

    desktop.wait_for_url(re.compile(r"/can-bo/$"))
    assert "Cán bộ một cửa" in desktop.locator("#roles").inner_text()
    desktop.get_by_role("link", name="Mở tài khoản cho người nộp hồ sơ").click()
    assert desktop.locator("h1").inner_text() == "Mở tài khoản cho người nộp hồ sơ"
