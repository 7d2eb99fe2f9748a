"""The demo's feedback: a dozen over the communes, one answered late, two open, two published; loaded once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine
from django.db.models import F

from motcua.demo.province import load_demo_province
from motcua.demo.voice_feedback import load
from motcua.feedback.constants import FeedbackStatus
from motcua.feedback.models import Feedback
from tests.intake import HCM


def test_the_demo_feedback_is_loaded_once_with_one_late_answer(db: Any) -> None:
    with time_machine.travel(datetime(2026, 3, 9, 10, 0, tzinfo=HCM), tick=False):
        result = load_demo_province()
        load(result["places"])  # a second load adds nothing

    rows = Feedback.objects.all()
    assert rows.count() == 12
    assert rows.values("agency").distinct().count() == 4
    assert rows.filter(status=FeedbackStatus.OPEN).count() == 2
    answered = rows.filter(status=FeedbackStatus.ANSWERED)
    assert answered.count() == 10
    assert list(answered.filter(answered_at__gt=F("due_at")).values_list("title", flat=True)) == [
        "Thái độ cán bộ tiếp nhận"
    ]
    assert answered.filter(answered_at__lte=datetime(2026, 3, 9, 10, 0, tzinfo=HCM)).count() == 10
    published = rows.filter(published_at__isnull=False).order_by("title")
    assert [f.title for f in published] == [
        "Lệ phí chứng thực bản sao",
        "Thời gian cấp bản sao trích lục khai sinh",
    ]
    assert all(f.agency == result["places"]["commune"] for f in published)
