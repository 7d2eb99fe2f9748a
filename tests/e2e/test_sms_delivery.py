"""An online submission's SMS goes through the fake brand-name gateway, whose signed delivery receipt comes
back to the live site; the desk sees it delivered on the dossier page, the citizen sees when it was sent."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError

from motcua.demo.province import DEMO_PASSWORD
from motcua.notifications.models import Notification
from tests.e2e.staff_login import sign_in_staff
from tests.e2e.test_desk_receives_online import submit_online_as_demo_citizen

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-sms")


def settled(channel: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        try:
            status = Notification.objects.filter(channel=channel).values_list("status", flat=True).get()
        except OperationalError:  # SQLite's shared in-memory test database: the live server holds the table
            status = ""
        if status in {"delivered", "failed"}:
            break
        time.sleep(0.1)
    return status


def test_the_desk_sees_the_sms_delivered_and_the_citizen_when_it_was_sent(
    demo_site: Any, fake_service: Any, settings: Any, desktop: Any, phone: Any
) -> None:
    SHOTS.mkdir(exist_ok=True)
    settings.SITE_URL = demo_site.url
    gateway = fake_service("sms")
    gateway.app.receipt_delay = 0.1
    code = submit_online_as_demo_citizen()

    assert settled("sms") == "delivered"
    deadline = time.monotonic() + 10
    while not gateway.app.state["receipts"] and time.monotonic() < deadline:
        time.sleep(0.05)  # the fake has read our answer: no request in flight when the test ends
    time.sleep(0.5)  # and the live server's request thread has closed its connection before teardown
    assert gateway.app.state["receipts"] == [{"message_id": "SMS000001", "outcome": "accepted"}]
    assert gateway.app.state["messages"]["SMS000001"]["phone"] == "84912345678"

    sign_in_staff(desktop, demo_site.url, "motcua.xa")
    desktop.goto(f"{demo_site.url}/can-bo/ho-so/{code}/")
    table = desktop.locator("#dossier-messages")
    assert table.locator("tr.message-delivered td").nth(0).inner_text() == "SMS"
    assert table.locator("tr.message-delivered td").nth(1).inner_text() == "*******678"
    assert "Đã đến máy nhận" in table.locator("tr.message-delivered").inner_text()
    table.scroll_into_view_if_needed()
    desktop.screenshot(path=str(SHOTS / "desk-dossier-messages.png"), full_page=True)

    phone.goto(demo_site.url + "/dang-nhap/")
    phone.locator("input[name=username]").fill("022190001234")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/tai-khoan/$"))
    phone.goto(f"{demo_site.url}/ho-so-cua-toi/{code}/")
    assert re.fullmatch(r"Đã gửi SMS lúc \d\d:\d\d \d\d/\d\d/\d{4}", phone.locator("#last-sms").inner_text())
    phone.locator("#last-sms").scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "citizen-last-sms.png"))
