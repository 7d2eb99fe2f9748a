"""A desk of commune A with groups A and B, counter 1 (both groups) and counter 2 (group A), and its desk
officers; a desk officer of commune B, who may not call here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from motcua.agencies.models import Desk
from motcua.identity.constants import Role
from motcua.queueing.models import Counter, ServiceGroup
from tests.factories import make_staff
from tests.intake import HCM


def make_queue(agency: Any) -> dict[str, Any]:
    desk = Desk.objects.get(agency=agency)  # the province tree gives each agency its desk "<code>.MC"
    a = ServiceGroup.objects.create(desk=desk, code="A", name="Hộ tịch – Chứng thực", position=1)
    b = ServiceGroup.objects.create(desk=desk, code="B", name="Đất đai – Xây dựng", position=2)
    one = Counter.objects.create(desk=desk, number=1)
    one.groups.set([a, b])
    two = Counter.objects.create(desk=desk, number=2)
    two.groups.set([a])
    return {"desk": desk, "a": a, "b": b, "one": one, "two": two}


@pytest.fixture
def queue(province: dict[str, Any]) -> dict[str, Any]:
    return {
        **make_queue(province["commune_a"]),
        "officer": make_staff(Role.DESK_OFFICER, province["commune_a"], username="motcua.an1"),
        "officer2": make_staff(Role.DESK_OFFICER, province["commune_a"], username="motcua.an2"),
        "outsider": make_staff(Role.DESK_OFFICER, province["commune_b"], username="motcua.binh"),
        "supervisor": make_staff(Role.SUPERVISOR, province["province"], include_subagencies=True),
    }


@pytest.fixture
def morning(time_machine: Any) -> Any:
    """Monday 2026-03-09 08:00 in Hà Nội; the test moves the clock with ``morning.move_to``."""
    time_machine.move_to(datetime(2026, 3, 9, 8, 0, tzinfo=HCM), tick=False)
    return time_machine
