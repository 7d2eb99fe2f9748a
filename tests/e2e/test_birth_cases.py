"""Issue 12 acceptance: birth registration on a 360 px phone follows the case. A mother submits without
an authorisation letter and gets a dossier; through an authorised person the letter is asked for and
nothing is created without it."""

import re
from typing import Any

import pytest

from motcua.dossiers.models import Dossier, DossierDocument
from tests.e2e.test_submission_once import CHILD, PDF_FILE, log_in_and_fill

pytestmark = pytest.mark.browser

LETTER = "Văn bản ủy quyền"


def document_row(page: Any, name: str) -> Any:
    return page.locator("[data-document]").filter(has_text=name)


def fill_visible_documents(page: Any) -> None:
    """A file for each document shown as required (the others are left alone)."""
    for index in range(page.locator("[data-document]").count()):
        row = page.locator("[data-document]").nth(index)
        if row.is_visible() and row.locator(".req").is_visible():
            row.locator('input[type="file"]').set_input_files(files=[PDF_FILE])


def test_a_mother_submits_on_a_phone_without_an_authorisation_letter(demo_site, phone) -> None:
    log_in_and_fill(phone, demo_site.url)
    assert not phone.locator('[name="eform-submitted_by_authorised_person"]').is_checked()
    assert document_row(phone, LETTER).is_hidden()  # she submits herself: the letter does not apply
    # The condition stated in words is shown with its own box, not required.
    residence = document_row(phone, "Giấy tờ chứng minh nơi cư trú")
    assert residence.is_visible() and "Trường hợp này áp dụng với tôi" in residence.inner_text()
    for index in (2, 3):  # the letter and the proof of residence: no file
        phone.locator("[data-document]").nth(index).locator('input[type="file"]').set_input_files(files=[])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator('button[name="action"][value="submit"]').click()

    phone.wait_for_url(re.compile(r"/nop-ho-so/xong/"))
    dossier = Dossier.objects.get(code=phone.locator("#dossier-code").inner_text().strip())
    assert dossier.case_code == "dung-han"
    assert list(dossier.documents.order_by("id").values_list("name", flat=True)) == [
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh",
    ]


def test_through_an_authorised_person_the_letter_is_asked_for_and_nothing_is_created(demo_site, phone) -> None:
    log_in_and_fill(phone, demo_site.url)
    phone.check('[name="eform-submitted_by_authorised_person"]')
    letter = document_row(phone, LETTER)
    assert letter.is_visible() and letter.locator(".req").is_visible()
    assert "Trường hợp nộp hồ sơ thông qua người được ủy quyền" in letter.inner_text()
    for index in (2, 3):
        phone.locator("[data-document]").nth(index).locator('input[type="file"]').set_input_files(files=[])
    before = (Dossier.objects.count(), DossierDocument.objects.count())
    phone.locator('button[name="action"][value="submit"]').click()

    phone.wait_for_selector(".error-summary")
    assert "/xong/" not in phone.url
    assert LETTER in document_row(phone, LETTER).inner_text()
    assert document_row(phone, LETTER).locator(".field-error").is_visible()
    assert (Dossier.objects.count(), DossierDocument.objects.count()) == before
    # The files already chosen are kept: only the letter is missing.
    assert phone.locator(".staged").count() == 2
    assert phone.locator('[name="eform-ho_ten_tre"]').input_value() == CHILD["eform-ho_ten_tre"]
