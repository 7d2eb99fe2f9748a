"""Feedback services: deadlines in working time, transfer, answer once, publish with consent, unit scope."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.utils import translation

from motcua.agencies.calendar import calendar_day_set
from motcua.agencies.calendar_models import CalendarDayKind
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.feedback.constants import FeedbackChannel, FeedbackStatus, FeedbackSubject
from motcua.feedback.exceptions import FeedbackClosed, FeedbackNoConsent, FeedbackNotAnswered
from motcua.feedback.models import Feedback, FeedbackTransfer
from motcua.feedback.services import (
    FeedbackInput,
    feedback_answer,
    feedback_publish,
    feedback_submit,
    feedback_transfer,
)
from motcua.identity.constants import Role
from tests.factories import make_staff
from tests.intake import HCM

FRIDAY_4PM = datetime(2026, 3, 13, 16, 0, tzinfo=HCM)


def question(agency: Any, **overrides: Any) -> FeedbackInput:
    values: dict[str, Any] = {
        "subject": FeedbackSubject.OTHER,
        "title": "Đèn đường thôn Trung hỏng",
        "content": "Đèn đường thôn Trung hỏng đã hai tuần.",
        "sender_name": "Nguyễn Thị Lan",
        "sender_phone": "0912 345 678",
        "agency": agency,
    }
    values.update(overrides)
    return FeedbackInput(**values)


def snapshot(feedback: Feedback) -> dict[str, Any]:
    fresh = Feedback.objects.get(pk=feedback.pk)
    return {
        **model_to_dict(fresh),
        "status": fresh.status,
        "answered_at": fresh.answered_at,
        "published_at": fresh.published_at,
        "transfers": FeedbackTransfer.objects.filter(feedback=fresh).count(),
    }


@pytest.fixture
def friday(province: dict[str, Any]) -> Any:
    with time_machine.travel(FRIDAY_4PM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(province: dict[str, Any]) -> dict[str, Any]:
    return {
        "specialist": make_staff(Role.SPECIALIST, province["commune_a"]),
        "leader": make_staff(Role.UNIT_LEADER, province["commune_a"]),
        "other_desk": make_staff(Role.DESK_OFFICER, province["commune_b"]),
        "other_leader": make_staff(Role.UNIT_LEADER, province["commune_b"]),
        "clerk": make_staff(Role.CLERK, province["commune_a"]),
    }


@pytest.fixture
def sent(province: dict[str, Any], friday: Any) -> Feedback:
    return feedback_submit(actor=None, channel=FeedbackChannel.PORTAL, data=question(province["commune_a"]))


def test_the_deadline_skips_the_days_off_and_counts_the_make_up_saturday(province: dict[str, Any], friday: Any) -> None:
    # Received Friday 16:00; Monday and Tuesday are days off, the Saturday after is a make-up working day.
    calendar_day_set(actor=None, date=date(2026, 3, 16), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù")
    calendar_day_set(actor=None, date=date(2026, 3, 17), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù")
    calendar_day_set(actor=None, date=date(2026, 3, 21), kind=CalendarDayKind.EXTRA_WORKING_DAY, name="Làm bù")

    feedback = feedback_submit(actor=None, channel=FeedbackChannel.PORTAL, data=question(province["commune_a"]))

    # Wed 18, Thu 19, Fri 20, Sat 21, Mon 23 … Fri 27 are nine working days; the tenth ends Mon 30 at 16:00.
    assert feedback.received_at == FRIDAY_4PM
    assert feedback.due_at == datetime(2026, 3, 30, 16, 0, tzinfo=HCM)
    assert feedback.warn_at == datetime(2026, 3, 27, 16, 0, tzinfo=HCM)
    assert feedback.agency == province["commune_a"]
    assert feedback.status == FeedbackStatus.OPEN
    assert feedback.sender_phone == "0912345678"
    assert len(feedback.code) == 10 and feedback.code.startswith("PA")


def test_without_days_off_ten_working_days_end_two_weeks_later(sent: Feedback) -> None:
    assert sent.due_at == datetime(2026, 3, 27, 16, 0, tzinfo=HCM)


def test_a_letter_entered_by_staff_counts_from_its_receipt(
    province: dict[str, Any], staff: dict[str, Any], friday: Any
) -> None:
    received = datetime(2026, 3, 10, 8, 0, tzinfo=HCM)  # a Tuesday, entered on Friday
    feedback = feedback_submit(
        actor=staff["specialist"],
        channel=FeedbackChannel.LETTER,
        data=question(province["commune_a"], sender_phone="", sender_address="Thôn Trung"),
        received_at=received,
    )
    assert feedback.received_at == received
    assert feedback.due_at == datetime(2026, 3, 24, 8, 0, tzinfo=HCM)
    assert feedback.entered_by == staff["specialist"]
    assert feedback.sender is None


def test_staff_cannot_enter_feedback_for_another_unit(
    province: dict[str, Any], staff: dict[str, Any], friday: Any
) -> None:
    with pytest.raises(PermissionDenied):
        feedback_submit(actor=staff["other_desk"], channel=FeedbackChannel.PHONE, data=question(province["commune_a"]))
    assert Feedback.objects.count() == 0


def test_a_form_sent_twice_records_one_feedback(province: dict[str, Any], friday: Any) -> None:
    first = feedback_submit(
        actor=None, channel=FeedbackChannel.PORTAL, data=question(province["commune_a"]), idempotency_key="tok-1"
    )
    again = feedback_submit(
        actor=None, channel=FeedbackChannel.PORTAL, data=question(province["commune_b"]), idempotency_key="tok-1"
    )
    assert again.pk == first.pk
    assert Feedback.objects.count() == 1


def test_refused_input_records_nothing(province: dict[str, Any], friday: Any) -> None:
    with translation.override("vi"), pytest.raises(ValidationFailed) as refused:
        feedback_submit(
            actor=None,
            channel=FeedbackChannel.PORTAL,
            data=question(province["commune_a"], title=" ", sender_phone="", sender_email=""),
        )
    assert refused.value.details == {
        "title": ["Trường này là bắt buộc."],
        "sender_phone": ["Hãy cho số điện thoại hoặc địa chỉ thư điện tử để nhận được câu trả lời."],
    }
    assert Feedback.objects.count() == 0


def test_transfer_keeps_the_deadline(province: dict[str, Any], staff: dict[str, Any], sent: Feedback) -> None:
    moved = feedback_transfer(
        actor=staff["specialist"], feedback=sent, to_agency=province["commune_b"], note="Sai đơn vị"
    )

    assert moved.agency == province["commune_b"]
    assert moved.due_at == datetime(2026, 3, 27, 16, 0, tzinfo=HCM)
    assert moved.warn_at == sent.warn_at
    transfer = FeedbackTransfer.objects.get(feedback=sent)
    assert (transfer.from_agency, transfer.to_agency, transfer.by, transfer.note) == (
        province["commune_a"],
        province["commune_b"],
        staff["specialist"],
        "Sai đơn vị",
    )
    # The first unit no longer handles it; the second does.
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=staff["specialist"], feedback=moved, answer="Đã sửa.")
    assert (
        feedback_answer(actor=staff["other_desk"], feedback=moved, answer="Đã sửa.").status == FeedbackStatus.ANSWERED
    )


def test_answering_twice_is_refused_and_changes_nothing(staff: dict[str, Any], sent: Feedback, friday: Any) -> None:
    answered = feedback_answer(actor=staff["specialist"], feedback=sent, answer="Đã thay bóng đèn ngày 14/3.")
    assert (answered.status, answered.answered_at, answered.answered_by) == (
        FeedbackStatus.ANSWERED,
        FRIDAY_4PM,
        staff["specialist"],
    )
    assert answered.answered_on_time is True
    before = snapshot(sent)
    friday.shift(3600)

    with pytest.raises(FeedbackClosed):
        feedback_answer(actor=staff["leader"], feedback=sent, answer="Câu trả lời khác")
    with pytest.raises(FeedbackClosed):
        feedback_answer(actor=staff["leader"], feedback=sent, answer="Từ chối", decline=True)

    assert snapshot(sent) == before


def test_staff_of_another_unit_cannot_answer_or_publish(staff: dict[str, Any], sent: Feedback) -> None:
    before = snapshot(sent)
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=staff["other_desk"], feedback=sent, answer="Không thuộc thẩm quyền")
    with pytest.raises(PermissionDenied):
        feedback_transfer(actor=staff["other_leader"], feedback=sent, to_agency=sent.agency.parent)
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=staff["clerk"], feedback=sent, answer="Văn thư không trả lời")
    assert snapshot(sent) == before


def test_publishing_needs_an_answer_the_consent_and_a_leader(
    province: dict[str, Any], staff: dict[str, Any], sent: Feedback, friday: Any
) -> None:
    with pytest.raises(FeedbackNotAnswered):
        feedback_publish(actor=staff["leader"], feedback=sent)
    feedback_answer(actor=staff["specialist"], feedback=sent, answer="Đã thay bóng đèn.")
    before = snapshot(sent)
    with pytest.raises(PermissionDenied):
        feedback_publish(actor=staff["specialist"], feedback=sent)  # a leader's decision
    with pytest.raises(PermissionDenied):
        feedback_publish(actor=staff["other_leader"], feedback=sent)
    assert snapshot(sent) == before

    published = feedback_publish(actor=staff["leader"], feedback=sent)
    assert published.published_at == FRIDAY_4PM
    withdrawn = feedback_publish(actor=staff["leader"], feedback=sent, publish=False)
    assert withdrawn.published_at is None


def test_publishing_without_the_senders_consent_is_refused_and_changes_nothing(
    province: dict[str, Any], staff: dict[str, Any], friday: Any
) -> None:
    private = feedback_submit(
        actor=None, channel=FeedbackChannel.PORTAL, data=question(province["commune_a"], consent_to_publish=False)
    )
    feedback_answer(actor=staff["specialist"], feedback=private, answer="Đã xử lý.")
    before = snapshot(private)

    with pytest.raises(FeedbackNoConsent):
        feedback_publish(actor=staff["leader"], feedback=private)

    assert snapshot(private) == before


def test_a_declined_feedback_cannot_be_published(staff: dict[str, Any], sent: Feedback) -> None:
    declined = feedback_answer(actor=staff["specialist"], feedback=sent, answer="Trùng phản ánh PA2", decline=True)
    assert declined.status == FeedbackStatus.DECLINED
    with pytest.raises(FeedbackNotAnswered):
        feedback_publish(actor=staff["leader"], feedback=sent)
