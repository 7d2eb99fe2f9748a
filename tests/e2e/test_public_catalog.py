import pytest

from tests.e2e.staff_login import sign_in_staff

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
    sign_in_staff(desktop, demo_site.url, "motcua.xa")
    assert "Cán bộ một cửa" in desktop.locator("#roles").inner_text()
    desktop.get_by_role("link", name="Mở tài khoản cho người nộp hồ sơ").click()
    assert desktop.locator("h1").inner_text() == "Mở tài khoản cho người nộp hồ sơ"
