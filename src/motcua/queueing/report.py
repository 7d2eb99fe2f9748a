"""The desk-queue report: tickets issued, called, served and not shown, waiting and service times, per desk,
counter, officer and hour of the day, over local days (issue 17 item 3; DOMAIN.md §11).

A ticket belongs to the local day it was issued, and is called the same day (counters call today's tickets
only), so "tickets of days D1..D2" are also "tickets first called in D1..D2": the averages equal the
dashboard's ``queue_wait_average`` and ``queue_service_average`` over the same period (tested).

Waiting runs from issue to first call; service from the (last) call to "served". The 90th percentile is the
nearest-rank one: the smallest wait that at least 90 % of the called tickets did not exceed. One query reads
the period's tickets (six small integers and two ids a row), the rest is arithmetic: a desk issues a few
hundred tickets a day, a province's year is a few hundred thousand rows at most.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from motcua.agencies.models import Desk
from motcua.queueing.constants import TicketStatus
from motcua.queueing.models import Counter, Ticket

SIXTY = Decimal(60)


def _minutes(seconds: Decimal | int) -> Decimal:
    return (Decimal(seconds) / SIXTY).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percentile(values: list[int], share: int) -> int | None:
    """Nearest-rank percentile (``share`` in %) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered) / 100) - 1)]


@dataclass
class QueueLine:
    """Figures of one desk, counter, officer or hour (or of the whole scope)."""

    label: str
    issued: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    waits: list[int] = field(default_factory=list, repr=False)
    service_seconds: int = 0
    within_target: int = 0
    has_target: bool = True

    @property
    def wait_average(self) -> Decimal | None:
        return _minutes(Decimal(sum(self.waits)) / len(self.waits)) if self.waits else None

    @property
    def wait_p90(self) -> Decimal | None:
        value = percentile(self.waits, 90)
        return None if value is None else _minutes(value)

    @property
    def service_average(self) -> Decimal | None:
        return _minutes(Decimal(self.service_seconds) / self.served) if self.served else None

    @property
    def within_target_share(self) -> Decimal | None:
        """Per cent of called tickets that waited at most the target (None without calls or target)."""
        if not self.waits or not self.has_target:
            return None
        return (Decimal(100 * self.within_target) / len(self.waits)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class QueueReport:
    first_day: date
    last_day: date
    target_minutes: Decimal | None
    total: QueueLine
    desks: list[QueueLine]
    counters: list[QueueLine]
    officers: list[QueueLine]
    hours: list[QueueLine]


def _add(line: QueueLine, status: str, wait: int | None, service: int | None, limit: int | None) -> None:
    line.issued += 1
    if wait is not None:
        line.called += 1
        line.waits.append(wait)
        if limit is not None and wait <= limit:
            line.within_target += 1
    if status == TicketStatus.SERVED:
        line.served += 1
        line.service_seconds += service or 0
    elif status == TicketStatus.NO_SHOW:
        line.no_show += 1


def queue_report(
    *, agency_paths: Iterable[str], first_day: date, last_day: date, target_minutes: Decimal | None = None
) -> QueueReport:
    """Tickets of local days ``first_day``..``last_day`` (inclusive) at desks of agencies under any of
    ``agency_paths``. Four queries: the tickets, then the names of the desks, counters and officers met."""
    scope = Q()
    for path in agency_paths:
        scope |= Q(desk__agency__path__startswith=path)
    if not scope:
        scope = Q(pk__in=[])
    rows = (
        Ticket.objects.filter(scope, day__gte=first_day, day__lte=last_day)
        .order_by()
        .values_list("desk_id", "counter_id", "officer_id", "status", "issued_at", "wait_seconds", "service_seconds")
    )
    limit = None if target_minutes is None else int(target_minutes * 60)

    def new_line() -> QueueLine:
        return QueueLine("", has_target=limit is not None)

    total = new_line()
    desks: dict[int, QueueLine] = defaultdict(new_line)
    counters: dict[int, QueueLine] = defaultdict(new_line)
    officers: dict[int, QueueLine] = defaultdict(new_line)
    hours: dict[int, QueueLine] = defaultdict(new_line)
    for desk_id, counter_id, officer_id, status, issued_at, wait, service in rows:
        lines = [total, desks[desk_id], hours[timezone.localtime(issued_at).hour]]
        if counter_id is not None:
            lines.append(counters[counter_id])
        if officer_id is not None:
            lines.append(officers[officer_id])
        for line in lines:
            _add(line, status, wait, service, limit)
    for desk in Desk.objects.filter(pk__in=desks).only("code", "name"):
        desks[desk.pk].label = f"{desk.name} ({desk.code})"
    for counter in Counter.objects.filter(pk__in=counters).select_related("desk"):
        counters[counter.pk].label = f"{counter.desk.code} · {counter}"
    user_model: Any = get_user_model()
    for user in user_model.objects.filter(pk__in=officers).only("username", "full_name"):
        officers[user.pk].label = user.full_name or user.username
    return QueueReport(
        first_day=first_day,
        last_day=last_day,
        target_minutes=target_minutes,
        total=total,
        desks=sorted(desks.values(), key=lambda line: line.label),
        counters=sorted(counters.values(), key=lambda line: line.label),
        officers=sorted(officers.values(), key=lambda line: line.label),
        hours=[_labelled(hours[hour], f"{hour:02d}:00–{hour + 1:02d}:00") for hour in sorted(hours)],
    )


def _labelled(line: QueueLine, label: str) -> QueueLine:
    line.label = label
    return line
