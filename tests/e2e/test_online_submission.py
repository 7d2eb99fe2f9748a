import re

import pytest

from motcua.dossiers.models import Dossier
from tests.intake import make_pdf

pytestmark = pytest.mark.browser

PERSONAL_ID = "022195001111"
PASSWORD = "mật-khẩu-dài-2026"
PDF_FILE = {"name": "x.pdf", "mimeType": "application/pdf", "buffer": make_pdf("scanned document")}
# Required fields of the demo catalog's birth-registration e-form (1.001193), by input name.
BIRTH_FORM = {
    "eform-ho_ten_nguoi_yeu_cau": "Trần Thị Hoa",
    "eform-so_dinh_danh_nguoi_yeu_cau": PERSONAL_ID,
    "eform-ho_ten_tre": "Nguyễn Minh Khang",
    "eform-ngay_sinh": "2026-03-01",
    "eform-noi_sinh": "Bệnh viện Sản Nhi Quảng Ninh",
    "eform-ho_ten_me": "Trần Thị Hoa",
}


def test_a_new_citizen_registers_and_submits_a_dossier_online_on_a_phone(demo_site, phone) -> None:
    phone.goto(demo_site.url + "/dang-ky/")
    phone.check('input[name="kind"][value="citizen"]')
    phone.fill('input[name="full_name"]', "Trần Thị Hoa")
    phone.fill('input[name="personal_id"]', PERSONAL_ID)
    phone.fill('input[name="phone"]', "0901234567")
    phone.fill('input[name="email"]', "tran.thi.hoa@example.vn")
    phone.fill('input[name="password1"]', PASSWORD)
    phone.fill('input[name="password2"]', PASSWORD)
    phone.locator('form button[type="submit"]').last.click()
    phone.wait_for_url(re.compile(r"/tai-khoan/$"))

    phone.goto(demo_site.url + "/thu-tuc/1.001193/")
    phone.locator('a[href="/thu-tuc/1.001193/nop-ho-so/"]').click()
    phone.wait_for_url(re.compile(r"/thu-tuc/1\.001193/nop-ho-so/$"))
    # Every commune offers it: the applicant chooses (the first option is the "choose" prompt).
    phone.select_option('select[name="agency"]', index=1)
    for name, value in BIRTH_FORM.items():
        phone.fill(f'[name="{name}"]', value)
    phone.select_option('select[name="eform-quan_he_voi_tre"]', "Mẹ")
    phone.select_option('select[name="eform-gioi_tinh"]', "Nam")
    files = phone.locator('input[type="file"]')
    assert files.count() == 4
    for index in range(files.count()):
        files.nth(index).set_input_files(files=[PDF_FILE])
    phone.check('input[name="confirm"]')
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone
    phone.locator('button[name="action"][value="submit"]').click()

    phone.wait_for_url(re.compile(r"/nop-ho-so/xong/"))
    code = phone.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"H49\.[0-9]+-\d{6}-\d{4}", code)
    assert phone.locator("#dossier-status").inner_text() != ""

    dossier = Dossier.objects.get(code=code)
    assert (dossier.applicant.personal_id, dossier.status, dossier.channel) == (PERSONAL_ID, "submitted", "online")
    # The authorisation letter does not apply to a mother applying herself: its file is not sent.
    assert dossier.documents.count() == 3
    assert dossier.form_data["ho_ten_tre"] == "Nguyễn Minh Khang"

    # "My dossiers" is built separately: when it is served, the new dossier is listed there.
    response = phone.goto(demo_site.url + "/ho-so-cua-toi/")
    if response is not None and response.status == 200:
        assert code in phone.content()
