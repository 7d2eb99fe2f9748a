"""A desk officer receives a walk-in dossier for a citizen who has no account yet."""

import re

import pytest

from motcua.dossiers.constants import NationalStatus
from motcua.dossiers.models import Dossier
from tests.e2e.staff_login import sign_in_staff
from tests.intake import PDF

pytestmark = pytest.mark.browser

CODE = re.compile(r"^H49\.[0-9]+-\d{6}-\d{4}$")


def test_desk_officer_receives_a_walk_in_dossier_for_a_new_citizen(demo_site, desktop) -> None:
    page = desktop
    sign_in_staff(page, demo_site.url, "motcua.xa")

    # Step 1: nobody with this ID yet, so the officer opens the account on the spot.
    page.locator("nav a[href='/can-bo/ho-so/tiep-nhan/']").click()
    page.locator("input[name=q]").fill("022196002222")
    page.locator("form[role=search] button[type=submit]").click()
    assert page.locator("#found tbody tr").count() == 1
    assert page.locator("#found tbody a").count() == 0
    form = page.locator("#create-applicant")
    form.locator("input[name=full_name]").fill("Phạm Thị Hoa")
    form.locator("input[name=personal_id]").fill("022196002222")
    form.locator("input[name=phone]").fill("0909876543")
    form.locator("button[type=submit]").click()
    assert page.locator("#handover-login").inner_text() == "022196002222"
    assert len(page.locator("#handover-password").inner_text()) == 10
    page.locator("#continue-dossier").click()

    # Step 2: the procedure first, then its agencies, e-form and checklist.
    assert "Phạm Thị Hoa" in page.locator("#walk-in-applicant").inner_text()
    page.locator("select[name=procedure]").select_option("1.001193")
    page.locator("#choose-procedure button[type=submit]").click()
    page.wait_for_url(re.compile(r"\?procedure=1\.001193$"))
    assert page.locator("select[name=agency]").input_value() == "H49.101"  # the officer's own commune
    assert page.locator("select[name=desk]").input_value() == "H49.101.MC"

    page.locator("[name=eform-ho_ten_nguoi_yeu_cau]").fill("Phạm Thị Hoa")
    page.locator("[name=eform-so_dinh_danh_nguoi_yeu_cau]").fill("022196002222")
    page.locator("[name=eform-quan_he_voi_tre]").select_option("Mẹ")
    page.locator("[name=eform-ho_ten_tre]").fill("Nguyễn Minh Khôi")
    page.locator("[name=eform-ngay_sinh]").fill("2026-03-01")
    page.locator("[name=eform-gioi_tinh]").select_option("Nam")
    page.locator("[name=eform-noi_sinh]").fill("Bệnh viện Bãi Cháy")
    page.locator("[name=eform-ho_ten_me]").fill("Phạm Thị Hoa")

    checklist = page.locator("fieldset.checklist-item")
    assert checklist.count() == 4
    checklist.nth(0).locator("input[type=file]").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    # The mother applies herself: the authorisation letter does not apply and is not shown; the proof
    # of residence is only needed when she ticks that its condition applies.
    assert checklist.nth(2).is_hidden() and checklist.nth(3).is_visible()
    checklist.nth(1).locator("select").select_option("original")  # the birth certificate, seen
    page.locator("#walk-in-submit").click()

    page.wait_for_url(re.compile(r"/can-bo/ho-so/H49[^/]+/$"))
    code = page.locator("#dossier-code").inner_text()
    assert CODE.match(code), code
    assert page.locator("#slip-receipt").is_visible()
    assert page.locator("#documents tbody tr").count() == 2  # what was received, nothing more
    dossier = Dossier.objects.get(code=code)
    assert (dossier.national_status, dossier.applicant.username, dossier.channel) == (
        NationalStatus.ACCEPTED,
        "022196002222",
        "desk",
    )
