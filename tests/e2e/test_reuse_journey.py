"""Issue 14 acceptance: a citizen's second dossier reuses the birth extract and the ID document from the
first without uploading anything, and the receipt says so (on a 360 px phone)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.demo.province import DEMO_PASSWORD
from motcua.documents.models import DigitizedDocument, DocumentReuse
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips import SlipKind, slip_html
from motcua.identity.models import User
from motcua.workflow.services import dossier_receive
from tests.intake import make_pdf

pytestmark = pytest.mark.browser

CITIZEN = "022190001234"  # Nguyễn Thị Lan, a demo citizen
CORRECTION, RE_REGISTRATION = "1.004859", "1.004884"
SHOTS = "/tmp/s2-reuse-journey"


def pdf_file(note: str) -> dict[str, Any]:
    return {"name": f"{note}.pdf", "mimeType": "application/pdf", "buffer": make_pdf(note)}


def documents(code: str) -> dict[str, RequiredDocument]:
    version = Procedure.objects.get(code=code).current_version
    return {d.document_type_code: d for d in RequiredDocument.objects.filter(version=version)}


def sign_in_citizen(page: Any, base_url: str) -> None:
    page.goto(base_url + "/dang-nhap/")
    page.locator("input[name=username]").fill(CITIZEN)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))


def fill(page: Any, values: dict[str, str], choices: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f'[name="eform-{name}"]', value)
    for name, value in choices.items():
        page.select_option(f'select[name="eform-{name}"]', value)


def submit(page: Any) -> str:
    page.check('input[name="confirm"]')
    page.locator('button[name="action"][value="submit"]').click()
    page.wait_for_url(re.compile(r"/nop-ho-so/xong/"))
    return str(page.locator("#dossier-code").inner_text().strip())


def test_the_second_dossier_takes_the_birth_extract_and_the_id_card_from_the_store(demo_site, phone) -> None:
    page = phone
    sign_in_citizen(page, demo_site.url)

    # First dossier: correction of civil status, every paper uploaded.
    first_docs = documents(CORRECTION)
    page.goto(f"{demo_site.url}/thu-tuc/{CORRECTION}/nop-ho-so/")
    assert page.locator("[data-reuse]").count() == 0  # nothing in the store yet
    page.select_option('select[name="agency"]', "H49.101")
    fill(
        page,
        {
            "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
            "so_dinh_danh_nguoi_yeu_cau": CITIZEN,
            "ho_ten_nguoi_duoc_dieu_chinh": "Nguyễn Thị Lan",
            "noi_dung_de_nghi": "Nguyễn Thị Lan",
            "ly_do": "Sai dấu trong tên",
        },
        {"loai_yeu_cau": "Cải chính"},
    )
    for type_code in ("TKTDHT", "GKS", "CCCD", "GTCCHT"):
        page.locator(f'input[name="document_{first_docs[type_code].pk}"]').set_input_files(files=[pdf_file(type_code)])
    first_code = submit(page)

    # The desk receives it: its components are digitized into the citizen's store.
    dossier_receive(actor=User.objects.get(username="motcua.xa"), code=first_code)
    stored = {d.type_code: d.code for d in DigitizedDocument.objects.filter(store__owner_id_number=CITIZEN)}
    assert stored == {
        "TKTDHT": f"{CITIZEN}.1.004859.TKTDHT.01",
        "GKS": f"{CITIZEN}.1.004859.GKS.01",
        "CCCD": f"{CITIZEN}.1.004859.CCCD.01",
        "GTCCHT": f"{CITIZEN}.1.004859.GTCCHT.01",
    }

    # Second dossier, another procedure: both documents are proposed, already chosen.
    second_docs = documents(RE_REGISTRATION)
    page.goto(f"{demo_site.url}/thu-tuc/{RE_REGISTRATION}/nop-ho-so/")
    page.select_option('select[name="agency"]', "H49.101")
    for type_code in ("GKS", "CCCD"):
        pk = second_docs[type_code].pk
        chosen = page.locator(f'input[name="reuse_{pk}"][value="{stored[type_code]}"]')
        assert chosen.is_checked()
        # Taken from the store: no file to choose for it.
        assert not page.locator(f'input[name="document_{pk}"]').is_visible()
    assert page.locator("[data-reuse]").count() == 2
    assert "Dùng giấy tờ đã có trong kho dữ liệu" in page.locator("#step-documents").inner_text()
    fill(
        page,
        {
            "ho_ten_nguoi_yeu_cau": "Nguyễn Thị Lan",
            "so_dinh_danh_nguoi_yeu_cau": CITIZEN,
            "ho_ten": "Nguyễn Thị Lan",
            "ngay_sinh": "1990-05-12",
            "noi_dang_ky_truoc_day": "UBND xã Hồng Gai",
        },
        {"gioi_tinh": "Nữ"},
    )
    page.locator(f'input[name="document_{second_docs["TKDLKS"].pk}"]').set_input_files(files=[pdf_file("to-khai")])
    page.locator("#step-documents").screenshot(path=f"{SHOTS}-documents.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits a 360 px phone
    second_code = submit(page)
    done = page.locator("main").inner_text()
    assert done.count("Tái sử dụng từ kho dữ liệu (mã ") == 2
    page.screenshot(path=f"{SHOTS}-done.png", full_page=True)

    second = Dossier.objects.get(code=second_code)
    assert second.procedure.code == RE_REGISTRATION
    assert sorted(DocumentReuse.objects.filter(dossier=second).values_list("source__code", flat=True)) == sorted(
        [stored["GKS"], stored["CCCD"]]
    )
    assert second.documents.exclude(file="").count() == 1  # only the form was uploaded

    # Received: the receipt says which documents were reused, with their codes, and certifies no paper.
    dossier_receive(actor=User.objects.get(username="motcua.xa"), code=second_code)
    html = slip_html(second, SlipKind.RECEIPT)
    assert f"Tái sử dụng từ kho dữ liệu (mã {stored['GKS']})" in html
    assert f"Tái sử dụng từ kho dữ liệu (mã {stored['CCCD']})" in html
    slip = page.request.get(f"{demo_site.url}/ho-so-cua-toi/{second_code}/phieu/receipt.pdf")
    assert slip.headers["content-type"] == "application/pdf"
    Path(f"{SHOTS}-receipt.pdf").write_bytes(slip.body())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.body())).pages)
    flat = re.sub(r"\s+", "", text)
    assert flat.count("Táisửdụngtừkhodữliệu") == 2
    assert f"(mã{stored['GKS']})" in flat and f"(mã{stored['CCCD']})" in flat

    page.goto(f"{demo_site.url}/ho-so-cua-toi/{second_code}/")
    assert page.locator("main").inner_text().count("Tái sử dụng từ kho dữ liệu (mã ") == 2
    page.screenshot(path=f"{SHOTS}-my-dossier.png", full_page=True)
