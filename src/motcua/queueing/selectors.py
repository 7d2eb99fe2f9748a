"""Reads of the desk queue: what the kiosk, the display and a counter show (today's tickets of one desk)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from motcua.agencies.models import Desk
from motcua.identity.constants import Role
from motcua.identity.selectors import agencies_for
from motcua.queueing.constants import TicketStatus
from motcua.queueing.models import Counter, ServiceGroup, Ticket

# The display shows this many of the last calls: the latest large, the others below it.
DISPLAY_CALLS = 8


def desk_by_code(code: str) -> Desk | None:
    return Desk.objects.select_related("agency").filter(code=code, is_active=True).first()


@dataclass(frozen=True)
class GroupLine:
    group: ServiceGroup
    waiting: int


def groups_with_waiting(desk: Desk) -> list[GroupLine]:
    """The desk's active groups, each with how many of today's tickets wait for it (two queries)."""
    counts = dict(
        Ticket.objects.filter(desk=desk, day=timezone.localdate(), status=TicketStatus.WAITING)
        .order_by()  # no ordering columns in the GROUP BY
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    groups = ServiceGroup.objects.filter(desk=desk, is_active=True)
    return [GroupLine(group, counts.get(group.pk, 0)) for group in groups]


def waiting_ahead(ticket: Ticket) -> int:
    """People of the same group still waiting who took their number before this ticket."""
    return Ticket.objects.filter(
        group_id=ticket.group_id, day=ticket.day, status=TicketStatus.WAITING, number__lt=ticket.number
    ).count()


@dataclass(frozen=True)
class Call:
    ticket_id: int
    label: str
    counter: int
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "counter": self.counter,
            "at": timezone.localtime(self.at).strftime("%H:%M:%S"),
            # Changes whenever a number is called again, so the display knows to announce it.
            "key": f"{self.ticket_id}@{self.at.timestamp():.3f}",
        }


def last_calls(desk: Desk, limit: int = DISPLAY_CALLS) -> list[Call]:
    """Today's last announced numbers at the desk, the latest first (number and counter only: nothing
    personal is shown on a public screen)."""
    rows = (
        Ticket.objects.filter(desk=desk, day=timezone.localdate(), announced_at__isnull=False)
        .order_by("-announced_at", "-id")
        .values_list("pk", "group__code", "number", "counter__number", "announced_at")[:limit]
    )
    return [Call(pk, f"{code}{number:03d}", counter or 0, at) for pk, code, number, counter, at in rows if at]


def counters_for(user: Any) -> list[Counter]:
    """Active counters of the desks where the user is a desk officer."""
    agencies = agencies_for(user, [Role.DESK_OFFICER])
    return list(
        Counter.objects.filter(desk__agency__in=agencies, desk__is_active=True, is_active=True)
        .select_related("desk")
        .order_by("desk__code", "number")
    )


def desks_for(user: Any) -> list[Desk]:
    """Active desks where the user is a desk officer (they may enable kiosks there)."""
    agencies = agencies_for(user, [Role.DESK_OFFICER])
    return list(Desk.objects.filter(agency__in=agencies, is_active=True).order_by("code"))


def current_ticket(counter: Counter) -> Ticket | None:
    """The ticket called at the counter today and not finished yet (the last one, should there be two)."""
    return (
        Ticket.objects.select_related("group")
        .filter(counter=counter, day=timezone.localdate(), status=TicketStatus.CALLED)
        .order_by("-announced_at", "-id")
        .first()
    )


def counter_waiting(counter: Counter) -> list[GroupLine]:
    """The counter's groups with today's waiting tickets of each."""
    served = set(counter.groups.values_list("pk", flat=True))
    return [line for line in groups_with_waiting(counter.desk) if line.group.pk in served]
