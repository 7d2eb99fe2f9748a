"""Fees at the desk, in a browser (issue 16).

A late birth registration (demo catalog: "Lệ phí đăng ký khai sinh quá hạn", 8.000 đồng at reception) is
received: the fee is asked. The desk officer opens the dossier, types a wrong amount (refused, in
Vietnamese, nothing recorded), then records the cash; the e-receipt PDF downloads with its number and the
amount in figures and words. The citizen, on a 360 px phone, sees "Đã thanh toán" and downloads the same
receipt.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.catalog.models import RequiredDocument
from motcua.identity.models import User
from motcua.payments.constants import PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.workflow.services import Application, dossier_receive, dossier_submit_online
from tests.e2e.conftest import PHONE
from tests.e2e.demo_forms import BIRTH_FORM, CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-payment")


def pdf_text(path: str) -> str:
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


def received_late_birth() -> str:
    citizen = User.objects.get(username=CITIZEN)
    docs = RequiredDocument.objects.filter(
        version__procedure__code="1.001193", version__status="published", requirement="always"
    ).order_by("position")
    application = Application(
        procedure_code="1.001193",
        agency_code="H49.101",
        case="qua-han",
        form_data={**BIRTH_FORM, "ngay_sinh": "2025-06-01"},
        uploads=[pdf(f"{d.pk}.pdf", d.pk) for d in docs],
    )
    code = dossier_submit_online(actor=citizen, application=application).code
    dossier_receive(actor=User.objects.get(username="motcua.xa"), code=code)
    return code


def test_the_desk_records_cash_and_both_download_the_receipt(demo_site, browser, desktop, tmp_path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    code = received_late_birth()
    reference = f"{code}.TT01"
    number = f"BL.H49.101.{timezone.localtime().year}.000001"
    request = PaymentRequest.objects.get(reference=reference)
    assert (request.name, request.amount, request.status) == (
        "Lệ phí đăng ký khai sinh quá hạn",
        8000,
        PaymentStatus.UNPAID,
    )

    desk = sign_in_staff(desktop, demo_site.url, "motcua.xa")
    desk.goto(f"{demo_site.url}/can-bo/ho-so/{code}/")
    row = desk.locator(f"[id='payment-{reference}']")
    assert "Chưa thanh toán" in row.inner_text()
    desk.locator("#payments details summary").click()
    desk.locator("#payments").screenshot(path=str(SHOTS / "backoffice-payments-unpaid.png"))
    form = desk.locator(f"[id='form-pay-{reference}']")
    form.locator("input[name=amount]").fill("800")
    form.locator("button[type=submit]").click()
    desk.wait_for_selector(".messages .message.error")
    assert "Số tiền nhận (800 đồng) khác số tiền phải nộp (8.000 đồng)." in desk.locator(".messages").inner_text()
    assert PaymentRequest.objects.get(reference=reference).status == PaymentStatus.UNPAID

    form = desk.locator(f"[id='form-pay-{reference}']")
    form.locator("select[name=method]").select_option("cash")
    form.locator("input[name=amount]").fill("8000")
    form.locator("button[type=submit]").click()
    desk.wait_for_selector(".messages .message.success")
    paid = PaymentRequest.objects.get(reference=reference)
    assert (paid.status, paid.receipt_number) == (PaymentStatus.PAID, number)
    assert "Đã thanh toán" in desk.locator(f"[id='payment-{reference}']").inner_text()
    desk.locator("#payments").screenshot(path=str(SHOTS / "backoffice-payments.png"))

    with desk.expect_download() as staff_download:
        desk.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = ''; "
            "document.body.appendChild(a); a.click(); }",
            desk.locator(f"[id='receipt-{reference}']").get_attribute("href"),
        )
    staff_pdf = str(tmp_path / "staff.pdf")
    staff_download.value.save_as(staff_pdf)
    staff_text = pdf_text(staff_pdf)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in staff_text
    assert f"Số: {number}" in staff_text
    assert "Số tiền: 8.000 đồng" in staff_text
    assert "Viết bằng chữ: Tám nghìn đồng" in staff_text

    context = browser.new_context(**PHONE)
    context.set_default_timeout(15_000)
    citizen = context.new_page()
    citizen.goto(demo_site.url + "/dang-nhap/")
    citizen.locator("input[name=username]").fill(CITIZEN)
    citizen.locator("input[name=password]").fill("motcua-demo")
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url(re.compile(r"/tai-khoan/$"))
    citizen.goto(f"{demo_site.url}/ho-so-cua-toi/{code}/")
    payments = citizen.locator("#payments")
    assert "Lệ phí đăng ký khai sinh quá hạn" in payments.inner_text()
    assert citizen.locator("#payment-status-1").inner_text() == "Đã thanh toán"
    payments.scroll_into_view_if_needed()
    citizen.screenshot(path=str(SHOTS / "citizen-payments-360.png"), full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360  # nothing overflows the phone
    with citizen.expect_download() as citizen_download:
        citizen.locator("#receipt-1").click()
    citizen_pdf = str(tmp_path / "citizen.pdf")
    citizen_download.value.save_as(citizen_pdf)
    assert pdf_text(citizen_pdf) == staff_text  # the same receipt
    context.close()
