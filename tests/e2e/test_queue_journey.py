"""The desk queue in browsers: a desk officer enables a kiosk; a person takes a number on it (phone-sized
screen); two desk officers at two counters: the first calls the next number and gets it, the TV display
shows the number and the counter within a few seconds, the second counter hears that nobody is waiting; the
first marks the person served."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from motcua.demo.province import DEMO_PASSWORD, demo_agencies, demo_authenticator
from motcua.identity.constants import Role
from motcua.identity.services import role_grant, staff_create
from motcua.queueing.constants import TicketStatus
from motcua.queueing.kiosk import COOKIE_NAME
from motcua.queueing.models import Counter, Ticket
from tests.e2e.live_db import read
from tests.e2e.staff_login import sign_in_staff

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-queue")


def desk_officer(username: str, full_name: str) -> None:
    """Another desk officer of the demo commune, with the demo authenticator (the demo has one)."""
    commune = demo_agencies()["commune"]
    user = staff_create(
        actor=None,
        username=username,
        full_name=full_name,
        email=f"{username}@demo.motcua.local",
        password=DEMO_PASSWORD,
    )
    demo_authenticator(user)
    role_grant(actor=None, user=user, role=Role.DESK_OFFICER, agency=commune)


def test_a_kiosk_ticket_is_called_by_one_of_two_counters_and_shown_on_the_display(
    demo_site: Any, browser: Any, phone: Any, desktop: Any
) -> None:
    SHOTS.mkdir(exist_ok=True)
    base = demo_site.url
    desk_officer("motcua2.xa", "Trịnh Văn Quầy")
    desk_officer("kiosk.xa", "Lý Thị Kiốt")
    desk = demo_agencies()["commune"].desks.get()
    one = Counter.objects.get(desk=desk, number=1)  # civil status and certification (A)
    three = Counter.objects.get(desk=desk, number=3)  # every group

    # 1. A desk officer enables the kiosk on its own browser, then logs out: the kiosk cookie stays.
    sign_in_staff(phone, base, "kiosk.xa")
    phone.goto(base + "/can-bo/hang-doi/")
    row = phone.locator("tr", has_text=desk.code)
    row.get_by_role("button", name="Bật chế độ kiosk trên máy này").click()
    phone.wait_for_url(re.compile(rf"/hang-doi/{re.escape(desk.code)}/lay-so/$"))
    kiosk_cookie = [c for c in phone.context.cookies() if c["name"] == COOKIE_NAME]
    assert [c["path"] for c in kiosk_cookie] == [f"/hang-doi/{desk.code}/"]
    phone.context.clear_cookies()
    phone.context.add_cookies(kiosk_cookie)

    # 2. The TV display, opened before anybody is called.
    tv = browser.new_context(viewport={"width": 1280, "height": 720}, locale="vi-VN")
    screen = tv.new_page()
    screen.goto(f"{base}/hang-doi/{desk.code}/man-hinh/")
    assert screen.locator("#latest-number").inner_text() == "—"

    # 3. A person taps "A" on the kiosk and gets the first number of the day, ready to print.
    phone.goto(f"{base}/hang-doi/{desk.code}/lay-so/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the screen
    phone.screenshot(path=str(SHOTS / "1-kiosk.png"), full_page=True)
    phone.locator("#group-A").click()
    phone.wait_for_url(re.compile(rf"/hang-doi/{re.escape(desk.code)}/lay-so/\d+/$"))
    assert phone.locator("#ticket-number").inner_text() == "A001"
    assert phone.locator("#ticket-ahead").inner_text() == "Bạn là người tiếp theo."
    assert phone.locator(".ticket-group").inner_text() == "Hộ tịch – Chứng thực"
    phone.screenshot(path=str(SHOTS / "2-ticket.png"), full_page=True)
    assert read(lambda: list(Ticket.objects.filter(desk=desk, status="waiting").values_list("number", flat=True))) == [
        1
    ]

    # 4. Two desk officers at counters 1 and 3: counter 1 calls first and gets A001.
    sign_in_staff(desktop, base, "motcua.xa")
    desktop.goto(f"{base}/can-bo/hang-doi/quay/{one.pk}/")
    other_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    other_context.set_default_timeout(15_000)
    other = other_context.new_page()
    sign_in_staff(other, base, "motcua2.xa")
    other.goto(f"{base}/can-bo/hang-doi/quay/{three.pk}/")

    desktop.locator("#action-next").click()
    desktop.get_by_text("Mời số A001 đến quầy 1.").wait_for()
    assert desktop.locator("#current-number").inner_text() == "A001"
    other.locator("#action-next").click()
    other.get_by_text("Không có ai đang chờ quầy này.").wait_for()
    assert other.locator("#current-none").is_visible()

    # 5. The display shows the number and its counter within a few seconds (it polls every 2 s).
    screen.locator("#latest-number", has_text="A001").wait_for(timeout=6_000)
    assert screen.locator("#latest-counter").inner_text() == "1"
    assert screen.locator("#calls tr.latest td").all_inner_texts()[:2] == ["A001", "1"]
    screen.screenshot(path=str(SHOTS / "3-display.png"))

    # 6. Served.
    desktop.locator("#action-served").click()
    desktop.get_by_text("Đã phục vụ xong A001.").wait_for()
    assert desktop.locator("#current-none").is_visible()
    desktop.screenshot(path=str(SHOTS / "4-counter.png"), full_page=True)
    served = read(
        lambda: list(
            Ticket.objects.filter(desk=desk, day__isnull=False, number=1, group__code="A")
            .order_by("-day")
            .values_list("status", "counter__number", "officer__username")[:1]
        )
    )
    assert served == [(TicketStatus.SERVED, 1, "motcua.xa")]
    other_context.close()
    tv.close()
