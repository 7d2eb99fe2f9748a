"""The national scorecard (Quyết định 766/QĐ-TTg): six groups, their points from the indicators that exist.

Groups and sub-indicators are data (``ScoreGroup``, ``ScoreItem``): the decision publishes the groups'
maximum points, not every weight. An item without an indicator is "not measured yet" and never scored
as zero; a group is scored only over its measured items, and says how many points it could not measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from motcua.reports.indicators import IndicatorReport
from motcua.reports.models import ScoreGroup

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class ItemScore:
    code: str
    name: str
    points: Decimal
    measured: bool
    value: Decimal | None = None  # the indicator's percentage
    score: Decimal | None = None  # None: not measured, or nothing to measure in the period


@dataclass
class GroupScore:
    code: str
    name: str
    max_points: Decimal
    items: list[ItemScore] = field(default_factory=list)

    @property
    def measured(self) -> bool:
        return any(item.score is not None for item in self.items)

    @property
    def score(self) -> Decimal | None:
        scores = [item.score for item in self.items if item.score is not None]
        return sum(scores, Decimal(0)) if scores else None

    @property
    def measured_points(self) -> Decimal:
        return sum((item.points for item in self.items if item.score is not None), Decimal(0))

    @property
    def unmeasured_points(self) -> Decimal:
        return self.max_points - self.measured_points


def item_score(points: Decimal, value: Decimal, full_at: Decimal | None) -> Decimal:
    """Points in proportion to the share, full from ``full_at`` percent (or at 100 % without it)."""
    ceiling = full_at if full_at else HUNDRED
    ratio = min(Decimal(1), value / ceiling) if ceiling else Decimal(1)
    return (points * ratio).quantize(CENT, ROUND_HALF_UP)


def scorecard_for(report: IndicatorReport) -> list[GroupScore]:
    groups = []
    for group in ScoreGroup.objects.prefetch_related("items").order_by("position"):
        line = GroupScore(group.code, group.name, group.max_points)
        for item in group.items.all():
            indicator = report.indicators.get(item.indicator) if item.indicator else None
            score = None
            value = indicator.value if indicator is not None else None
            if indicator is not None and value is not None:
                score = item_score(item.points, value, item.full_at)
            line.items.append(ItemScore(item.code, item.name, item.points, indicator is not None, value, score))
        groups.append(line)
    return groups
