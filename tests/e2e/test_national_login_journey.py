"""A citizen logs in through the local national identity provider (OpenID Connect, identity.fake_oidc) on a
phone, gets a verified account, submits a dossier online, and logs out of both."""

import re
from pathlib import Path

import pytest

from motcua.dossiers.models import Dossier
from motcua.identity.fake_oidc import subject_of
from motcua.identity.models import User
from tests.e2e.test_online_submission import BIRTH_FORM, PDF_FILE

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-oidc")
PERSONAL_ID = "001195004321"  # Phạm Thị Thu, the provider's demo person who has no account yet


def test_a_citizen_logs_in_through_the_national_identity_provider_and_submits(demo_site, phone, fake_service) -> None:
    provider = fake_service("national_identity")
    SHOTS.mkdir(exist_ok=True)
    phone.goto(demo_site.url + "/dang-nhap/")
    button = phone.locator("#national-login")
    assert button.inner_text() == "Đăng nhập bằng tài khoản định danh điện tử (VNeID)"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "1-login.png"), full_page=True)

    button.click()
    phone.wait_for_url(re.compile(re.escape(provider.url) + r"/authorize\?"))
    assert "GIẢ LẬP" in phone.locator(".fake").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "2-provider.png"), full_page=True)
    phone.locator(f'button[data-person="{PERSONAL_ID}"]').click()

    phone.wait_for_url(re.compile(r"/tai-khoan/$"))
    assert "Phạm Thị Thu" in phone.content()
    phone.screenshot(path=str(SHOTS / "3-account.png"), full_page=True)
    user = User.objects.get(username=PERSONAL_ID)
    assert (user.identity_verification_method, user.full_name) == ("national_id_login", "Phạm Thị Thu")

    phone.goto(demo_site.url + "/thu-tuc/1.001193/")
    phone.locator('a[href="/thu-tuc/1.001193/nop-ho-so/"]').click()
    phone.wait_for_url(re.compile(r"/thu-tuc/1\.001193/nop-ho-so/$"))
    phone.select_option('select[name="agency"]', index=1)
    for name, value in {
        **BIRTH_FORM,
        "eform-ho_ten_nguoi_yeu_cau": "Phạm Thị Thu",
        "eform-so_dinh_danh_nguoi_yeu_cau": PERSONAL_ID,
        "eform-ho_ten_me": "Phạm Thị Thu",
    }.items():
        phone.fill(f'[name="{name}"]', value)
    phone.select_option('select[name="eform-quan_he_voi_tre"]', "Mẹ")
    phone.select_option('select[name="eform-gioi_tinh"]', "Nam")
    files = phone.locator('input[type="file"]')
    for index in range(files.count()):
        files.nth(index).set_input_files(files=[PDF_FILE])
    phone.check('input[name="confirm"]')
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator('button[name="action"][value="submit"]').click()

    phone.wait_for_url(re.compile(r"/nop-ho-so/xong/"))
    code = phone.locator("#dossier-code").inner_text().strip()
    phone.screenshot(path=str(SHOTS / "4-submitted.png"), full_page=True)
    dossier = Dossier.objects.get(code=code)
    assert (dossier.applicant_id, dossier.status, dossier.channel) == (user.pk, "submitted", "online")

    # Logging out here ends the provider's session too, and comes back to the home page.
    phone.locator("form.inline button", has_text="Đăng xuất").click()
    phone.wait_for_url(demo_site.url + "/")
    assert provider.app.state["logouts"] == [subject_of(PERSONAL_ID)]
    assert "Đăng nhập" in phone.locator(".main-nav").inner_text()


def test_cancelling_at_the_provider_comes_back_with_a_clear_message(demo_site, phone, fake_service) -> None:
    fake_service("national_identity")
    SHOTS.mkdir(exist_ok=True)
    phone.goto(demo_site.url + "/dang-nhap/")
    phone.locator("#national-login").click()
    phone.locator('button[value="cancel"]').click()

    phone.wait_for_url(re.compile(r"/dang-nhap/$"))
    assert (
        phone.locator(".message.error")
        .inner_text()
        .startswith("Hệ thống định danh điện tử không xác nhận danh tính của bạn, hoặc bạn đã huỷ.")
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "5-cancelled.png"), full_page=True)
    assert not User.objects.filter(username=PERSONAL_ID).exists()
