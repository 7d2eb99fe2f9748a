"""The demo's queue: groups and counters at every desk, three working days of tickets at the demo desks,
loaded once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from motcua.demo.province import load_demo_province
from motcua.queueing.models import Counter, ServiceGroup, Ticket
from motcua.queueing.report import queue_report
from tests.intake import HCM

pytestmark = pytest.mark.django_db


def test_the_demo_province_has_a_queue_with_history(time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 3, 11, 10, 0, tzinfo=HCM), tick=False)  # a Wednesday
    places = load_demo_province()["places"]
    desks = ServiceGroup.objects.values("desk").distinct().count()
    assert ServiceGroup.objects.count() == 3 * desks
    assert Counter.objects.count() == 3 * desks
    assert list(ServiceGroup.objects.filter(desk__agency=places["commune"]).values_list("code", "name")) == [
        ("A", "Hộ tịch – Chứng thực"),
        ("B", "Đất đai – Xây dựng"),
        ("C", "Khác"),
    ]
    days = sorted(set(Ticket.objects.values_list("day", flat=True)))
    assert days == [date(2026, 3, d) for d in (6, 9, 10)]  # the weekend skipped, today not
    count = Ticket.objects.count()
    # The demo department (Sở Tư pháp) receives at the provincial centre's desk: only the commune has one.
    assert list(Ticket.objects.order_by().values_list("desk__agency", flat=True).distinct()) == [places["commune"].pk]
    assert count == 3 * 20
    report = queue_report(
        agency_paths=[places["province"].path], first_day=date(2026, 3, 4), last_day=date(2026, 3, 10)
    )
    assert report.total.called == count
    assert report.total.wait_average is not None and report.total.wait_average > 0
    load_demo_province()  # again: nothing added
    assert Ticket.objects.count() == count
