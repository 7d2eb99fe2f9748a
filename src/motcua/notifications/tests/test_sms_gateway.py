"""The brand-name SMS gateway adapter against its fake, a real HTTP server on 127.0.0.1 (issue 15, item 5):
signed sends, delivery receipts by the signed callback, retries of what may succeed later and no retry of
what the gateway refused."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import AuditEntry
from motcua.notifications.models import Notification
from motcua.notifications.services import (
    notification_send,
    notifications_due_for_resend,
    notifications_resend,
)
from motcua.notifications.sms_gateway import signed_headers, wire_phone
from motcua.notifications.tests.test_notifications import PHONE
from motcua.workflow.services import dossier_submit_online
from tests.intake import birth_application

RECEIPTS = "/api/v1/sms/receipts"
RECEIPT_SECRET = "demo-sms-receipt-secret"  # the test settings' MOTCUA_SMS_RECEIPT_SECRET


@pytest.fixture
def gateway(fake_service: Any) -> Any:
    return fake_service("sms")


@pytest.fixture
def sms(gateway: Any, people: Any, monday_morning: Any, django_capture_on_commit_callbacks: Any) -> Notification:
    """The SMS of an online submission, sent through the fake gateway by the notification task."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit_online(actor=people["citizen"], application=birth_application())
    return Notification.objects.get(channel="sms")


def fields(notification: Notification) -> tuple[Any, ...]:
    notification.refresh_from_db()
    return (
        notification.status,
        notification.attempts,
        notification.gateway_message_id,
        notification.delivered_at,
        notification.failed_for_good,
        notification.last_error,
    )


def fake_receipt(gateway: Any, message_id: str, **query: str) -> tuple[bytes, dict[str, str]]:
    """A receipt signed by the fake gateway, for the test to post as the gateway would."""
    answer = requests.get(f"{gateway.url}/_fake/receipts/{message_id}", params=query, timeout=5).json()
    return answer["body"].encode("utf-8"), answer["headers"]


def post_receipt(client: Any, body: bytes, headers: dict[str, str]) -> Any:
    signed = {name: value for name, value in headers.items() if name != "Content-Type"}
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in signed.items()}
    return client.post(RECEIPTS, data=body, content_type="application/json", **extra)


def sms_row(people: Any, *, phone: str, body: str = "Hồ sơ H99.101-260309-0001 đã được tiếp nhận.") -> Notification:
    dossier = dossier_submit_online(actor=people["citizen"], application=birth_application())
    Notification.objects.all().delete()  # only the row of the test (the submission's own were never sent)
    return Notification.objects.create(dossier=dossier, channel="sms", recipient=phone, body=body)


def test_wire_phone_is_the_84_form() -> None:
    assert [wire_phone(p) for p in ("0912345678", "+84912345678", "84912345678", "091 234 5678", "1900")] == [
        "84912345678",
        "84912345678",
        "84912345678",
        "84912345678",
        "1900",
    ]


def test_an_sms_goes_signed_to_the_gateway_which_keeps_it_once(sms, gateway) -> None:
    assert fields(sms) == ("sent", 1, "SMS000001", None, False, "")
    assert gateway.app.state["messages"] == {
        "SMS000001": {
            "message_id": "SMS000001",
            "brandname": "MOTCUA",
            "phone": "84912345678",
            "text": sms.body,
            "reference": f"motcua-{sms.pk}",
            "callback_url": "http://127.0.0.1:8000/api/v1/sms/receipts",
        }
    }
    assert sms.recipient == PHONE and sms.sent_at == timezone.now()

    # A resend of the same message (the one duplicate the claim allows) is not a second SMS.
    Notification.objects.filter(pk=sms.pk).update(status="pending", attempted_at=None)
    notification_send(notification_id=sms.pk)
    assert fields(sms) == ("sent", 2, "SMS000001", None, False, "")
    assert list(gateway.app.state["messages"]) == ["SMS000001"]


def test_a_request_not_signed_with_the_secret_is_refused_and_retried_later(gateway, people, settings) -> None:
    settings.MOTCUA_SMS_GATEWAY_SECRET = "not-the-gateway-secret"
    row = sms_row(people, phone="0912345678")

    notification_send(notification_id=row.pk)

    assert fields(row) == (
        "failed",
        1,
        "",
        None,
        False,
        f"OutboundError: POST {gateway.url}/v1/messages: HTTP 401",
    )
    assert gateway.app.state["messages"] == {}


def test_a_delivered_receipt_marks_the_sms_delivered(sms, gateway, client) -> None:
    body, headers = fake_receipt(gateway, "SMS000001")
    audits = AuditEntry.objects.count()

    response = post_receipt(client, body, headers)

    assert (response.status_code, response.json()) == (
        200,
        {"reference": f"motcua-{sms.pk}", "status": "delivered", "changed": True},
    )
    assert fields(sms) == ("delivered", 1, "SMS000001", datetime(2026, 3, 9, 2, 0, tzinfo=UTC), False, "")
    assert AuditEntry.objects.count() == audits + 1
    assert AuditEntry.objects.latest("pk").action == "notification_receipt"


def test_a_repeated_receipt_changes_nothing(sms, gateway, client) -> None:
    body, headers = fake_receipt(gateway, "SMS000001")
    post_receipt(client, body, headers)
    settled, audits = fields(sms), AuditEntry.objects.count()
    failed_body, failed_headers = fake_receipt(gateway, "SMS000001", status="failed", reason="late")

    again = post_receipt(client, body, headers)
    contrary = post_receipt(client, failed_body, failed_headers)

    assert [(r.status_code, r.json()["changed"], r.json()["status"]) for r in (again, contrary)] == [
        (200, False, "delivered"),
        (200, False, "delivered"),
    ]
    assert (fields(sms), AuditEntry.objects.count()) == (settled, audits)


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("signature", "bad_signature"),
        ("body", "bad_signature"),
        ("stale", "stale_signature"),
        ("missing", "missing_signature"),
    ],
)
def test_a_receipt_with_a_bad_signature_is_refused_and_changes_nothing(sms, gateway, client, tamper, code) -> None:
    body, headers = fake_receipt(gateway, "SMS000001")
    if tamper == "signature":
        headers["X-Signature"] = signed_headers("guessed-secret", body)["X-Signature"]
    elif tamper == "body":
        body = body.replace(b'"delivered"', b'"failed"')
    elif tamper == "stale":
        # Correctly signed, but ten minutes ago: a replay of a captured receipt.
        headers = signed_headers(RECEIPT_SECRET, body, now=time.time() - 600)
    else:
        headers = {}
    before, audits = fields(sms), AuditEntry.objects.count()

    response = post_receipt(client, body, headers)

    assert (response.status_code, response["Content-Type"], response.json()["code"]) == (
        401,
        "application/problem+json",
        code,
    )
    assert (fields(sms), AuditEntry.objects.count()) == (before, audits)


def test_a_receipt_for_an_unknown_message_or_malformed_is_a_problem(sms, gateway, client) -> None:
    receipt = {"message_id": "X1", "reference": "motcua-999999", "status": "delivered", "at": "2026-03-09T02:00:00Z"}
    unknown = json.dumps(receipt).encode()
    malformed = json.dumps({"message_id": "X1", "reference": f"motcua-{sms.pk}", "status": "read"}).encode()
    before = fields(sms)

    answers = [post_receipt(client, body, signed_headers(RECEIPT_SECRET, body)) for body in (unknown, malformed)]

    assert [(r.status_code, r.json()["code"]) for r in answers] == [(404, "unknown_message"), (400, "invalid_receipt")]
    assert set(answers[1].json()["errors"]) == {"status", "at"}
    assert fields(sms) == before


def test_a_failed_receipt_fails_the_sms_for_good_with_the_reason(sms, gateway, client, monday_morning) -> None:
    body, headers = fake_receipt(gateway, "SMS000001", status="failed", reason="subscriber unreachable")

    response = post_receipt(client, body, headers)

    assert response.json() == {"reference": f"motcua-{sms.pk}", "status": "failed", "changed": True}
    assert fields(sms) == ("failed", 1, "SMS000001", None, True, "subscriber unreachable")
    monday_morning.shift(timedelta(days=1))
    assert (notifications_due_for_resend(now=timezone.now()), notifications_resend()) == ([], 0)


def test_a_gateway_5xx_fails_the_send_and_the_resend_job_sends_it_after_its_backoff(
    gateway, people, monday_morning, settings
) -> None:
    settings.MOTCUA_NOTIFICATION_RETRY_BASE_SECONDS = 60
    row = sms_row(people, phone="0912345678")
    gateway.app.set_faults(failure_rate=1.0)

    notification_send(notification_id=row.pk)

    assert fields(row) == ("failed", 1, "", None, False, f"OutboundError: POST {gateway.url}/v1/messages: HTTP 503")
    monday_morning.shift(timedelta(seconds=59))
    assert notifications_due_for_resend(now=timezone.now()) == []
    gateway.app.set_faults(failure_rate=0.0)
    monday_morning.shift(timedelta(seconds=1))
    assert notifications_resend() == 1
    assert fields(row) == ("sent", 2, "SMS000001", None, False, "")


def test_a_number_the_gateway_refuses_fails_for_good_without_retries(gateway, people, monday_morning) -> None:
    row = sms_row(people, phone="02838123456")  # a landline: no SMS can reach it

    notification_send(notification_id=row.pk)

    assert fields(row) == ("failed", 1, "", None, True, "MessageRefused: HTTP 400 invalid_phone")
    monday_morning.shift(timedelta(days=2))
    assert (notifications_due_for_resend(now=timezone.now()), notifications_resend()) == ([], 0)
    assert fields(row)[:2] == ("failed", 1)
    assert gateway.app.state["messages"] == {}


def test_an_unregistered_brand_name_fails_for_good(gateway, people, settings) -> None:
    settings.MOTCUA_SMS_BRAND_NAME = "QUANGCAO"
    row = sms_row(people, phone="0912345678")

    notification_send(notification_id=row.pk)

    assert fields(row) == ("failed", 1, "", None, True, "MessageRefused: HTTP 400 brandname_not_registered")


def test_the_receipt_url_is_our_api() -> None:
    # The whole loop over the network (the fake posting receipts to a live site by itself) is the browser
    # journey tests/e2e/test_sms_delivery.py.
    assert reverse("api:sms-receipt") == RECEIPTS
