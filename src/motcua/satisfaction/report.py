"""The satisfaction report of the back office (issue 17, item 2): ratings per unit, per desk and per desk
officer over a period, with the count, the share satisfied, the count of each level overall and per
criterion, and the comments of the unsatisfied ratings.

Counted from the ratings themselves (the daily counts have no desk nor officer), in a fixed number of
queries whatever the size of the period: the criteria, one grouped query per dimension, the comments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from motcua.satisfaction.constants import SATISFIED_LEVELS, Level
from motcua.satisfaction.models import Criterion, Rating

LEVELS = list(Level.values)
COMMENTS_MAX = 200  # the newest unsatisfied comments listed; the count above them is exact


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Line:
    """One unit, desk or officer (``key`` None: ratings without one, e.g. a dossier submitted online; listed
    last, on every database)."""

    key: int | None
    name: str
    levels: dict[str, int]
    criteria: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.levels.values())

    @property
    def satisfied(self) -> int:
        return sum(self.levels[level] for level in SATISFIED_LEVELS)

    @property
    def satisfied_share(self) -> Decimal | None:
        """Per cent satisfied (very satisfied + satisfied), one decimal, half up; None without ratings."""
        return _share(self.satisfied, self.count)

    def level_counts(self) -> list[int]:
        return [self.levels[level] for level in LEVELS]

    @property
    def criterion_shares(self) -> list[Decimal | None]:
        """Per criterion (in the report's order), per cent satisfied among the ratings that answered it."""
        return [_share(sum(c[level] for level in SATISFIED_LEVELS), sum(c.values())) for c in self.criteria.values()]

    def criterion_counts(self, code: str) -> list[int]:
        counts = self.criteria.get(code, {})
        return [counts.get(level, 0) for level in LEVELS]


@dataclass
class SatisfactionReport:
    start: date
    end: date
    criteria: list[Criterion]
    total: Line
    units: list[Line]
    desks: list[Line]
    officers: list[Line]
    complaints: list[Rating]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The first instant of ``start`` and the first after ``end``, local days (as the daily counts)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _aggregates(criteria: list[Criterion]) -> dict[str, Any]:
    counts: dict[str, Any] = {f"n_{level}": Count("id", filter=Q(level=level)) for level in LEVELS}
    for index, criterion in enumerate(criteria):
        for level in LEVELS:
            counts[f"c{index}_{level}"] = Count("id", filter=Q(**{f"scores__{criterion.code}": level}))
    return counts


def _line(row: Mapping[str, Any], key: str, name: str, criteria: list[Criterion]) -> Line:
    return Line(
        key=row[key],
        name=name,
        levels={level: row[f"n_{level}"] for level in LEVELS},
        criteria={c.code: {level: row[f"c{i}_{level}"] for level in LEVELS} for i, c in enumerate(criteria)},
    )


def rating_report(*, agency_ids: list[int], start: date, end: date) -> SatisfactionReport:
    """The ratings of the units ``agency_ids`` (the dossiers' competent agencies) rated from ``start`` to
    ``end`` (local days, both included). Five queries."""
    criteria = list(Criterion.objects.all())
    lower, upper = period_bounds(start, end)
    ratings = Rating.objects.filter(agency_id__in=agency_ids, rated_at__gte=lower, rated_at__lt=upper).order_by()
    counts = _aggregates(criteria)
    units = [
        _line(row, "agency_id", row["agency__name"], criteria)
        for row in ratings.values("agency_id", "agency__name").annotate(**counts).order_by("agency__name")
    ]
    by_desk = ratings.values("desk_id", "desk__name").annotate(**counts)
    desks = [
        _line(row, "desk_id", row["desk__name"] or "", criteria)
        for row in by_desk.order_by(F("desk__name").asc(nulls_last=True))
    ]
    officers = [
        _line(row, "officer_id", row["officer__full_name"] or row["officer__username"] or "", criteria)
        for row in ratings.values("officer_id", "officer__full_name", "officer__username")
        .annotate(**counts)
        .order_by(F("officer__full_name").asc(nulls_last=True), "officer__username")
    ]
    complaints = list(
        ratings.filter(level=Level.NOT_SATISFIED)
        .exclude(comment="")
        .select_related("dossier", "agency")
        .order_by("-rated_at", "-id")[:COMMENTS_MAX]
    )
    total = Line(
        key=None,
        name="",
        levels={level: sum(line.levels[level] for line in units) for level in LEVELS},
        criteria={
            c.code: {level: sum(line.criteria[c.code][level] for line in units) for level in LEVELS} for c in criteria
        },
    )
    return SatisfactionReport(start, end, criteria, total, units, desks, officers, complaints)
