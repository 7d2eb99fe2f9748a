"""A citizen whose dossier waits for a fee (national status 6) pays it online on a phone: the portal sends
the browser to the payment sandbox (the national platform's side), the sandbox posts its signed callback to
the live site and sends the browser back; the return page shows the payment confirmed and the dossier has
left status 6."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from motcua.demo.province import DEMO_PASSWORD
from motcua.identity.models import User
from motcua.payments.constants import PaymentMoment
from motcua.payments.models import PaymentCallback, PaymentRequest
from motcua.workflow.processing import dossier_forward, dossier_request_payment
from motcua.workflow.services import dossier_receive
from tests.e2e.live_db import read
from tests.e2e.test_desk_receives_online import submit_online_as_demo_citizen

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-payment")


def waiting_for_a_fee() -> tuple[str, str]:
    """The demo citizen's birth dossier, received and forwarded; the specialist asks for 8,000 đồng."""
    code = submit_online_as_demo_citizen()
    desk = User.objects.get(username="motcua.xa")
    specialist = User.objects.get(username="chuyenvien.xa")
    dossier_receive(actor=desk, code=code)
    dossier_forward(actor=desk, code=code, assignee=specialist)
    dossier = dossier_request_payment(actor=specialist, code=code, amount=8000, note="Lệ phí đăng ký khai sinh")
    # The authority's request is made with the event, in its transaction (payments.requests).
    request = PaymentRequest.objects.get(dossier=dossier, moment=PaymentMoment.AUTHORITY)
    return code, request.reference


def test_a_citizen_pays_the_requested_fee_with_the_national_platform_on_a_phone(
    demo_site: Any, fake_service: Any, settings: Any, phone: Any, tmp_path: Any
) -> None:
    SHOTS.mkdir(exist_ok=True)
    settings.SITE_URL = demo_site.url
    code, reference = waiting_for_a_fee()
    sandbox = fake_service("payment_sandbox")

    phone.goto(demo_site.url + "/dang-nhap/")
    phone.locator("input[name=username]").fill("022190001234")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/tai-khoan/$"))
    phone.goto(f"{demo_site.url}/ho-so-cua-toi/{code}/")
    assert phone.locator(".facts .badge").first.inner_text() == "Yêu cầu thực hiện nghĩa vụ tài chính"
    box = phone.locator("#payments")
    assert box.locator(".payment-amount").inner_text() == "8.000 đồng"
    assert box.locator(".payment-status").inner_text() == "Chưa thanh toán"
    box.scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "1-dossier-fee.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone

    box.get_by_role("button", name="Thanh toán trực tuyến").click()
    phone.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/national/pay\?"))
    assert sandbox.url in phone.url
    assert phone.locator("#sandbox-amount").inner_text() == "8.000 đ"
    assert phone.locator("#sandbox-reference").inner_text() == f"{reference}.1"
    phone.screenshot(path=str(SHOTS / "2-sandbox-page.png"), full_page=True)

    phone.locator("#sandbox-pay").click()
    phone.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/thanh-toan/{re.escape(reference)}/ket-qua/$"))
    status = phone.locator("#payment-status")
    status.get_by_text("Đã thanh toán").wait_for()
    assert re.fullmatch(r"Đã thanh toán biên lai BL\.H49\.101\.2026\.\d{6}", status.inner_text().strip())
    phone.screenshot(path=str(SHOTS / "3-paid.png"), full_page=True)

    phone.get_by_role("link", name="Quay lại hồ sơ").click()
    phone.wait_for_url(re.compile(rf"/ho-so-cua-toi/{re.escape(code)}/$"))
    assert phone.locator(".facts .badge").first.inner_text() == "Đang xử lý"
    assert phone.locator("#payments .payment-status .badge").inner_text() == "Đã thanh toán"
    assert phone.locator("#payments form.pay-online").count() == 0
    phone.screenshot(path=str(SHOTS / "4-dossier-paid.png"), full_page=True)
    number = read(lambda: PaymentRequest.objects.get(reference=reference).receipt_number)
    with phone.expect_download() as download:  # the e-receipt of the online payment, from the dossier page
        phone.locator("#receipt-1").click()
    receipt = str(tmp_path / "receipt.pdf")
    download.value.save_as(receipt)
    text = " ".join(
        subprocess.run(["pdftotext", receipt, "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert f"Số: {number}" in text
    assert "Viết bằng chữ: Tám nghìn đồng" in text

    paid = read(lambda: PaymentRequest.objects.values_list("status", "method", "provider").get(reference=reference))
    assert paid == ("paid", "online", "national")
    assert read(lambda: list(PaymentCallback.objects.values_list("outcome", "signature_valid"))) == [("applied", True)]
    assert [c["http_status"] for c in sandbox.app.state["callbacks"]] == [200]
