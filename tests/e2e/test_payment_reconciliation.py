"""A desk officer of the demo commune imports the provider's statement of the day and sees what does not
match: a payment whose callback was lost, one recorded here that the statement lacks, a duplicate line; the
same file again is refused. Desktop viewport (a back-office page)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from motcua.catalog.models import RequiredDocument
from motcua.demo.province import demo_agencies
from motcua.identity.models import User
from motcua.payments.constants import PaymentMethod, PaymentMoment
from motcua.payments.models import PaymentAttempt, Statement
from motcua.payments.settle import payment_request_add, payment_settle, payment_started
from motcua.workflow.services import Application, dossier_receive, dossier_submit_online
from tests.e2e.demo_forms import BIRTH_FORM, CITIZEN
from tests.e2e.staff_login import sign_in_staff
from tests.intake import pdf

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-reconciliation")
DESK = "motcua.xa"


def paid_online(ref: str, amount: int, *, settled: bool) -> PaymentAttempt:
    docs = RequiredDocument.objects.filter(version__procedure__code="1.001193", version__status="published")
    uploads = [pdf(f"{d.pk}.pdf", d.pk) for d in docs.order_by("position")]
    application = Application(
        procedure_code="1.001193", agency_code=demo_agencies()["commune"].code, form_data=BIRTH_FORM, uploads=uploads
    )
    dossier = dossier_submit_online(actor=User.objects.get(username=CITIZEN), application=application)
    dossier = dossier_receive(actor=User.objects.get(username=DESK), code=dossier.code)
    request = payment_request_add(dossier=dossier, name="Lệ phí", moment=PaymentMoment.RECEPTION, full_amount=amount)
    attempt = PaymentAttempt.objects.create(request=request, provider="national", transaction_ref=ref, amount=amount)
    payment_started(request_id=request.pk)
    if settled:
        payment_settle(
            request_id=request.pk, method=PaymentMethod.ONLINE, amount=amount, provider="national", attempt=attempt
        )
    return attempt


def test_a_desk_officer_reconciles_the_day(demo_site: Any, desktop: Any, tmp_path: Path) -> None:
    SHOTS.mkdir(exist_ok=True)
    paid_online("E2E-T1", 50000, settled=True)  # in the statement: matched
    paid_online("E2E-T2", 30000, settled=False)  # the callback was lost: the statement says paid
    paid_online("E2E-T3", 20000, settled=True)  # not in the statement
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        "MaThamChieu,MaGiaoDich,SoTien,LoaiTien,ThoiGianThanhToan,MaKetQua\n"
        f"E2E-T1,P1,50000,VND,{stamp},00\nE2E-T2,P2,30000,VND,{stamp},00\nE2E-T2,P2,30000,VND,{stamp},00\n",
        encoding="utf-8",
    )
    today = timezone.localdate().isoformat()
    page = sign_in_staff(desktop, demo_site.url, DESK)
    page.get_by_role("link", name="Đối soát thanh toán").click()
    page.wait_for_url(re.compile(r"/doi-soat-thanh-toan/$"))

    def import_file() -> None:
        page.get_by_label("Đơn vị:", exact=True).select_option(str(demo_agencies()["commune"].pk))
        page.get_by_label("Đơn vị cung cấp dịch vụ thanh toán").select_option("national")
        page.get_by_label("Từ ngày").fill(today)
        page.get_by_label("Đến ngày").fill(today)
        page.get_by_label("Tệp sao kê (CSV hoặc XLSX)").set_input_files(str(statement))
        page.get_by_role("button", name="Nhập và đối soát").click()

    import_file()
    page.wait_for_url(re.compile(r"/doi-soat-thanh-toan/\d+/$"))
    assert page.locator("#count-matched").inner_text() == "1"
    assert page.locator("#count-missing-here").inner_text() == "1"
    assert page.locator("#count-missing-in-statement").inner_text() == "1"
    assert page.locator("#count-duplicates").inner_text() == "1"
    rows = page.locator("table.mismatches tbody tr")
    assert rows.count() == 3
    assert page.locator("tr.missing_here").inner_text().startswith("Có trong sao kê, chưa ghi nhận tại đây")
    page.screenshot(path=str(SHOTS / "1-mismatches.png"), full_page=True)
    page.get_by_role("link", name="Đối soát thanh toán").first.click()
    import_file()
    assert "không nhập lại" in page.locator("body").inner_text()
    assert Statement.objects.count() == 1
    page.screenshot(path=str(SHOTS / "2-refused-twice.png"), full_page=True)
