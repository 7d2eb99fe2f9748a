"""The desk records cash and bank transfers: once, with the exact amount, by a desk officer of the receiving
agency; anything refused changes nothing."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.core.models import AuditEntry
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import CallbackOutcome, PaymentMethod, PaymentStatus
from motcua.payments.desk import PaymentAmountWrong, dossier_payments, payment_record_at_desk
from motcua.payments.models import PaymentRequest, ReceiptCounter
from motcua.payments.settle import PaymentNotOpen
from motcua.payments.tests.fees import set_fees, walk_in_birth
from motcua.workflow.processing import dossier_forward, dossier_request_payment
from motcua.workflow.services import dossier_withdraw
from tests.intake import HCM
from tests.processing import received_birth_dossier

FEES = (
    {"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 8000, "collected_at": "reception", "note": "Mức minh họa"},
    {"name": "Phí bản sao", "amount": 1250000, "collected_at": "reception"},
)


def state() -> tuple:
    return (
        list(
            PaymentRequest.objects.order_by("id").values_list(
                "status", "method", "receipt_number", "paid_at", "recorded_by_id", "provider_transaction"
            )
        ),
        ReceiptCounter.objects.count(),
        AuditEntry.objects.filter(action="payment.record").count(),
    )


def test_cash_is_recorded_once_with_its_receipt_number(people, monday_morning) -> None:
    set_fees(*FEES)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT01"
    settled = payment_record_at_desk(actor=people["desk"], reference=reference, method="cash", amount=8000)
    assert settled.outcome == CallbackOutcome.APPLIED
    fresh = PaymentRequest.objects.get(reference=reference)
    assert (fresh.status, fresh.method, fresh.receipt_number, fresh.paid_at, fresh.recorded_by_id) == (
        PaymentStatus.PAID,
        PaymentMethod.CASH,
        "BL.H99.101.2026.000001",
        datetime(2026, 3, 9, 9, 0, tzinfo=HCM),
        people["desk"].pk,
    )
    before = state()
    again = payment_record_at_desk(actor=people["desk"], reference=reference, method="cash", amount=8000)
    assert again.outcome == CallbackOutcome.DUPLICATE
    assert state() == before
    assert AuditEntry.objects.filter(action="payment.record", actor=people["desk"]).count() == 1


def test_a_transfer_keeps_the_banks_transaction_number(people, monday_morning) -> None:
    set_fees(*FEES)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT02"
    payment_record_at_desk(
        actor=people["desk"], reference=reference, method="transfer", amount=1250000, bank_transaction=" FT26068123 "
    )
    fresh = PaymentRequest.objects.get(reference=reference)
    assert (fresh.method, fresh.provider, fresh.provider_transaction, fresh.receipt_number) == (
        PaymentMethod.TRANSFER,
        "bank",
        "FT26068123",
        "BL.H99.101.2026.000001",
    )


@pytest.mark.parametrize(
    ("who", "method", "amount", "bank", "error"),
    [
        ("desk", "cash", 7999, "", PaymentAmountWrong),
        ("desk", "cash", 80000, "", PaymentAmountWrong),
        ("desk", "cash", "8000", "", ValidationFailed),
        ("desk", "cash", -8000, "", ValidationFailed),
        ("desk", "transfer", 8000, "  ", ValidationFailed),
        ("desk", "online", 8000, "", ValidationFailed),
        ("desk", "exempt", 8000, "", ValidationFailed),
        ("other_desk", "cash", 8000, "", PermissionDenied),
        ("specialist", "cash", 8000, "", PermissionDenied),
    ],
)
def test_a_refused_record_changes_nothing(people, monday_morning, who, method, amount, bank, error) -> None:
    set_fees(*FEES)
    dossier = walk_in_birth(people)
    before = state()
    with pytest.raises(error):
        payment_record_at_desk(
            actor=people[who], reference=f"{dossier.code}.TT01", method=method, amount=amount, bank_transaction=bank
        )
    assert state() == before


def test_the_wrong_amount_message_names_both_amounts(people, monday_morning) -> None:
    set_fees(*FEES)
    dossier = walk_in_birth(people)
    with pytest.raises(PaymentAmountWrong) as refused:
        payment_record_at_desk(actor=people["desk"], reference=f"{dossier.code}.TT02", method="cash", amount=125000)
    assert str(refused.value.message) == "Số tiền nhận (125.000 đồng) khác số tiền phải nộp (1.250.000 đồng)."
    assert refused.value.code == "payment_amount_wrong"


def test_a_cancelled_request_is_not_recorded(people, monday_morning) -> None:
    set_fees({"name": "Phí nộp", "amount": 3000, "collected_at": "submission"})
    from motcua.workflow.services import dossier_submit_online
    from tests.intake import birth_application

    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    dossier_withdraw(actor=people["citizen"], code=dossier.code, reason="Nộp nhầm")
    before = state()
    with pytest.raises(PaymentNotOpen):
        payment_record_at_desk(actor=people["desk"], reference=f"{dossier.code}.TT01", method="cash", amount=3000)
    assert state() == before


def test_cash_for_the_authoritys_amount_resumes_the_clock(people, monday_morning) -> None:
    dossier = received_birth_dossier(people)
    dossier_forward(actor=people["desk"], code=dossier.code, assignee=people["specialist"])
    dossier_request_payment(actor=people["specialist"], code=dossier.code, amount=50000, note="Lệ phí")
    settled = payment_record_at_desk(
        actor=people["desk"], reference=f"{dossier.code}.TT01", method="cash", amount=50000
    )
    assert settled.resumed is True
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


def test_the_desk_rows_show_what_why_and_whether_a_receipt_exists(people, monday_morning) -> None:
    set_fees(*FEES)
    dossier = walk_in_birth(people)
    payment_record_at_desk(actor=people["desk"], reference=f"{dossier.code}.TT01", method="cash", amount=8000)
    rows = dossier_payments(dossier)
    assert [(r.request.reference[-4:], r.why, r.open, r.receipt) for r in rows] == [
        ("TT01", "Mức minh họa", False, True),
        ("TT02", "", True, False),
    ]


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_desk_page_records_a_payment_once_and_refuses_a_wrong_amount(client, people, monday_morning) -> None:
    from django.urls import reverse

    set_fees(*FEES)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT01"
    client.force_login(people["desk"])
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert 'id="payment-requests"' in page
    assert f'id="form-pay-{reference}"' in page
    assert "Chưa thanh toán" in page
    url = reverse("backoffice:dossier-payment-record", args=[dossier.code, reference])
    before = state()
    wrong = client.post(url, {"method": "cash", "amount": "800", "bank_transaction": ""}, follow=True)
    assert page_messages(wrong) == ["Số tiền nhận (800 đồng) khác số tiền phải nộp (8.000 đồng)."]
    no_bank = client.post(url, {"method": "transfer", "amount": "8000", "bank_transaction": ""}, follow=True)
    assert page_messages(no_bank) == ["Hãy nhập mã giao dịch chuyển khoản của ngân hàng."]
    assert state() == before
    first = client.post(url, {"method": "cash", "amount": "8000", "bank_transaction": ""}, follow=True)
    assert page_messages(first) == ["Đã ghi nhận thanh toán: biên lai số BL.H99.101.2026.000001."]
    after = state()
    second = client.post(url, {"method": "cash", "amount": "8000", "bank_transaction": ""}, follow=True)
    assert page_messages(second) == ["Đã ghi nhận trước đó."]
    assert state() == after
    shown = second.content.decode()
    assert "Đã thanh toán" in shown
    assert f'id="receipt-{reference}"' in shown
    assert f'id="form-pay-{reference}"' not in shown


def test_the_desk_page_exempts_with_a_reason(client, people, monday_morning) -> None:
    from django.urls import reverse

    set_fees(*FEES)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT02"
    client.force_login(people["desk"])
    url = reverse("backoffice:dossier-payment-exempt", args=[dossier.code, reference])
    before = state()
    refused = client.post(url, {"amount": "0", "reason": ""}, follow=True)
    assert page_messages(refused) == ["Trường này là bắt buộc."]
    assert state() == before
    done = client.post(url, {"amount": "0", "reason": "Người có công với cách mạng"}, follow=True)
    assert page_messages(done) == ["Đã ghi nhận miễn, giảm."]
    assert "Được miễn" in done.content.decode()
    assert PaymentRequest.objects.get(reference=reference).receipt_number is None


def test_another_agencys_desk_gets_404_and_changes_nothing(client, people, monday_morning) -> None:
    from django.urls import reverse

    set_fees(*FEES)
    dossier = walk_in_birth(people)
    client.force_login(people["other_desk"])
    before = state()
    url = reverse("backoffice:dossier-payment-record", args=[dossier.code, f"{dossier.code}.TT01"])
    assert client.post(url, {"method": "cash", "amount": "8000"}).status_code == 404
    assert state() == before


def test_the_applicant_sees_paid_and_the_receipt_link(client, people, monday_morning) -> None:
    from django.urls import reverse

    set_fees(*FEES)
    dossier = walk_in_birth(people)
    reference = f"{dossier.code}.TT01"
    payment_record_at_desk(actor=people["desk"], reference=reference, method="cash", amount=8000)
    client.force_login(people["citizen"])
    page = client.get(reverse("portal:my-dossier", args=[dossier.code])).content.decode()
    assert "Lệ phí đăng ký khai sinh quá hạn" in page
    assert "(Mức minh họa)" in page
    assert "8.000 đồng" in page
    assert "Đã thanh toán" in page
    assert "Chưa thanh toán" in page  # the second fee
    assert reverse("portal:payment_receipt", args=[dossier.code, reference]) in page
    assert "Biên lai BL.H99.101.2026.000001 (PDF)" in page


def test_the_api_dossier_detail_lists_the_payments(people, monday_morning) -> None:
    from rest_framework.test import APIClient

    set_fees(*FEES)
    dossier = walk_in_birth(people)
    payment_record_at_desk(actor=people["desk"], reference=f"{dossier.code}.TT01", method="cash", amount=8000)
    client = APIClient()
    client.force_authenticate(people["citizen"])
    response = client.get(f"/api/v1/dossiers/{dossier.code}")
    assert response.status_code == 200
    assert [
        (p["reference"][-4:], p["name"], p["amount"], p["status"], p["method"], p["receipt_number"])
        for p in response.json()["payments"]
    ] == [
        ("TT01", "Lệ phí đăng ký khai sinh quá hạn", 8000, "paid", "cash", "BL.H99.101.2026.000001"),
        ("TT02", "Phí bản sao", 1250000, "unpaid", "", None),
    ]
