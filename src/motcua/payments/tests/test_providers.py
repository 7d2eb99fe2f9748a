"""The two providers' signatures against vectors computed by hand from the literal strings, and their
verification of callbacks (a bad signature is refused, whatever else the callback says)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.payments.models import PaymentAttempt
from motcua.payments.providers import ProviderUnknown, provider_for
from motcua.payments.providers.base import CallbackMalformed, SignatureInvalid, Verified
from motcua.payments.providers.gateway import secure_hash, signed_query
from motcua.payments.providers.national import CALLBACK_FIELDS, INIT_FIELDS, checksum
from tests.intake import HCM

RETURN = "http://127.0.0.1:8000/ho-so-cua-toi/D1/thanh-toan/D1.TT01/ket-qua/"
NOTIFY = "http://127.0.0.1:8000/api/v1/payments/callbacks/national"


def attempt() -> PaymentAttempt:
    # Not saved: a provider only reads the attempt's reference, amount and creation time.
    return PaymentAttempt(
        transaction_ref="D1.TT01.1",
        amount=8000,
        provider="national",
        created_at=datetime(2026, 3, 9, 8, 5, 7, tzinfo=HCM),
    )


def test_the_national_init_message_is_signed_with_sha256_of_the_joined_fields_and_the_secret(settings) -> None:
    settings.MOTCUA_PAYMENT_NATIONAL_URL = "https://pay.example.gov.vn/init"
    settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE = "P01"
    settings.MOTCUA_PAYMENT_NATIONAL_SECRET = "s3cret"
    url = provider_for("national").start(attempt(), RETURN, NOTIFY)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://pay.example.gov.vn/init"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    joined = f"P01|D1.TT01.1|8000|VND|vi-VN|20260309080507|{RETURN}|{NOTIFY}|s3cret"
    assert query["checksum"] == hashlib.sha256(joined.encode()).hexdigest()
    assert list(query) == [*INIT_FIELDS, "checksum"]
    assert (query["currency"], query["language"], query["transactionTime"]) == ("VND", "vi-VN", "20260309080507")


def test_a_national_callback_is_verified_and_read(settings) -> None:
    settings.MOTCUA_PAYMENT_NATIONAL_PARTNER_CODE = "P01"
    settings.MOTCUA_PAYMENT_NATIONAL_SECRET = "s3cret"
    data = {
        "partnerCode": "P01",
        "referenceCode": "D1.TT01.1",
        "amount": "8000",
        "currency": "VND",
        "transactionNo": "T42",
        "responseCode": "00",
        "payTime": "20260309081000",
    }
    data["checksum"] = hashlib.sha256(b"P01|D1.TT01.1|8000|VND|T42|00|20260309081000|s3cret").hexdigest()
    assert checksum(data, CALLBACK_FIELDS, "s3cret") == data["checksum"]
    national = provider_for("national")
    assert national.parse_callback(data) == Verified("D1.TT01.1", 8000, "VND", True, "T42", "00")
    assert (
        national.parse_callback(
            {
                **data,
                "responseCode": "51",
                "checksum": checksum({**data, "responseCode": "51"}, CALLBACK_FIELDS, "s3cret"),
            }
        ).success
        is False
    )
    with pytest.raises(SignatureInvalid):
        national.parse_callback({**data, "amount": "800"})  # changed after signing
    with pytest.raises(SignatureInvalid):
        national.parse_callback({**data, "checksum": checksum(data, CALLBACK_FIELDS, "other secret")})
    assert national.answer("applied") == {"responseCode": "00", "message": "applied"}
    assert national.answer("forged") == {"responseCode": "97", "message": "forged"}


def test_the_gateway_signs_the_sorted_query_string_with_hmac_sha512(settings) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY_URL = "https://gw.example.vn/pay"
    settings.MOTCUA_PAYMENT_GATEWAY_MERCHANT = "M1"
    settings.MOTCUA_PAYMENT_GATEWAY_SECRET = "k"
    url = provider_for("gateway").start(attempt(), RETURN, NOTIFY)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    literal = (
        "gw_Amount=8000&gw_CreateDate=20260309080507&gw_Currency=VND&gw_Locale=vn&gw_Merchant=M1"
        "&gw_NotifyUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fapi%2Fv1%2Fpayments%2Fcallbacks%2Fnational"
        "&gw_OrderInfo=Thanh+toan+D1.TT01.1"
        "&gw_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fho-so-cua-toi%2FD1%2Fthanh-toan%2FD1.TT01%2Fket-qua%2F"
        "&gw_TxnRef=D1.TT01.1&gw_Version=1"
    )
    assert signed_query(query) == literal
    assert query["gw_SecureHash"] == hmac.new(b"k", literal.encode(), hashlib.sha512).hexdigest()


def test_a_gateway_notification_is_verified_and_a_missing_field_is_malformed(settings) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY_MERCHANT = "M1"
    settings.MOTCUA_PAYMENT_GATEWAY_SECRET = "k"
    ipn = {
        "gw_Merchant": "M1",
        "gw_TxnRef": "D1.TT01.1",
        "gw_Amount": "8000",
        "gw_Currency": "VND",
        "gw_TransactionNo": "G7",
        "gw_ResponseCode": "00",
    }
    literal = "gw_Amount=8000&gw_Currency=VND&gw_Merchant=M1&gw_ResponseCode=00&gw_TransactionNo=G7&gw_TxnRef=D1.TT01.1"
    expected = hmac.new(b"k", literal.encode(), hashlib.sha512).hexdigest()
    assert secure_hash(ipn, "k") == expected
    gateway = provider_for("gateway")
    assert gateway.parse_callback({**ipn, "gw_SecureHash": expected}) == Verified(
        "D1.TT01.1", 8000, "VND", True, "G7", "00"
    )
    with pytest.raises(SignatureInvalid):
        gateway.parse_callback({**ipn, "gw_SecureHash": expected[:-1] + "0"})
    without = {k: v for k, v in ipn.items() if k != "gw_TransactionNo"}
    with pytest.raises(CallbackMalformed):
        gateway.parse_callback({**without, "gw_SecureHash": secure_hash(without, "k")})
    assert gateway.answer("duplicate") == {"RspCode": "02", "Message": "duplicate"}


def test_only_the_providers_of_the_setting_are_offered(settings) -> None:
    settings.MOTCUA_PAYMENT_PROVIDERS = ["gateway"]
    with pytest.raises(ProviderUnknown):
        provider_for("national")
    assert provider_for("gateway").code == "gateway"
