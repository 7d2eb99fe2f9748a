"""A desk officer scans a paper document at a walk-in reception: it lands in the owner's data store as a
coded, signed, searchable PDF/A whose text holds the phrase on the paper (issue 14 §1)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from motcua.documents.constants import TextLayer
from motcua.documents.models import DigitizedDocument
from motcua.signing.store import ca_cert_path, signing_dir
from tests.e2e.staff_login import sign_in_staff
from tests.results import pdfsig, pyhanko_coverage
from tests.scans import PHRASE, pdf_text, pdfa_part, phrase_png

pytestmark = pytest.mark.browser

CITIZEN_ID = "022196003333"
OFFICER = "Lê Thị Mai"  # motcua.xa in the demo province


def test_a_scanned_paper_becomes_a_signed_searchable_pdfa(demo_site, desktop, run_tasks, tmp_path: Path) -> None:
    page = desktop
    sign_in_staff(page, demo_site.url, "motcua.xa")

    page.locator("nav a[href='/can-bo/ho-so/tiep-nhan/']").click()
    page.locator("input[name=q]").fill(CITIZEN_ID)
    page.locator("form[role=search] button[type=submit]").click()
    form = page.locator("#create-applicant")
    form.locator("input[name=full_name]").fill("Phạm Thị Hoa")
    form.locator("input[name=personal_id]").fill(CITIZEN_ID)
    form.locator("input[name=phone]").fill("0909876511")
    form.locator("button[type=submit]").click()
    page.locator("#continue-dossier").click()

    page.locator("select[name=procedure]").select_option("1.001193")
    page.locator("#choose-procedure button[type=submit]").click()
    page.wait_for_url(re.compile(r"\?procedure=1\.001193$"))
    page.locator("[name=eform-ho_ten_nguoi_yeu_cau]").fill("Phạm Thị Hoa")
    page.locator("[name=eform-so_dinh_danh_nguoi_yeu_cau]").fill(CITIZEN_ID)
    page.locator("[name=eform-quan_he_voi_tre]").select_option("Mẹ")
    page.locator("[name=eform-ho_ten_tre]").fill("Nguyễn Minh Khôi")
    page.locator("[name=eform-ngay_sinh]").fill("2026-03-01")
    page.locator("[name=eform-gioi_tinh]").select_option("Nam")
    page.locator("[name=eform-noi_sinh]").fill("Bệnh viện Bãi Cháy")
    page.locator("[name=eform-ho_ten_me]").fill("Phạm Thị Hoa")
    checklist = page.locator("fieldset.checklist-item")
    # The paper form, scanned at the desk (the scanner's PNG).
    checklist.nth(0).locator("input[type=file]").set_input_files(
        {"name": "to-khai-scan.png", "mimeType": "image/png", "buffer": phrase_png()}
    )
    checklist.nth(1).locator("select").select_option("original")
    page.locator("#walk-in-submit").click()
    page.wait_for_url(re.compile(r"/can-bo/ho-so/H49[^/]+/$"), timeout=120_000)
    code = page.locator("#dossier-code").inner_text()

    # The worker makes the store copy (here in process, through the production worker's claim-and-run).
    run_tasks()
    digitized = DigitizedDocument.objects.get(dossier__code=code)
    assert digitized.text_layer == TextLayer.DONE
    page.reload()
    entry = page.locator(f"#store-copy-{digitized.pk}")
    text = entry.inner_text()
    assert digitized.code in text and digitized.code.startswith(f"{CITIZEN_ID}.1.001193.")
    assert f"ký số bởi {OFFICER}" in text
    assert "có thể tìm kiếm" in text
    entry.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/s1-desk-scan-dossier.png", full_page=True)

    with page.expect_download() as download_info:
        entry.locator("a.code").click()
    data = Path(download_info.value.path()).read_bytes()
    assert download_info.value.suggested_filename == f"{digitized.code}.pdf"
    assert pdfa_part(data) == ("2", "B")
    assert PHRASE in pdf_text(data)
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyHanko runs its own event loop; Playwright's runs here
        coverage = pool.submit(pyhanko_coverage, data, ca_cert_path(signing_dir())).result()
    assert coverage == [("ENTIRE_FILE", "NONE", True, True)]
    output = pdfsig(data, tmp_path)
    assert "Signature Validation: Signature is Valid." in output, output
    assert f"Signer Certificate Common Name: {OFFICER}" in output
