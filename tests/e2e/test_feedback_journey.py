"""A citizen sends feedback from a phone without an account (a double tap sends it once) and is given a code
and the answer's deadline; the ward's leader answers and publishes it in the back office; the citizen looks
the code up and reads the published answer, which the public list of answers shows too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from motcua.feedback.models import Feedback
from tests.e2e.live_db import read
from tests.e2e.staff_login import sign_in_staff

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-feedback")
TITLE = "Đèn đường tổ 5 khu 3 bị hỏng"
CONTENT = "Đèn đường tổ 5 khu 3 hỏng đã hai tuần, buổi tối đi lại rất nguy hiểm."
ANSWER = "Phường đã thay bóng đèn tổ 5 khu 3. Cảm ơn bà đã phản ánh."


def test_a_citizen_sends_feedback_and_reads_the_published_answer(demo_site: Any, phone: Any, desktop: Any) -> None:
    SHOTS.mkdir(exist_ok=True)
    base = demo_site.url

    # 1. The citizen, on a phone, without an account.
    phone.goto(base + "/")
    phone.locator("#nav-feedback").click()
    phone.wait_for_url(re.compile(r"/phan-anh-kien-nghi/$"))
    phone.locator("#feedback-send-link").click()
    phone.wait_for_url(re.compile(r"/phan-anh-kien-nghi/gui/$"))
    assert phone.locator("h1").inner_text() == "Gửi phản ánh, kiến nghị"
    phone.locator("input[name=subject][value=other]").check()
    phone.locator("select[name=agency]").select_option("H49.101")
    phone.locator("input[name=title]").fill(TITLE)
    phone.locator("textarea[name=content]").fill(CONTENT)
    phone.locator("input[name=sender_name]").fill("Nguyễn Thị Hạnh")
    phone.locator("input[name=sender_phone]").fill("0912 000 111")
    assert phone.locator("input[name=consent_to_publish]").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.screenshot(path=str(SHOTS / "1-form.png"), full_page=True)
    phone.locator("#feedback-submit").dblclick()  # a double tap
    phone.wait_for_url(re.compile(r"/phan-anh-kien-nghi/da-gui/PA[A-Z0-9]{8}/$"))

    assert phone.locator("h1").inner_text() == "Phản ánh, kiến nghị của bạn đã được gửi"
    code = phone.locator("#feedback-code").inner_text()
    feedback = read(lambda: Feedback.objects.get(title=TITLE))  # one feedback for the two taps
    assert feedback.code == code
    due = timezone.localtime(feedback.due_at).strftime("%d/%m/%Y %H:%M")
    assert phone.locator("#feedback-due").inner_text() == due
    assert phone.locator("#feedback-unit").inner_text() == "Ủy ban nhân dân phường Hồng Gai"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "2-code.png"), full_page=True)

    # 2. The ward's leader answers and publishes it.
    sign_in_staff(desktop, base, "lanhdao.xa")
    desktop.locator("#feedback-card").click()
    desktop.wait_for_url(re.compile(r"/can-bo/phan-anh/$"))
    assert desktop.locator("#count-open").inner_text() == "2"  # one of the demo and this one
    desktop.screenshot(path=str(SHOTS / "3-list.png"), full_page=True)
    row = desktop.locator("#feedback-list tr", has_text=code)
    assert row.locator("td").nth(1).inner_text().startswith(TITLE)
    row.locator("a.code").click()
    desktop.wait_for_url(re.compile(rf"/can-bo/phan-anh/{code}/$"))
    assert desktop.locator("#feedback-status").inner_text() == "Chờ trả lời"
    assert (
        desktop.locator("#feedback-due")
        .inner_text()
        .startswith(timezone.localtime(feedback.due_at).strftime("%H:%M %d/%m/%Y"))
    )
    desktop.locator("#answer-form textarea[name=answer]").fill(ANSWER)
    desktop.locator("#answer-form button[type=submit]").click()
    desktop.wait_for_load_state()
    assert desktop.locator(".message.success").inner_text() == "Đã ghi nhận câu trả lời."
    assert desktop.locator("#feedback-status").inner_text() == "Đã trả lời"
    desktop.locator("#publish-form button[type=submit]").click()
    desktop.wait_for_load_state()
    assert desktop.locator(".message.success").inner_text() == "Câu trả lời đã được công khai trên cổng."
    assert desktop.locator("#feedback-status").inner_text().startswith("Đã trả lời · Đã công bố ")
    desktop.screenshot(path=str(SHOTS / "4-answered.png"), full_page=True)

    # 3. The citizen looks the code up and reads the answer.
    phone.locator("#feedback-follow").click()
    phone.wait_for_url(re.compile(r"/phan-anh-kien-nghi/tra-cuu/\?code="))
    assert phone.locator("#feedback-status").inner_text() == "Đã trả lời"
    assert phone.locator("#feedback-answer").inner_text() == ANSWER
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert phone.locator("#feedback-published").inner_text() == f"Đã công khai trên cổng ngày {today}."
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "5-lookup.png"), full_page=True)

    # 4. The public list of answers shows it, without the sender.
    phone.goto(base + "/phan-anh-kien-nghi/")
    item = phone.locator(f"#published-{code}")
    assert item.locator(".feedback-title").inner_text() == TITLE
    assert item.locator(".feedback-question").inner_text() == CONTENT
    assert item.locator(".feedback-answer").inner_text() == ANSWER
    assert "Nguyễn Thị Hạnh" not in phone.locator("main").inner_text()
    assert phone.locator("#published-count").inner_text() == "3 câu trả lời đã công khai."  # and the demo's two
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SHOTS / "6-published.png"), full_page=True)
    assert read(lambda: Feedback.objects.filter(title=TITLE).count()) == 1
