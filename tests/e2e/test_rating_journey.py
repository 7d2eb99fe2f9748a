"""A citizen rates a returned dossier from the link of the notification (issue 17, item 2).

The demo citizen's birth registration is decided and its result returned at the desk; the "result
delivered" SMS in the outbox holds the signed rating link. On a 360 px phone, without logging in, the
citizen opens it, answers "Hài lòng" with two criteria and a comment, and is thanked; the link opened again
says the dossier was rated. The supervisor's dashboard then shows satisfaction 100 % of 1 rating, and the
ratings report the same.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from motcua.core.site import rating_token
from motcua.notifications.models import Notification
from motcua.satisfaction.models import Rating, SatisfactionDayStat
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from motcua.workflow.services import dossier_receive
from tests.e2e.staff_login import sign_in_staff
from tests.e2e.test_dashboard_journey import staff, submit_online

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-rating")


def returned_at_the_desk() -> str:
    """Built in a thread of its own: signing the result runs an event loop, as Playwright does here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_returned).result()


def _returned() -> str:
    try:
        desk = staff("motcua.xa")
        code = submit_online()
        dossier_receive(actor=desk, code=code)
        dossier_forward(actor=desk, code=code, assignee=staff("chuyenvien.xa"))
        dossier_forward(actor=staff("chuyenvien.xa"), code=code, assignee=staff("lanhdao.xa"))
        dossier_approve(actor=staff("lanhdao.xa"), code=code, assignee=staff("vanthu.xa"))
        dossier_issue_result(actor=staff("vanthu.xa"), code=code)
        dossier_return_result(actor=desk, code=code, via=ReturnVia.DESK)
        return code
    finally:
        connections.close_all()


def test_a_citizen_rates_a_returned_dossier_from_the_notification_link(
    demo_site: Any, settings: Any, phone: Any, browser: Any
) -> None:
    SHOTS.mkdir(exist_ok=True)
    settings.SITE_URL = demo_site.url
    code = returned_at_the_desk()

    sms = Notification.objects.get(dossier__code=code, event__action="return_result", channel="sms").body
    link = re.search(r"https?://\S+/danh-gia/\S+/", sms)
    assert link is not None and link.group(0) == f"{demo_site.url}/danh-gia/{rating_token(code)}/"
    assert sms == f"Ho so {code} da tra KQ. Danh gia: {link.group(0)}"

    # The citizen, not logged in, opens the link on a phone.
    phone.goto(link.group(0))
    assert phone.locator("#rating-dossier").inner_text() == code
    phone.locator(".rating-overall .rating-satisfied").click()
    criteria = phone.locator(".rating-criterion")
    criteria.nth(0).locator(".rating-very_satisfied").click()  # attitude
    criteria.nth(1).locator(".rating-satisfied").click()  # time
    phone.locator("textarea[name=comment]").fill("Cán bộ hướng dẫn tận tình.")
    assert phone.locator(".rating-overall input[value=satisfied]").is_checked()
    phone.screenshot(path=str(SHOTS / "1-rate-360.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.locator("#rating-send").click()
    phone.wait_for_selector("#rating-thanks")
    assert phone.locator("#rating-thanks").inner_text() == "Cảm ơn bạn! Đánh giá của bạn đã được ghi nhận."
    phone.screenshot(path=str(SHOTS / "2-thanks-360.png"), full_page=True)

    rating = Rating.objects.get()
    assert (rating.dossier.code, rating.level, rating.scores, rating.comment, rating.channel) == (
        code,
        "satisfied",
        {"attitude": "very_satisfied", "time": "satisfied"},
        "Cán bộ hướng dẫn tận tình.",
        "online",
    )
    stat = SatisfactionDayStat.objects.get()
    assert (stat.very_satisfied, stat.satisfied, stat.not_satisfied) == (0, 1, 0)

    # The same link again: already rated, no form.
    phone.goto(link.group(0))
    assert "đã được đánh giá" in phone.locator("#rating-already").inner_text()
    assert phone.locator("form.rating-form").count() == 0

    # The supervisor's dashboard: satisfaction 100 % of 1 rating; the ratings report agrees.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = sign_in_staff(context.new_page(), demo_site.url, "giamsat")
    try:
        today = timezone.localdate()
        page.goto(
            f"{demo_site.url}/can-bo/bao-cao/?period=range"
            f"&from={(today - timedelta(days=1)).isoformat()}&to={(today + timedelta(days=1)).isoformat()}"
        )
        row = page.locator("#row-satisfaction_share td.num")
        assert (row.nth(0).inner_text(), row.nth(1).inner_text()) == ("100 %", "1 / 1")
        page.locator("#nav-rating-report").click()
        page.wait_for_selector("#rating-total")
        assert page.locator("#rating-total").inner_text() == "1 lượt đánh giá, 100,0 % hài lòng."
        page.screenshot(path=str(SHOTS / "3-report.png"), full_page=True)
    finally:
        context.close()


def test_a_citizen_rates_on_the_desk_tablet_which_returns_to_its_waiting_screen(demo_site: Any, desktop: Any) -> None:
    SHOTS.mkdir(exist_ok=True)
    code = returned_at_the_desk()
    tablet = sign_in_staff(desktop, demo_site.url, "motcua.xa")
    tablet.goto(f"{demo_site.url}/can-bo/ho-so/{code}/")
    tablet.locator("#rating-desk-link").click()
    tablet.wait_for_selector("#tablet-very_satisfied")
    assert tablet.locator("nav").count() == 0  # full screen: nothing for the citizen to wander off to
    tablet.screenshot(path=str(SHOTS / "4-tablet.png"))

    tablet.locator("#tablet-very_satisfied").click()
    tablet.wait_for_selector("#tablet-thanks")
    assert tablet.locator("#tablet-thanks").inner_text() == "Cảm ơn quý khách đã đánh giá!"
    tablet.wait_for_selector("#tablet-waiting", timeout=10_000)  # back by itself after 6 seconds
    assert tablet.url == f"{demo_site.url}/can-bo/danh-gia/tai-quay/"

    rating = Rating.objects.get()
    assert (rating.dossier.code, rating.level, rating.channel, rating.recorded_by.username) == (
        code,
        "very_satisfied",
        "desk",
        "motcua.xa",
    )
