"""A certified electronic copy from an original (Nghị định 23/2015/NĐ-CP, Nghị định 45/2020/NĐ-CP art. 14).

A citizen brings a paper original to the commune desk; the desk officer receives the request with the
scan, records that the scan was compared with the original; the commune's leader certifies it: the copy
(the scan and an appended certification page with the book number) is signed with the commune's own
certificate; the clerk issues it, the desk returns it electronically. The copy is downloaded and verified
by pyHanko and by poppler's pdfsig; it is in the citizen's data store; the certification book lists it.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from motcua.demo.province import demo_agencies
from motcua.documents.constants import CERTIFIED_COPY_PROCEDURE_CODES, Origin
from motcua.documents.models import Certification, DigitizedDocument
from motcua.dossiers.constants import NationalStatus, Status
from motcua.dossiers.models import Dossier
from motcua.signing import verify_pdf
from motcua.signing.store import ca_cert_path
from tests.e2e.demo_forms import CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import make_pdf
from tests.results import page_text, pdfsig, pyhanko_coverage

pytestmark = pytest.mark.browser

E_COPY = CERTIFIED_COPY_PROCEDURE_CODES[0]
SHOTS = Path("/tmp/s4-certified-copy")


@pytest.fixture
def signing_first(settings: Any, tmp_path: Path) -> Path:
    settings.MOTCUA_SIGNING_DIR = tmp_path / "signing"
    return Path(settings.MOTCUA_SIGNING_DIR)


def _as(browser: Any, url: str, username: str, contexts: list[Any]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(20_000)
    contexts.append(context)
    return sign_in_staff(context.new_page(), url, username)


def test_a_certified_copy_is_issued_verified_and_stored(signing_first, demo_site, browser, tmp_path) -> None:
    SHOTS.mkdir(exist_ok=True)
    url = demo_site.url
    contexts: list[Any] = []
    try:
        # The desk receives the walk-in request with the scan of the original (two pages).
        desk = _as(browser, url, "motcua.xa", contexts)
        desk.locator("nav a[href='/can-bo/ho-so/tiep-nhan/']").click()
        desk.locator("input[name=q]").fill(CITIZEN)
        desk.locator("form[role=search] button[type=submit]").click()
        desk.locator("#found tbody a").first.click()
        desk.locator("select[name=procedure]").select_option(E_COPY)
        desk.locator("#choose-procedure button[type=submit]").click()
        desk.wait_for_url(re.compile(rf"\?procedure={re.escape(E_COPY)}$"))
        desk.locator("[name=eform-ho_ten_nguoi_yeu_cau]").fill("Nguyễn Thị Lan")
        desk.locator("[name=eform-so_dinh_danh_nguoi_yeu_cau]").fill(CITIZEN)
        desk.locator("[name=eform-ten_giay_to]").fill("Bằng tốt nghiệp đại học")
        desk.locator("[name=eform-so_ban]").fill("1")
        checklist = desk.locator("fieldset.checklist-item")
        checklist.nth(0).locator("input[type=file]").set_input_files(
            {"name": "ban-chinh.pdf", "mimeType": "application/pdf", "buffer": make_pdf("bang tot nghiep", pages=2)}
        )
        desk.locator("#walk-in-submit").click()
        desk.wait_for_url(re.compile(r"/can-bo/ho-so/H49[^/]+/$"))
        code = desk.locator("#dossier-code").inner_text()

        # It compares the scan with the original and sends the request to the certifier.
        desk.goto(f"{url}/can-bo/xu-ly/{code}/")
        desk.locator("#certification-link").click()
        assert desk.locator("#quote-pages").inner_text() == "2 trang, 1 bản"
        assert desk.locator("#quote-fee").inner_text().startswith("4.000 đ")
        desk.locator("#compare-form button[type=submit]").click()  # not ticked: refused, nothing changes
        assert "Xác nhận rằng bạn đã đối chiếu" in desk.locator("#compare-form").inner_text()
        desk.locator("#compare-form input[name=compared]").check()
        desk.screenshot(path=str(SHOTS / "1-compare.png"), full_page=True)
        desk.locator("#compare-form button[type=submit]").click()
        desk.wait_for_selector(".messages .message")
        assert desk.locator("#compared").inner_text() == "Có, bộ phận Một cửa đã ghi nhận"

        # The commune's leader certifies: numbered from the book, signed with the commune's certificate.
        leader = _as(browser, url, "lanhdao.xa", contexts)
        leader.goto(f"{url}/can-bo/chung-thuc/{code}/")
        leader.locator("#certify-form button[type=submit]").click()
        leader.wait_for_selector("#certification-number")
        assert leader.locator("#certification-number").inner_text() == "1"
        assert re.fullmatch(r"01/\d{4}-SCT/BS", leader.locator("#certification-volume").inner_text())
        assert leader.locator("#certification-fee").inner_text() == "4.000 đ"
        leader.screenshot(path=str(SHOTS / "2-certified.png"), full_page=True)
        response = leader.request.get(url + (leader.locator("#copy-download").get_attribute("href") or ""))
        assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
        copy = response.body()

        # The clerk issues it, the desk returns it electronically.
        clerk = _as(browser, url, "vanthu.xa", contexts)
        clerk.goto(f"{url}/can-bo/xu-ly/{code}/")
        clerk.locator("#form-issue_result button[type=submit]").click()
        clerk.wait_for_selector(".messages .message")
        assert clerk.locator("#result-number").inner_text().startswith("Số 1, quyển số 01/")
        desk.goto(f"{url}/can-bo/xu-ly/{code}/")
        desk.locator("#form-return_result input[value=electronic]").check()
        desk.locator("#form-return_result button[type=submit]").click()
        desk.wait_for_selector(".messages .message")
        dossier = Dossier.objects.get(code=code)
        assert (dossier.status, dossier.national_status) == (Status.RETURNED, NationalStatus.RETURNED)

        # The certification book lists it, on the page and in the XLSX.
        leader.locator("nav a[href='/can-bo/so-chung-thuc/']").click()
        leader.locator("select[name=agency]").select_option("H49.101")
        leader.locator("main form button[type=submit]").click()
        assert code in leader.locator("#book-rows").inner_text()
        leader.screenshot(path=str(SHOTS / "3-book.png"), full_page=True)
        book = leader.request.get(
            url + "/can-bo/so-chung-thuc/" + (leader.locator("#book-xlsx").get_attribute("href") or "")
        )
        sheet = load_workbook(BytesIO(book.body())).active
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        assert rows[6][1] == 1 and rows[6][5] == "Bằng tốt nghiệp đại học" and rows[6][9] == code
    finally:
        for context in contexts:
            context.close()

    # The copy: the two scanned pages and the certification page, signed by the commune (whole file).
    (SHOTS / "copy.pdf").write_bytes(copy)
    text = " ".join(page_text(copy).split())
    assert "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH" in text and "Số chứng thực: 1" in text
    assert "Lệ phí chứng thực: 4.000 đồng" in text
    commune = demo_agencies()["commune"].name
    with ThreadPoolExecutor(max_workers=1) as pool:  # pyHanko runs its own event loop
        report = pool.submit(verify_pdf, copy).result()
        coverage = pool.submit(pyhanko_coverage, copy, ca_cert_path(signing_first)).result()
    assert [(s.signer_name, s.intact, s.valid) for s in report.signatures] == [(commune, True, True)]
    assert coverage == [("ENTIRE_FILE", "NONE", True, True)]
    assert shutil.which("pdfsig")
    output = pdfsig(copy, tmp_path)
    assert output.count("Signature Validation: Signature is Valid.") == 1, output
    assert f"Signer Certificate Common Name: {commune}" in output, output

    # It is in the citizen's data store as a certified copy, with the file the citizen receives.
    entry = Certification.objects.select_related("document").get(dossier__code=code)
    stored = DigitizedDocument.objects.get(pk=entry.document_id)
    assert stored.origin == Origin.CERTIFIED_COPY
    assert stored.store.owner_id_number == CITIZEN
    assert re.fullmatch(rf"{CITIZEN}\.CT\.H49\.101\.\d{{4}}\.000001\.01", stored.code)
    assert stored.result.dossier.code == code
    with stored.file.open("rb") as handle:
        assert handle.read() == copy
