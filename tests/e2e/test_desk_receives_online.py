"""A desk officer receives a dossier submitted online, from the queue, and downloads the receipt slip."""

import io

import pytest
from pypdf import PdfReader

from motcua.catalog.models import RequiredDocument
from motcua.identity.models import User
from motcua.workflow.services import Application, dossier_submit_online
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser


def submit_online_as_demo_citizen() -> str:
    citizen = User.objects.get(username="022190001234")
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published").order_by(
        "position"
    )
    form_data = {
        "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
        "so_dinh_danh_nguoi_yeu_cau": "022190001234",
        "quan_he_voi_tre": "Mẹ",
        "ho_ten_tre": "Trần Gia Bảo",
        "ngay_sinh": "2026-03-01",
        "gioi_tinh": "Nam",
        "noi_sinh": "Bệnh viện Bãi Cháy",
        "ho_ten_me": "Nguyễn Thị Lan",
    }
    application = Application(
        procedure_code="1.001193",
        agency_code="H49.101",
        form_data=form_data,
        uploads=[pdf(f"{d.pk}.pdf", d.pk) for d in docs],
    )
    return dossier_submit_online(actor=citizen, application=application).code


def test_desk_officer_receives_an_online_dossier_and_downloads_the_slip(demo_site, desktop) -> None:
    code = submit_online_as_demo_citizen()
    page = desktop
    sign_in_staff(page, demo_site.url, "motcua.xa")

    page.locator("nav a[href='/can-bo/ho-so/cho-tiep-nhan/']").click()
    page.get_by_role("link", name=code).click()
    assert page.locator("#dossier-code").inner_text() == code
    page.locator("#form-receive button[type=submit]").click()

    page.wait_for_selector("#slip-receipt")
    assert page.locator("#dossier-due").inner_text() != "—"
    slip = page.request.get(demo_site.url + page.locator("#slip-receipt").get_attribute("href"))
    assert slip.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(slip.body())).pages[0].extract_text()
    assert code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
