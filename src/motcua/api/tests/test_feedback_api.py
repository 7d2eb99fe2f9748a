"""GET /api/v1/feedback/{code}: the public status of one feedback, in the committed schema's shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine
from rest_framework.test import APIClient

from motcua.feedback.constants import FeedbackChannel, FeedbackSubject
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackInput, feedback_answer, feedback_submit
from motcua.identity.constants import Role
from tests.factories import make_staff
from tests.intake import HCM
from tests.openapi import assert_matches_spec

PATH = "/api/v1/feedback/{code}"


def test_the_status_and_answer_by_code_never_the_sender(province: dict[str, Any]) -> None:
    with time_machine.travel(datetime(2026, 3, 13, 16, 0, tzinfo=HCM), tick=False) as clock:
        feedback = feedback_submit(
            actor=None,
            channel=FeedbackChannel.PORTAL,
            data=FeedbackInput(
                subject=FeedbackSubject.OTHER,
                title="Đèn đường hỏng",
                content="Đèn đường thôn Trung hỏng.",
                sender_name="Nguyễn Thị Lan",
                sender_phone="0912345678",
                agency=province["commune_a"],
            ),
        )
        response = APIClient().get(f"/api/v1/feedback/{feedback.code.lower()}")
        assert response.status_code == 200
        assert_matches_spec(response, PATH)
        assert response.json() == {
            "code": feedback.code,
            "title": "Đèn đường hỏng",
            "agency_code": "H99.101",
            "agency_name": "Xã An",
            "status": "open",
            "received_at": "2026-03-13T16:00:00+07:00",
            "due_at": "2026-03-27T16:00:00+07:00",
            "answered_at": None,
            "answer": "",
            "published": False,
        }
        clock.shift(3600)
        feedback_answer(actor=make_staff(Role.SPECIALIST, province["commune_a"]), feedback=feedback, answer="Đã sửa.")
        body = APIClient().get(f"/api/v1/feedback/{feedback.code}").json()
        assert (body["status"], body["answer"], body["answered_at"]) == (
            "answered",
            "Đã sửa.",
            "2026-03-13T17:00:00+07:00",
        )


def test_unknown_codes_are_404_then_429(db: Any, settings: Any) -> None:
    settings.TRACKING_RATE_LIMIT = "2/10m"
    client = APIClient()
    statuses = [client.get("/api/v1/feedback/PAZZZZZZZZ") for _ in range(3)]
    assert [r.status_code for r in statuses] == [404, 404, 429]
    assert [r.json()["code"] for r in statuses] == ["feedback_not_found", "feedback_not_found", "too_many_lookups"]
    assert statuses[0]["Content-Type"] == "application/problem+json"
    assert Feedback.objects.count() == 0
