"""The e-receipt: amounts in Vietnamese words, the PDF's text (pdftotext), who may download it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.core.models import AuditEntry
from motcua.payments.desk import payment_record_at_desk
from motcua.payments.models import PaymentRequest
from motcua.payments.receipts import amount_in_words, receipt_pdf
from motcua.payments.requests import payment_exempt
from motcua.payments.tests.fees import set_fees, walk_in_birth
from tests.results import shown_text as pdf_text  # poppler's pdftotext


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (2000, "Hai nghìn đồng"),
        (8000, "Tám nghìn đồng"),
        (15000, "Mười lăm nghìn đồng"),
        (75000, "Bảy mươi lăm nghìn đồng"),
        (105000, "Một trăm linh năm nghìn đồng"),
        (200000, "Hai trăm nghìn đồng"),
        (1000000, "Một triệu đồng"),
        (1250000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (1005000, "Một triệu không trăm linh năm nghìn đồng"),
        (2000015, "Hai triệu không trăm mười lăm đồng"),
        (1000000000, "Một tỷ đồng"),
        (3021000000, "Ba tỷ không trăm hai mươi mốt triệu đồng"),
    ],
)
def test_amounts_in_vietnamese_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_a_negative_amount_has_no_words() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-1)


@pytest.fixture
def paid(people, monday_morning):
    set_fees(
        {"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 8000, "collected_at": "reception"},
        {"name": "Phí bản sao", "amount": 1250000, "collected_at": "reception"},
    )
    dossier = walk_in_birth(people)
    payment_record_at_desk(actor=people["desk"], reference=f"{dossier.code}.TT01", method="cash", amount=8000)
    payment_exempt(actor=people["desk"], reference=f"{dossier.code}.TT02", amount=105000, reason="Hộ nghèo")
    payment_record_at_desk(
        actor=people["desk"],
        reference=f"{dossier.code}.TT02",
        method="transfer",
        amount=105000,
        bank_transaction="FT26068123",
    )
    return dossier


def test_the_receipt_holds_its_number_amount_words_and_exemption(people, paid) -> None:
    text = " ".join(pdf_text(receipt_pdf(PaymentRequest.objects.get(reference=f"{paid.code}.TT02"))).split())
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "Số: BL.H99.101.2026.000002",
        f"Mã hồ sơ: {paid.code}",
        "Khoản thu: Phí bản sao",
        "Mức phí, lệ phí: 1.250.000 đồng",
        "Miễn, giảm: Hộ nghèo",
        "Số tiền: 105.000 đồng",
        "Viết bằng chữ: Một trăm linh năm nghìn đồng",
        "Hình thức thanh toán: Chuyển khoản (mã giao dịch FT26068123)",
        "Thời điểm thu: 09:00, ngày 09/03/2026",
        paid.applicant_name,
        paid.applicant_id_number,
        "Thủ tục đăng ký khai sinh",
    ):
        assert expected in text, expected


def test_the_applicant_downloads_their_receipt_and_nobody_elses(client, people, paid) -> None:
    from tests.factories import make_citizen

    url = reverse("portal:payment_receipt", args=[paid.code, f"{paid.code}.TT01"])
    assert url == f"/ho-so-cua-toi/{paid.code}/bien-lai/{paid.code}.TT01/"
    client.force_login(people["citizen"])
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Số: BL.H99.101.2026.000001" in text
    assert "Số tiền: 8.000 đồng" in text
    assert "Viết bằng chữ: Tám nghìn đồng" in text
    assert AuditEntry.objects.filter(action="payment.receipt_read").count() == 0
    client.force_login(make_citizen(personal_id="001190009999"))
    assert client.get(url).status_code == 404


def test_no_receipt_for_an_unpaid_or_fully_exempted_request(client, people, monday_morning) -> None:
    set_fees(
        {"name": "Phí A", "amount": 8000, "collected_at": "reception"},
        {"name": "Phí B", "amount": 8000, "collected_at": "reception"},
    )
    dossier = walk_in_birth(people)
    payment_exempt(actor=people["desk"], reference=f"{dossier.code}.TT02", amount=0, reason="Hộ nghèo")
    client.force_login(people["citizen"])
    for n in ("TT01", "TT02", "TT09"):
        assert (
            client.get(reverse("portal:payment_receipt", args=[dossier.code, f"{dossier.code}.{n}"])).status_code == 404
        )


def test_staff_who_see_the_dossier_download_it_audited(client, people, paid) -> None:
    url = reverse("backoffice:dossier-payment-receipt", args=[paid.code, f"{paid.code}.TT01"])
    client.force_login(people["desk"])
    response = client.get(url)
    assert response.status_code == 200
    assert "BL.H99.101.2026.000001" in pdf_text(response.content)
    entry = AuditEntry.objects.get(action="payment.receipt_read")
    assert (entry.actor_id, entry.data) == (
        people["desk"].pk,
        {"dossier": paid.code, "receipt": "BL.H99.101.2026.000001"},
    )
    client.force_login(people["other_desk"])
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="payment.receipt_read").count() == 1
