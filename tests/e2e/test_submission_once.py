"""Issue 12, item 4: quick repeated taps and resent pages make one dossier; the e-form starts from the
account."""

import re
from typing import Any

import pytest

from motcua.demo.province import DEMO_PASSWORD
from motcua.dossiers.models import Dossier
from tests.intake import make_pdf

pytestmark = pytest.mark.browser

PDF_FILE = {"name": "x.pdf", "mimeType": "application/pdf", "buffer": make_pdf("scanned document")}
CHILD = {
    "eform-ho_ten_tre": "Nguyễn Minh Khang",
    "eform-ngay_sinh": "2026-03-01",
    "eform-noi_sinh": "Bệnh viện Bãi Cháy",
    "eform-ho_ten_me": "Nguyễn Thị Lan",
}


def log_in_and_fill(page: Any, url: str) -> None:
    page.goto(url + "/dang-nhap/")
    page.locator("input[name=username]").fill("022190001234")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$|/$"))
    page.goto(url + "/thu-tuc/1.001193/nop-ho-so/")
    # Prefilled from the account, as the demo citizen's data.
    assert page.locator('[name="eform-ho_ten_nguoi_yeu_cau"]').input_value() == "Nguyễn Thị Lan"
    assert page.locator('[name="eform-so_dinh_danh_nguoi_yeu_cau"]').input_value() == "022190001234"
    assert page.locator('[name="eform-dien_thoai"]').input_value() == "0912345678"
    page.select_option('select[name="agency"]', "H49.101")
    for name, value in CHILD.items():
        page.fill(f'[name="{name}"]', value)
    page.select_option('select[name="eform-quan_he_voi_tre"]', "Mẹ")
    page.select_option('select[name="eform-gioi_tinh"]', "Nam")
    files = page.locator('input[type="file"]')
    for index in range(files.count()):
        files.nth(index).set_input_files(files=[PDF_FILE])
    page.check('input[name="confirm"]')


def test_three_quick_taps_on_submit_make_one_dossier(demo_site, phone) -> None:
    log_in_and_fill(phone, demo_site.url)
    before = Dossier.objects.count()

    # A slow network: the submission is held until the page has been looked at.
    held: list[Any] = []
    phone.route(
        "**/nop-ho-so/", lambda route: held.append(route) if route.request.method == "POST" else route.continue_()
    )
    # Three taps in one go, before the first response can arrive: the page sends the form once, and
    # the button says it is sending.
    state = phone.evaluate(
        """async () => { const b = document.querySelector('button[name="action"][value="submit"]');
                         b.click(); b.click(); b.click();
                         await new Promise(done => setTimeout(done, 200));
                         return [b.disabled, b.textContent]; }"""
    )
    assert state == [True, "Đang gửi…"]
    assert len(held) == 1
    held[0].continue_()
    phone.wait_for_url(re.compile(r"/nop-ho-so/xong/"))

    assert Dossier.objects.count() == before + 1
    code = phone.locator("#dossier-code").inner_text().strip()
    assert Dossier.objects.get(code=code).documents.count() == 3


def test_the_same_page_posted_three_times_makes_one_dossier(demo_site, phone) -> None:
    log_in_and_fill(phone, demo_site.url)
    before = Dossier.objects.count()

    # The page's data sent three times, as a resent request or a page without JavaScript could. One
    # after the other: the test server shares one SQLite connection between its threads.
    landed = phone.evaluate(
        """async () => {
             const form = document.querySelector('form.submit-form');
             const data = new FormData(form);
             data.set('action', 'submit');
             const landed = [];
             for (const _ of [0, 1, 2]) {
               const response = await fetch(location.href, {method: 'POST', body: data});
               landed.push([response.status, new URL(response.url).pathname]);
             }
             return landed;
           }"""
    )

    assert Dossier.objects.count() == before + 1
    dossier = Dossier.objects.latest("id")
    assert landed == [[200, f"/thu-tuc/1.001193/nop-ho-so/xong/{dossier.code}/"]] * 3
    assert dossier.documents.count() == 3
