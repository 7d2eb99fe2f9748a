"""The payment sandbox over real HTTP against a live site: it refuses an unsigned order, and its faults
(refused, duplicate, wrong amount, late, no callback) reach our callback endpoint as a provider's would."""

from __future__ import annotations

import html
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from motcua.payments.models import PaymentAttempt, PaymentCallback, PaymentRequest
from motcua.payments.online import payment_start_online
from motcua.payments.tests.online import waiting_dossier


@pytest.fixture
def site(transactional_db: Any, live_server: Any, settings: Any, fake_service: Any) -> Any:
    settings.SITE_URL = live_server.url
    return fake_service("payment_sandbox")


def pay(
    people: dict,
    request: PaymentRequest,
    provider: str,
    *,
    outcome: str = "success",
    fault: str = "",
    action: str = "pay",
) -> Any:
    """The payer's browser: open the provider's page, submit the chosen outcome, follow nothing."""
    url = payment_start_online(actor=people["citizen"], reference=request.reference, provider=provider)
    page = requests.get(url + (f"&fault={fault}" if fault else ""), timeout=10)
    assert page.status_code == 200 and 'id="sandbox-pay"' in page.text
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text)
    form = {name: html.unescape(value) for name, value in hidden}
    confirm = urlsplit(url)._replace(path=f"/{provider}/confirm", query="").geturl()
    return requests.post(
        confirm, data={**form, "outcome": outcome, "action": action}, allow_redirects=False, timeout=10
    )


def outcomes() -> list[str]:
    return list(PaymentCallback.objects.order_by("id").values_list("outcome", flat=True))


def test_an_unsigned_order_is_refused_by_the_sandbox(site, people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    url = payment_start_online(actor=people["citizen"], reference=request.reference, provider="national")
    tampered = url.replace("amount=8000", "amount=80")
    answer = requests.get(tampered, timeout=10)
    assert answer.status_code == 400 and "Chữ ký của yêu cầu thanh toán không hợp lệ." in answer.text
    assert site.app.state["transactions"] == {}


def test_a_paid_gateway_payment_notifies_and_sends_the_browser_back_with_its_signed_result(
    site, people, monday_morning
) -> None:
    dossier, request = waiting_dossier(people)
    answer = pay(people, request, "gateway")
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == f"/ho-so-cua-toi/{dossier.code}/thanh-toan/{request.reference}/ket-qua/"
    assert parse_qs(back.query)["gw_ResponseCode"] == ["00"]
    assert outcomes() == ["applied"]
    assert [(c["http_status"], c["answer"]) for c in site.app.state["callbacks"]] == [
        (200, '{"RspCode":"00","Message":"applied"}')
    ]
    assert PaymentRequest.objects.get(pk=request.pk).status == "paid"


def test_the_sandbox_faults_reach_the_site_as_a_provider_would_send_them(site, people, monday_morning) -> None:
    _d1, refused = waiting_dossier(people)
    _d2, twice = waiting_dossier(people)
    _d3, wrong = waiting_dossier(people)
    _d4, silent = waiting_dossier(people)
    pay(people, refused, "national", fault="refuse")
    pay(people, twice, "national", fault="duplicate")
    pay(people, wrong, "national", fault="wrong_amount")
    pay(people, silent, "national", outcome="timeout", fault="none")
    assert outcomes() == ["failed", "applied", "duplicate", "mismatch"]
    statuses = PaymentRequest.objects.order_by("id").values_list("status", flat=True)
    assert list(statuses) == ["unpaid", "paid", "pending", "pending"]
    assert PaymentAttempt.objects.get(request=silent).status == "started"


def test_a_late_callback_arrives_after_the_browser_came_back(site, people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    site.app.state.update(fault="late", late_seconds=0.5)
    pay(people, request, "national")
    assert PaymentCallback.objects.count() == 0
    assert PaymentRequest.objects.get(pk=request.pk).status == "pending"
    deadline = time.monotonic() + 10
    while not site.app.state["callbacks"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert outcomes() == ["applied"]
    assert PaymentRequest.objects.get(pk=request.pk).status == "paid"


def test_the_payer_cancelling_on_the_provider_page_leaves_the_request_payable(site, people, monday_morning) -> None:
    _dossier, request = waiting_dossier(people)
    pay(people, request, "gateway", action="cancel")
    assert outcomes() == ["failed"]
    assert PaymentCallback.objects.get().detail == "code 24"
    assert PaymentRequest.objects.get(pk=request.pk).status == "unpaid"
    assert PaymentAttempt.objects.get(request=request).status == "failed"
