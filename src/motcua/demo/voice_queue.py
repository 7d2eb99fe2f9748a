"""The demo's desk queue: three service groups and three counters at every desk of the demo province, and
the last three working days' tickets at the demo commune's and department's desks, so that the dashboard shows a
waiting time and the queue report has figures from the first visit.

The history is recorded through ``queueing.services.ticket_record_past`` (the one writer of a ticket's
status) with a fixed random seed: the same rows on every machine, relative to the day it is loaded. It is
added once: a desk that already has tickets before today gets no more.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from motcua.agencies.models import Desk
from motcua.identity.constants import Role
from motcua.identity.models import RoleGrant
from motcua.queueing.models import Counter, ServiceGroup, Ticket
from motcua.queueing.services import queue_setup_ensure, ticket_record_past

GROUPS = [("A", "Hộ tịch – Chứng thực"), ("B", "Đất đai – Xây dựng"), ("C", "Khác")]
# Counter 1 takes civil status and certification, counter 2 land and building, counter 3 everything.
COUNTERS = [(1, ["A"]), (2, ["B"]), (3, ["A", "B", "C"])]
HISTORY_DAYS = 3  # working days before today
TICKETS_PER_DAY = 20
SEED = 17


def load(places: dict[str, Any]) -> None:
    desks = list(Desk.objects.filter(agency__path__startswith=places["province"].path, is_active=True))
    queue_setup_ensure(desks=desks, groups=GROUPS, counters=COUNTERS)
    rng = random.Random(SEED)
    today = timezone.localdate()
    for key in ("commune", "department"):
        for desk in Desk.objects.filter(agency=places[key], is_active=True).order_by("code"):
            if Ticket.objects.filter(desk=desk, day__lt=today).exists():
                continue
            officer = (
                RoleGrant.objects.filter(role=Role.DESK_OFFICER, agency=desk.agency).select_related("user").first()
            )
            for day in _working_days_before(today, HISTORY_DAYS):
                _a_day(rng, desk, day, officer.user if officer else None)


def _working_days_before(today: date, count: int) -> list[date]:
    days: list[date] = []
    day = today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _a_day(rng: random.Random, desk: Desk, day: date, officer: Any) -> None:
    """People arrive from 7:30 to 11:00 and 13:30 to 16:30; each counter takes the oldest of its groups;
    about one in twelve has left when called."""
    groups = {g.code: g for g in ServiceGroup.objects.filter(desk=desk)}
    counters = list(Counter.objects.filter(desk=desk).prefetch_related("groups").order_by("number"))
    free_at = {c.pk: _at(day, time(7, 30)) for c in counters}
    arrivals = sorted(
        (
            _at(day, time(7, 30)) + timedelta(minutes=rng.uniform(0, 210))
            if rng.random() < 0.6
            else _at(day, time(13, 30)) + timedelta(minutes=rng.uniform(0, 180)),
            rng.choices(["A", "B", "C"], weights=[6, 3, 1])[0],
        )
        for _ in range(TICKETS_PER_DAY)
    )
    for issued_at, code in arrivals:
        serving = [c for c in counters if code in {g.code for g in c.groups.all()}]
        counter = min(serving, key=lambda c: free_at[c.pk])
        called_at = max(issued_at + timedelta(minutes=rng.uniform(1, 4)), free_at[counter.pk])
        served = rng.random() > 1 / 12
        finished_at = called_at + timedelta(minutes=rng.uniform(6, 18) if served else 2)
        free_at[counter.pk] = finished_at
        ticket_record_past(
            group=groups[code],
            issued_at=issued_at,
            called_at=called_at,
            counter=counter,
            officer=officer,
            finished_at=finished_at,
            served=served,
        )


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))
