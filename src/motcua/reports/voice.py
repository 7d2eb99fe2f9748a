"""Indicators of the citizen's voice and the service centre (issue 17; DOMAIN.md §10-§11): feedback answered
on time, satisfaction, and the waiting time at the desk.

- Feedback: received in the period (``received_at``); on time = answered or declined in the period by its
  deadline ÷ answered or declined in the period; open past the deadline now. Scope: the responsible unit.
- Satisfaction: ratings given in the period, summed from ``SatisfactionDayStat`` (never the ratings);
  satisfied = very satisfied + satisfied. Scope: the dossier's competent agency.
- Queue: tickets first called in the period at desks of the scope; average wait (issue → first call) and,
  of those served, average time at the counter (call → served), in minutes.

Ratings and tickets belong to no sector or procedure: under such a filter they are "not measured" (None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from motcua.feedback.constants import CLOSED_STATUSES, FeedbackStatus
from motcua.feedback.models import Feedback
from motcua.queueing.constants import TicketStatus
from motcua.queueing.models import Ticket
from motcua.satisfaction.models import SatisfactionDayStat

SIXTY = Decimal(60)


@dataclass(frozen=True)
class FeedbackFigures:
    received: int
    answered: int
    answered_on_time: int
    open_overdue: int


@dataclass(frozen=True)
class SatisfactionFigures:
    very_satisfied: int
    satisfied: int
    not_satisfied: int

    @property
    def ratings(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def content(self) -> int:
        return self.very_satisfied + self.satisfied


@dataclass(frozen=True)
class QueueFigures:
    called: int
    wait_seconds: int
    served: int
    service_seconds: int

    @property
    def wait_minutes(self) -> Decimal | None:
        return _minutes(self.wait_seconds, self.called)

    @property
    def service_minutes(self) -> Decimal | None:
        return _minutes(self.service_seconds, self.served)


def _minutes(seconds: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(seconds) / SIXTY / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def feedback_figures(
    path: str,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    sector_id: int | None = None,
    procedure_id: int | None = None,
) -> FeedbackFigures:
    """One query over the unit's feedback (index on unit, status, deadline)."""
    rows = Feedback.objects.filter(agency__path__startswith=path)
    if sector_id is not None:
        rows = rows.filter(procedure__sector_id=sector_id)
    if procedure_id is not None:
        rows = rows.filter(procedure_id=procedure_id)
    closed_in_period = Q(status__in=CLOSED_STATUSES, answered_at__gte=start, answered_at__lt=end)
    counts = rows.aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        answered=Count("pk", filter=closed_in_period),
        on_time=Count("pk", filter=closed_in_period & Q(answered_at__lte=F("due_at"))),
        overdue=Count("pk", filter=Q(status=FeedbackStatus.OPEN, due_at__lt=now)),
    )
    return FeedbackFigures(counts["received"], counts["answered"], counts["on_time"], counts["overdue"])


def satisfaction_figures(path: str, first_day: date, last_day: date) -> SatisfactionFigures:
    """Summed from the daily counts of the units under ``path`` (local days of rating, inclusive)."""
    totals = SatisfactionDayStat.objects.filter(
        agency__path__startswith=path, day__gte=first_day, day__lte=last_day
    ).aggregate(v=Sum("very_satisfied"), s=Sum("satisfied"), n=Sum("not_satisfied"))
    return SatisfactionFigures(int(totals["v"] or 0), int(totals["s"] or 0), int(totals["n"] or 0))


def queue_figures(path: str, start: datetime, end: datetime) -> QueueFigures:
    """Tickets first called in [start, end) at desks of agencies under ``path``."""
    tickets = Ticket.objects.filter(desk__agency__path__startswith=path, called_at__gte=start, called_at__lt=end)
    totals = tickets.aggregate(
        called=Count("pk"),
        wait=Sum("wait_seconds"),
        served=Count("pk", filter=Q(status=TicketStatus.SERVED)),
        service=Sum("service_seconds", filter=Q(status=TicketStatus.SERVED)),
    )
    return QueueFigures(
        int(totals["called"] or 0), int(totals["wait"] or 0), int(totals["served"] or 0), int(totals["service"] or 0)
    )
