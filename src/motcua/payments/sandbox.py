"""The payment sandbox (core/fakes.py): a real HTTP server on 127.0.0.1:8106 in the demo that plays the far
side of BOTH online providers (payments/providers):

- ``GET /national/pay?<INIT message>`` and ``GET /gateway/pay?<signed query>``: it checks our signature
  (a bad one: HTTP 400, nothing recorded) and shows the payer a page with the amount, three test outcomes
  (success, refused card, timeout) and the buttons "Thanh toán" and "Hủy";
- ``POST /<provider>/confirm``: the payer's choice. The sandbox records the transaction, posts the signed
  callback (national) or IPN (gateway) to the notify URL we gave, then sends the browser back to our return
  URL (the gateway adds its signed result to the query string, as real gateways do; we never trust it);
- faults, from ``state["fault"]`` (``POST /_fake/payment-fault`` with ``{"fault": …, "late_seconds": N}``)
  or the pay URL's ``fault`` query parameter: ``refuse`` (every payment refused), ``late`` (the callback is
  posted ``late_seconds`` after the browser came back), ``duplicate`` (the callback is posted twice),
  ``wrong_amount`` (the callback says 1,000 VND more, correctly signed), ``none`` (no callback at all);
- ``GET /_fake/state``: the transactions and every callback posted with our answer.

Its secrets are the site's settings when it is built, as after a real registration with the provider.
"""

from __future__ import annotations

import html
import threading
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings

from motcua.core.fakes import FakeApp, FakeRequest, FakeResponse
from motcua.payments.providers import gateway, national

DEMO_PORT = 8106
NAME = "payment_sandbox"
FAULTS = ("", "refuse", "late", "duplicate", "wrong_amount", "none")
# The test outcomes the payer may pick, and each provider's result code for them.
OUTCOMES = {"success": "00", "refused": "51", "timeout": "11", "cancelled": "24"}
OUTCOME_LABELS = (
    ("success", "Thẻ 9704 0000 0000 0018: thanh toán thành công"),
    ("refused", "Thẻ 9704 0000 0000 0026: ngân hàng từ chối (không đủ số dư)"),
    ("timeout", "Thẻ 9704 0000 0000 0034: quá thời gian chờ giao dịch"),
)

_STYLE = """
body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f0f4f8;color:#1b1f24}
.fake{background:#fde68a;padding:6px 12px;font-size:13px;text-align:center}
header{background:#0b5394;color:#fff;padding:12px 16px}header h1{margin:0;font-size:20px}
main{max-width:480px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:8px;padding:16px;margin:12px 0;box-shadow:0 1px 2px #0002}
.amount{font-size:28px;font-weight:700;color:#0b5394}
label{display:block;padding:10px;border:1px solid #bbb;border-radius:6px;margin:8px 0}
button{display:block;width:100%;padding:14px;margin:8px 0;border-radius:6px;font:inherit;font-weight:700;
border:1px solid #0b5394;background:#0b5394;color:#fff}button.cancel{background:#fff;color:#333;border-color:#888}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} (giả lập)</title><style>{_STYLE}</style></head><body>"
        '<div class="fake" role="note">GIẢ LẬP · máy chủ thử nghiệm cục bộ, không có tiền thật</div>'
        f"<header><h1>{html.escape(title)}</h1></header><main>{body}</main></body></html>"
    )


def _vnd(amount: str) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đ" if amount.isdigit() else html.escape(amount)


class PaymentSandbox(FakeApp):
    def __init__(self) -> None:
        super().__init__(NAME)
        self.national_partner = settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE
        self.national_secret = settings.MOTCUA_PAYMENT_NATIONAL_SECRET
        self.merchant = settings.MOTCUA_PAYMENT_GATEWAY_MERCHANT
        self.gateway_secret = settings.MOTCUA_PAYMENT_GATEWAY_SECRET
        self.timeout = settings.MOTCUA_OUTBOUND_TIMEOUT_SECONDS
        self.state.update({"fault": "", "late_seconds": 3.0, "transactions": {}, "callbacks": []})
        self._threads: list[threading.Thread] = []
        for provider in ("national", "gateway"):
            self.route("GET", f"/{provider}/pay", self.pay_page, faults=False)
            self.route("POST", f"/{provider}/confirm", self.confirm, faults=False)
        self.route("POST", "/_fake/payment-fault", self.set_payment_fault, faults=False)

    # --- faults ------------------------------------------------------------------------------------------

    def set_payment_fault(self, request: FakeRequest) -> FakeResponse:
        data = request.json() or {}
        fault = str(data.get("fault", ""))
        if fault not in FAULTS:
            return FakeResponse(HTTPStatus.BAD_REQUEST, {"error": "unknown_fault", "faults": list(FAULTS)})
        self.state["fault"] = fault
        self.state["late_seconds"] = float(data.get("late_seconds", self.state["late_seconds"]))
        return FakeResponse(body={"ok": True})

    # --- the payer's page --------------------------------------------------------------------------------

    def _verified_order(self, provider: str, params: dict[str, str]) -> dict[str, str] | None:
        """The order our site signed (reference, amount, return and notify URLs), or None if unsigned."""
        if provider == "national":
            if params.get("partnerCode") != self.national_partner or not national.checksum_matches(
                params, national.INIT_FIELDS, self.national_secret
            ):
                return None
            return {
                "reference": params["referenceCode"],
                "amount": params["amount"],
                "currency": params["currency"],
                "return_url": params["returnUrl"],
                "notify_url": params["notifyUrl"],
            }
        if params.get("gw_Merchant") != self.merchant or not gateway.hash_matches(params, self.gateway_secret):
            return None
        return {
            "reference": params["gw_TxnRef"],
            "amount": params["gw_Amount"],
            "currency": params["gw_Currency"],
            "return_url": params["gw_ReturnUrl"],
            "notify_url": params["gw_NotifyUrl"],
        }

    def pay_page(self, request: FakeRequest) -> FakeResponse:
        provider = request.path.split("/")[1]
        params = {key: values[-1] for key, values in request.query.items()}
        order = self._verified_order(provider, params)
        title = "Nền tảng thanh toán quốc gia" if provider == "national" else "Cổng thanh toán"
        if order is None:
            body = '<div class="card"><p id="sandbox-error">Chữ ký của yêu cầu thanh toán không hợp lệ.</p></div>'
            return FakeResponse(HTTPStatus.BAD_REQUEST, _page(title, body))
        order["fault"] = params.get("fault", "")
        hidden = "".join(
            f'<input type="hidden" name="{key}" value="{html.escape(value)}">' for key, value in order.items()
        )
        choices = "".join(
            f'<label><input type="radio" name="outcome" value="{value}"{" checked" if value == "success" else ""}>'
            f" {html.escape(label)}</label>"
            for value, label in OUTCOME_LABELS
        )
        body = (
            f'<form method="post" action="/{provider}/confirm">{hidden}'
            '<div class="card"><p>Thanh toán cho Một cửa điện tử</p>'
            f'<p>Mã giao dịch: <strong id="sandbox-reference">{html.escape(order["reference"])}</strong></p>'
            f'<p class="amount" id="sandbox-amount">{_vnd(order["amount"])}</p></div>'
            f'<div class="card"><p>Chọn thẻ thử nghiệm:</p>{choices}</div>'
            '<button type="submit" name="action" value="pay" id="sandbox-pay">Thanh toán</button>'
            '<button type="submit" name="action" value="cancel" class="cancel" id="sandbox-cancel">Hủy</button>'
            "</form>"
        )
        return FakeResponse(body=_page(title, body))

    # --- the payer's choice, the callback, the way back ----------------------------------------------------

    def confirm(self, request: FakeRequest) -> FakeResponse:
        provider = request.path.split("/")[1]
        form = request.form()
        fault = form.get("fault") or self.state["fault"]
        outcome = "cancelled" if form.get("action") == "cancel" else form.get("outcome", "success")
        if fault == "refuse" and outcome == "success":
            outcome = "refused"
        transactions: dict[str, Any] = self.state["transactions"]
        number = f"SB{len(transactions) + 1:08d}"
        amount = form.get("amount", "0")
        transactions[number] = {"reference": form.get("reference", ""), "outcome": outcome, "amount": amount}
        if fault == "wrong_amount" and amount.isdigit():
            amount = str(int(amount) + 1000)
        result = self.signed_result(
            provider, reference=form.get("reference", ""), amount=amount, number=number, code=OUTCOMES[outcome]
        )
        notify_url = form.get("notify_url", "")
        if fault == "late":
            self._later(float(self.state["late_seconds"]), provider, notify_url, result)
        elif fault != "none":
            for _time in range(2 if fault == "duplicate" else 1):
                self._post(provider, notify_url, result)
        back = form.get("return_url", "")
        if provider == "gateway":
            back = f"{back}{'&' if '?' in back else '?'}{urlencode(result)}"
        return FakeResponse(HTTPStatus.FOUND, "", headers={"Location": back})

    def signed_result(self, provider: str, *, reference: str, amount: str, number: str, code: str) -> dict[str, str]:
        """The signed callback (national) or IPN (gateway) of a transaction: public for tests to replay."""
        if provider == "national":
            values = {
                "partnerCode": self.national_partner,
                "referenceCode": reference,
                "amount": amount,
                "currency": "VND",
                "transactionNo": number,
                "responseCode": code,
                "payTime": national.local_time(),
            }
            values["checksum"] = national.checksum(values, national.CALLBACK_FIELDS, self.national_secret)
            return values
        params = {
            "gw_Merchant": self.merchant,
            "gw_TxnRef": reference,
            "gw_Amount": amount,
            "gw_Currency": "VND",
            "gw_TransactionNo": number,
            "gw_ResponseCode": code,
            "gw_PayDate": national.local_time(),
        }
        params[gateway.HASH_FIELD] = gateway.secure_hash(params, self.gateway_secret)
        return params

    def _post(self, provider: str, url: str, result: dict[str, str]) -> None:
        """National: a JSON POST; gateway: the IPN as a GET with the signed query string."""
        entry: dict[str, Any] = {"reference": result.get("referenceCode") or result.get("gw_TxnRef"), "url": url}
        try:
            if provider == "national":
                response = requests.post(url, json=result, timeout=self.timeout)
            else:
                response = requests.get(url, params=result, timeout=self.timeout)
            entry.update(http_status=response.status_code, answer=response.text[:500])
        except requests.RequestException as exc:
            entry.update(http_status=0, answer=type(exc).__name__)
        with self.lock:
            self.state["callbacks"].append(entry)

    def _later(self, seconds: float, provider: str, url: str, result: dict[str, str]) -> None:
        timer = threading.Timer(seconds, self._post, args=(provider, url, result))
        timer.daemon = True
        timer.start()
        self._threads.append(timer)


def build_payment_sandbox() -> FakeApp:
    return PaymentSandbox()
