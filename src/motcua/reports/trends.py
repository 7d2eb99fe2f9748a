"""Figures over time and across units for the dashboard: the monthly trend and the ranking of child units.

The trend reads the monthly counts in one grouped query; the ranking rolls up the per-unit rows of
``reports.indicators`` (``flow_rows``, ``stock_rows``): the dashboard and the exports pass the rows their
indicators already read. Their cost depends on the number of units and months, not on the number of
dossiers, and the figures are those of the indicators (same counters, same rules).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Sum, When
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.constants import Channel
from motcua.reports.indicators import IndicatorReport, Scope, _percent, flow_rows, stock_rows
from motcua.workflow.models import DossierMonthStat


@dataclass(frozen=True)
class MonthPoint:
    month: date  # the first day of the month
    received: int
    online: int
    finished_in_time: int
    finished_late: int


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _scoped(rows: Any, scope: Scope, *, agency_field: str) -> Any:
    if scope.sector_id is not None:
        rows = rows.filter(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        rows = rows.filter(procedure_id=scope.procedure_id)
    return rows.filter(**{f"{agency_field}__path__startswith": scope.agency.path})


def monthly_trend(scope: Scope, months: int = 12) -> list[MonthPoint]:
    """The ``months`` calendar months up to the one holding ``scope.end`` (oldest first), for the scope's
    unit, sector and procedure; months without any count are zeros. One query."""
    last = scope.end.replace(day=1)
    first = _add_months(last, -(months - 1))
    rows = (
        _scoped(DossierMonthStat.objects.all(), scope, agency_field="agency")
        .filter(day__gte=first, day__lte=last)
        .annotate(month=F("day"))
        .values("month")
        .annotate(
            received_=Sum("received"),
            online_=Sum(Case(When(channel=Channel.ONLINE, then=F("received")), default=0, output_field=IntegerField())),
            early_=Sum("finished_early"),
            on_time_=Sum("finished_on_time"),
            late_=Sum("finished_late"),
        )
        .order_by()
    )
    found: dict[date, dict[str, Any]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        found[month] = row
    points = []
    for offset in range(months):
        month = _add_months(first, offset)
        row = found.get(month, {})
        points.append(
            MonthPoint(
                month=month,
                received=int(row.get("received_") or 0),
                online=int(row.get("online_") or 0),
                finished_in_time=int(row.get("early_") or 0) + int(row.get("on_time_") or 0),
                finished_late=int(row.get("late_") or 0),
            )
        )
    return points


@dataclass(frozen=True)
class RankRow:
    agency: Agency
    received: int
    online_share: Decimal | None
    on_time_share: Decimal | None
    open_overdue: int
    timeliness: Decimal | None  # (open not yet due received in the period + finished in time) ÷ received
    rank: int | None = None  # None: nothing received in the period, so nothing to rank

    @property
    def ranked(self) -> bool:
        return self.rank is not None


# How the ranking, its exports and the meeting report name a unit that received nothing in the period.
NO_DOSSIERS_LABEL = "chưa có hồ sơ trong kỳ"


def unit_ranking(scope: Scope, *, now: datetime | None = None, report: IndicatorReport | None = None) -> list[RankRow]:
    """The direct sub-agencies of ``scope.agency``, each with its own sub-agencies rolled up, the most
    timely first. Units that received nothing in the period have no rank (``rank`` None) and come last,
    by code: a unit without dossiers is not "2nd" of anything. The per-unit rows of ``report`` (the
    indicators of the same scope) when given, else the same three queries, whatever the number of units."""
    children = list(Agency.objects.filter(parent=scope.agency).order_by("code"))
    if not children:
        return []
    if report is not None and report.scope == scope:
        flows, stocks = report.flow_rows, report.stock_rows
    else:
        flows, stocks = flow_rows(scope), stock_rows(scope, now or timezone.now())
    totals = {
        child.path: dict.fromkeys(("received", "online", "in_time", "finished", "overdue", "timely"), 0)
        for child in children
    }

    def bucket(path: str) -> dict[str, int] | None:
        # Paths are "/1/7/42/": the child is the first path component below the scope's own.
        rest = path[len(scope.agency.path) :]
        if not path.startswith(scope.agency.path) or not rest:
            return None
        return totals.get(scope.agency.path + rest.split("/", 1)[0] + "/")

    for row in flows:
        line = bucket(row["agency_path"])
        if line is not None:
            in_time = int(row["finished_early"] or 0) + int(row["finished_on_time"] or 0)
            line["received"] += int(row["received"] or 0)
            line["online"] += int(row["received"] or 0) if row["channel"] == Channel.ONLINE else 0
            line["in_time"] += in_time
            line["finished"] += in_time + int(row["finished_late"] or 0)
    for row in stocks:
        line = bucket(row["agency_path"])
        if line is not None:
            line["overdue"] += row["open_overdue"]
            line["timely"] += row["open_not_due_received_in_period"]
    ranking = []
    for child in children:
        line = totals[child.path]
        received = line["received"]
        ranking.append(
            RankRow(
                agency=child,
                received=received,
                online_share=_percent(line["online"], received),
                on_time_share=_percent(line["in_time"], line["finished"]),
                open_overdue=line["overdue"],
                timeliness=_percent(min(line["timely"] + line["in_time"], received), received),
            )
        )
    ranking.sort(key=lambda r: (r.received == 0, -(r.timeliness or 0), -r.received, r.agency.code))
    return [replace(row, rank=number if row.received else None) for number, row in enumerate(ranking, start=1)]
