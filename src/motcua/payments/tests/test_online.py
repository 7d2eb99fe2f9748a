"""Starting an online payment: only the applicant, only an open request of more than 0 VND; a second tap
goes back to the attempt already started; and the portal's pay and return pages."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from motcua.core.exceptions import NotFound
from motcua.payments.constants import PaymentMoment, PaymentStatus
from motcua.payments.models import PaymentAttempt, PaymentRequest
from motcua.payments.online import NothingToPay, payment_callback_handle, payment_start_online
from motcua.payments.providers import ProviderUnknown
from motcua.payments.settle import PaymentNotOpen, payment_request_add
from motcua.payments.tests.online import national_callback, snapshot, started, waiting_dossier
from tests.factories import make_citizen


def test_starting_creates_an_attempt_and_sends_the_payer_to_the_provider(people, monday_morning, settings) -> None:
    settings.SITE_URL = "https://dichvucong.example.gov.vn"
    dossier, request = waiting_dossier(people)
    url = payment_start_online(actor=people["citizen"], reference=request.reference, provider="national")
    attempt = PaymentAttempt.objects.get()
    assert (attempt.transaction_ref, attempt.amount, attempt.provider, attempt.status) == (
        f"{request.reference}.1",
        8000,
        "national",
        "started",
    )
    assert PaymentRequest.objects.get(pk=request.pk).status == PaymentStatus.PENDING
    assert url.startswith("http://127.0.0.1:8106/national/pay?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["referenceCode"] == "H99.101-260309-0001.TT01.1"
    assert query["returnUrl"] == (
        f"https://dichvucong.example.gov.vn/ho-so-cua-toi/{dossier.code}/thanh-toan/{request.reference}/ket-qua/"
    )
    assert query["notifyUrl"] == "https://dichvucong.example.gov.vn/api/v1/payments/callbacks/national"


def test_a_double_tap_reuses_the_started_attempt_for_15_minutes(people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    first = payment_start_online(actor=people["citizen"], reference=request.reference, provider="national")
    monday_morning.shift(timedelta(minutes=14))
    assert payment_start_online(actor=people["citizen"], reference=request.reference, provider="national") == first
    assert PaymentAttempt.objects.count() == 1
    payment_start_online(actor=people["citizen"], reference=request.reference, provider="gateway")
    monday_morning.shift(timedelta(minutes=2))  # the first attempt is now 16 minutes old
    payment_start_online(actor=people["citizen"], reference=request.reference, provider="national")
    refs = list(PaymentAttempt.objects.order_by("id").values_list("transaction_ref", "provider"))
    assert refs == [
        (f"{request.reference}.1", "national"),
        (f"{request.reference}.2", "gateway"),
        (f"{request.reference}.3", "national"),
    ]


def test_only_the_applicant_may_pay_and_only_an_open_request_above_zero(people, monday_morning) -> None:
    dossier, request = waiting_dossier(people)
    before = (snapshot(), PaymentAttempt.objects.count())
    for actor in (make_citizen(), people["desk"], None):
        with pytest.raises(NotFound):
            payment_start_online(actor=actor, reference=request.reference, provider="national")
    with pytest.raises(NotFound):
        payment_start_online(actor=people["citizen"], reference="H99.101-260309-0001.TT99", provider="national")
    with pytest.raises(ProviderUnknown):
        payment_start_online(actor=people["citizen"], reference=request.reference, provider="paypal")
    free = payment_request_add(
        dossier=dossier,
        name="Lệ phí",
        moment=PaymentMoment.AUTHORITY,
        full_amount=5000,
        amount=0,
        exemption_reason="Hộ nghèo",
    )
    with pytest.raises(NothingToPay):
        payment_start_online(actor=people["citizen"], reference=free.reference, provider="national")
    assert (snapshot()[1:], PaymentAttempt.objects.count()) == (before[0][1:], before[1])
    attempt = started(people, request)
    payment_callback_handle(provider="national", data=national_callback(attempt), remote_address=None)
    with pytest.raises(PaymentNotOpen):
        payment_start_online(actor=people["citizen"], reference=request.reference, provider="gateway")
    assert PaymentAttempt.objects.count() == 1


def test_the_portal_pay_page_starts_and_the_return_page_waits_for_the_callback(people, monday_morning) -> None:
    dossier, request = waiting_dossier(people)
    client = Client()
    client.force_login(people["citizen"])
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    html = page.content.decode()
    assert "Phí, lệ phí" in html and "8.000 đồng" in html and "Thanh toán trực tuyến" in html
    assert "Nền tảng thanh toán trên Cổng Dịch vụ công quốc gia" in html
    pay_url = f"/ho-so-cua-toi/{dossier.code}/thanh-toan/{request.reference}/"
    refused = client.post(pay_url, {"provider": "paypal"})
    assert refused.status_code == 404
    assert "Hình thức thanh toán này không được hỗ trợ." in refused.content.decode()
    assert PaymentAttempt.objects.count() == 0
    answer = client.post(pay_url, {"provider": "national"})
    html = answer.content.decode()
    assert answer.status_code == 200 and "Đang chuyển đến trang của đơn vị thanh toán..." in html
    link = re.search(r'<a class="button" id="provider-link" href="([^"]+)">', html)
    assert link and link.group(1).startswith("http://127.0.0.1:8106/national/pay?partnerCode=demo-province&amp;")
    assert f'<meta http-equiv="refresh" content="0;url={link.group(1)}">' in html
    back = client.get(f"{pay_url}ket-qua/")
    html = back.content.decode()
    assert "Đang xác nhận thanh toán..." in html and '<meta http-equiv="refresh" content="2">' in html
    payment_callback_handle(
        provider="national", data=national_callback(PaymentAttempt.objects.get()), remote_address=None
    )
    html = client.get(f"{pay_url}ket-qua/").content.decode()
    assert "Đã thanh toán" in html and "biên lai BL.H99.101.2026.000001" in html
    assert "Đang xác nhận" not in html and "refresh" not in html
    other = Client()
    other.force_login(make_citizen())
    assert other.get(f"{pay_url}ket-qua/").status_code == 404
    assert other.post(pay_url, {"provider": "national"}).status_code == 404
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/thanh-toan/").status_code == 200


def test_the_return_page_stops_waiting_when_no_callback_came_within_15_minutes(people, monday_morning) -> None:
    dossier, request = waiting_dossier(people)
    started(people, request)
    client = Client()
    client.force_login(people["citizen"])
    url = f"/ho-so-cua-toi/{dossier.code}/thanh-toan/{request.reference}/ket-qua/"
    monday_morning.shift(timedelta(minutes=14))
    assert "Đang xác nhận thanh toán..." in client.get(url).content.decode()
    monday_morning.shift(timedelta(minutes=2))
    html = client.get(url).content.decode()
    assert "Đang xác nhận" not in html and "refresh" not in html
    assert "Đơn vị thanh toán chưa xác nhận khoản thanh toán này." in html
