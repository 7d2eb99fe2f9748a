"""Back-office feedback pages: the units' list with late ones flagged, the actions, staff-entered feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.feedback.constants import FeedbackChannel, FeedbackStatus, FeedbackSubject
from motcua.feedback.models import Feedback, FeedbackTransfer
from motcua.feedback.services import FeedbackInput, feedback_submit
from motcua.identity.constants import Role
from tests.factories import make_staff
from tests.intake import HCM

FRIDAY_4PM = datetime(2026, 3, 13, 16, 0, tzinfo=HCM)
LIST = reverse("backoffice:feedback-list")


def send(agency: Any, title: str, **extra: Any) -> Feedback:
    data = FeedbackInput(
        subject=FeedbackSubject.OTHER,
        title=title,
        content="Nội dung " + title,
        sender_name="Trần Văn Minh",
        sender_phone="0987654321",
        agency=agency,
        **extra,
    )
    return feedback_submit(actor=None, channel=FeedbackChannel.PORTAL, data=data)


@pytest.fixture
def clock(province: dict[str, Any]) -> Any:
    with time_machine.travel(FRIDAY_4PM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(province: dict[str, Any]) -> dict[str, Client]:
    clients = {}
    for name, role, agency in (
        ("specialist", Role.SPECIALIST, "commune_a"),
        ("leader", Role.UNIT_LEADER, "commune_a"),
        ("other", Role.DESK_OFFICER, "commune_b"),
    ):
        client = Client()
        client.force_login(make_staff(role, province[agency]))
        clients[name] = client
    return clients


@pytest.fixture
def history(province: dict[str, Any], clock: Any) -> dict[str, Feedback]:
    """Xã An: one late (received two weeks and more ago), one due tomorrow, one fresh; Xã Bình: one."""
    clock.move_to(datetime(2026, 2, 26, 9, 0, tzinfo=HCM))  # due Thu 12/03 09:00
    late = send(province["commune_a"], "Quá hạn")
    clock.move_to(datetime(2026, 3, 2, 15, 0, tzinfo=HCM))  # due Mon 16/03 15:00: at risk from Fri 13/03 15:00
    at_risk = send(province["commune_a"], "Sắp đến hạn")
    clock.move_to(FRIDAY_4PM)
    fresh = send(province["commune_a"], "Mới nhận")
    elsewhere = send(province["commune_b"], "Ở xã khác")
    return {"late": late, "at_risk": at_risk, "fresh": fresh, "elsewhere": elsewhere}


def test_the_list_shows_the_units_feedback_with_late_ones_flagged(
    staff: dict[str, Client], history: dict[str, Feedback]
) -> None:
    text = staff["specialist"].get(LIST).content.decode()
    assert '<strong class="kpi-value" id="count-open">3</strong>' in text
    assert '<strong class="kpi-value" id="count-overdue">1</strong>' in text
    assert '<strong class="kpi-value" id="count-at-risk">1</strong>' in text
    assert "Ở xã khác" not in text
    late = history["late"]
    assert '<td>09:00 12/03/2026 <span class="badge urgency-overdue">Quá hạn</span></td>' in text
    assert f'href="/can-bo/phan-anh/{late.code}/"' in text
    assert '<span class="badge urgency-at_risk">Sắp đến hạn (trong 1 ngày làm việc)</span>' in text
    # The late one first, then the one at risk, then the fresh one.
    order = [text.index(history[k].code) for k in ("late", "at_risk", "fresh")]
    assert order == sorted(order)

    overdue_only = staff["specialist"].get(LIST, {"urgency": "overdue"}).content.decode()
    assert late.code in overdue_only and history["fresh"].code not in overdue_only
    assert history["elsewhere"].code in staff["other"].get(LIST).content.decode()


def test_another_units_feedback_is_not_found(staff: dict[str, Client], history: dict[str, Feedback]) -> None:
    url = reverse("backoffice:feedback-detail", kwargs={"code": history["elsewhere"].code})
    assert staff["specialist"].get(url).status_code == 404
    assert staff["specialist"].post(url, {"action": "answer", "answer": "x"}).status_code == 404
    assert Feedback.objects.get(pk=history["elsewhere"].pk).status == FeedbackStatus.OPEN


def test_answer_then_publish_and_a_second_answer_is_refused(
    staff: dict[str, Client], history: dict[str, Feedback], clock: Any
) -> None:
    feedback = history["fresh"]
    url = reverse("backoffice:feedback-detail", kwargs={"code": feedback.code})
    response = staff["specialist"].post(url, {"action": "answer", "answer": "Đã thay bóng đèn."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answer, feedback.answered_at) == (
        FeedbackStatus.ANSWERED,
        "Đã thay bóng đèn.",
        FRIDAY_4PM,
    )

    refused = staff["leader"].post(url, {"action": "answer", "answer": "Câu trả lời khác"})
    assert refused.status_code == 400
    assert "Phản ánh này đã được trả lời hoặc từ chối." in refused.content.decode()
    feedback.refresh_from_db()
    assert feedback.answer == "Đã thay bóng đèn."

    # A specialist cannot publish: the page says why and nothing changes; the leader can.
    staff["specialist"].post(url, {"action": "publish"})
    assert Feedback.objects.get(pk=feedback.pk).published_at is None
    assert staff["specialist"].get(url).content.decode().count('id="publish-form"') == 0
    assert 'id="publish-form"' in staff["leader"].get(url).content.decode()
    staff["leader"].post(url, {"action": "publish"})
    assert Feedback.objects.get(pk=feedback.pk).published_at == FRIDAY_4PM
    staff["leader"].post(url, {"action": "unpublish"})
    assert Feedback.objects.get(pk=feedback.pk).published_at is None


def test_decline_needs_a_reason(staff: dict[str, Client], history: dict[str, Feedback]) -> None:
    feedback = history["fresh"]
    url = reverse("backoffice:feedback-detail", kwargs={"code": feedback.code})
    assert staff["specialist"].post(url, {"action": "decline", "reason": ""}).status_code == 400
    assert Feedback.objects.get(pk=feedback.pk).status == FeedbackStatus.OPEN
    staff["specialist"].post(url, {"action": "decline", "reason": "Trùng phản ánh đã gửi."})
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answer) == (FeedbackStatus.DECLINED, "Trùng phản ánh đã gửi.")


def test_transfer_to_another_unit_keeps_the_deadline(
    province: dict[str, Any], staff: dict[str, Client], history: dict[str, Feedback]
) -> None:
    feedback = history["fresh"]
    url = reverse("backoffice:feedback-detail", kwargs={"code": feedback.code})
    response = staff["specialist"].post(url, {"action": "transfer", "to_agency": "H99.102", "note": "Thuộc xã Bình"})
    assert response["Location"] == LIST  # the specialist no longer sees it
    moved = Feedback.objects.get(pk=feedback.pk)
    assert (moved.agency, moved.due_at) == (province["commune_b"], feedback.due_at)
    assert FeedbackTransfer.objects.filter(feedback=feedback, note="Thuộc xã Bình").count() == 1
    assert feedback.code in staff["other"].get(LIST).content.decode()


def test_staff_enter_a_telephone_call_with_its_real_time(
    province: dict[str, Any], catalog: Any, staff: dict[str, Client], clock: Any
) -> None:
    url = reverse("backoffice:feedback-enter")
    values = {
        "channel": "phone",
        "received_at": "2026-03-12T10:30",
        "subject": "procedure",
        "procedure": "1.001193",
        "agency": "H99.101",
        "title": "Hỏi thời hạn khai sinh",
        "content": "Người gọi hỏi thời hạn giải quyết.",
        "sender_name": "Lê Văn Gọi",
        "sender_phone": "0911222333",
    }
    response = staff["specialist"].post(url, values)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.received_at, feedback.due_at) == (
        FeedbackChannel.PHONE,
        datetime(2026, 3, 12, 10, 30, tzinfo=HCM),
        datetime(2026, 3, 26, 10, 30, tzinfo=HCM),
    )
    assert feedback.consent_to_publish is False  # the box was not ticked
    assert feedback.procedure is not None and feedback.procedure.code == "1.001193"

    future = staff["specialist"].post(url, {**values, "received_at": "2026-03-14T08:00"})
    assert future.status_code == 400
    assert "Thời điểm nhận không thể ở tương lai." in future.content.decode()
    other_unit = staff["specialist"].post(url, {**values, "agency": "H99.102"})
    assert other_unit.status_code == 400
    assert Feedback.objects.count() == 1
