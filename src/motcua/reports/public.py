"""What the portal publishes about how procedures are handled (issue 17, item 4): the public statistics of a
unit and the apologies for late dossiers.

The statistics are the dashboard's own figures, computed by the same functions of ``reports.indicators``
(flow and stock rows, satisfaction and feedback figures), ``reports.trends`` (monthly trend, ranking):
equal by construction. Only parts that read the count tables or small indexed sets are used; the parts that
scan the dossiers of the period (national sync, payments) are left out, so the page's cost does not grow
with the number of dossiers.

Nothing here names a person: figures are counts, and an apology shows the applicant's name masked
(family name and initials) and the dossier code without its daily sequence number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.constants import ApplicantType, Channel
from motcua.dossiers.models import DossierEvent
from motcua.reports.indicators import (
    IndicatorReport,
    Scope,
    _percent,
    _period_bounds,
    flow_rows,
    flow_totals,
    open_counts,
    stock_rows,
)
from motcua.reports.trends import MonthPoint, monthly_trend, unit_ranking
from motcua.reports.voice import feedback_figures, satisfaction_figures
from motcua.workflow.constants import Action

# How long a computed page may be served again. The issue allows cached answers at most one minute old;
# the key names the unit and the period, so every app server (same cache backend) gives the same answer.
CACHE_SECONDS = 60
CACHE_PREFIX = "public-stats:v1"


@dataclass(frozen=True)
class SubUnit:
    """A line of the ranking of sub-units: public figures only (no agency object in the cache)."""

    code: str
    name: str
    received: int
    online_share: Decimal | None
    on_time_share: Decimal | None
    open_overdue: int
    timeliness: Decimal | None
    rank: int | None


@dataclass(frozen=True)
class PublicStats:
    agency_code: str
    start: date
    end: date
    computed_at: datetime
    received: int
    received_desk: int
    received_online: int
    received_postal: int
    online_share: Decimal | None
    finished_early: int
    finished_on_time: int
    finished_late: int
    on_time_share: Decimal | None
    open_overdue: int
    ratings: int
    satisfied: int
    satisfaction_share: Decimal | None
    feedback_answered: int
    feedback_answered_on_time: int
    feedback_on_time_share: Decimal | None
    trend: tuple[MonthPoint, ...]
    ranking: tuple[SubUnit, ...]

    @property
    def finished_in_time(self) -> int:
        return self.finished_early + self.finished_on_time


def public_stats_compute(agency: Agency, start: date, end: date, *, now: datetime | None = None) -> PublicStats:
    """The public figures of ``agency`` (its sub-agencies included) from ``start`` to ``end`` (local dates).

    Each figure is computed as ``indicators_for`` computes the indicator of the same name."""
    now = now or timezone.now()
    scope = Scope(agency=agency, start=start, end=end)
    flows_by_unit, stocks_by_unit = flow_rows(scope), stock_rows(scope, now)
    flows = flow_totals(scope, flows_by_unit)
    stocks = open_counts(scope, now, stocks_by_unit)
    by_channel, received = flows["by_channel"], flows["received"]
    in_time = flows["finished_early"] + flows["finished_on_time"]
    first, last = _period_bounds(scope)
    feedback = feedback_figures(agency.path, first, last, now)
    ratings = satisfaction_figures(agency.path, start, end)
    rows = IndicatorReport(scope=scope, generated_at=now, flow_rows=flows_by_unit, stock_rows=stocks_by_unit)
    ranking = tuple(
        SubUnit(
            row.agency.code,
            row.agency.name,
            row.received,
            row.online_share,
            row.on_time_share,
            row.open_overdue,
            row.timeliness,
            row.rank,
        )
        for row in unit_ranking(scope, now=now, report=rows)
    )
    return PublicStats(
        agency_code=agency.code,
        start=start,
        end=end,
        computed_at=now,
        received=received,
        received_desk=by_channel[Channel.DESK],
        received_online=by_channel[Channel.ONLINE],
        received_postal=by_channel[Channel.POSTAL],
        online_share=_percent(by_channel[Channel.ONLINE], received),
        finished_early=flows["finished_early"],
        finished_on_time=flows["finished_on_time"],
        finished_late=flows["finished_late"],
        on_time_share=_percent(in_time, in_time + flows["finished_late"]),
        open_overdue=stocks["open_overdue"],
        ratings=ratings.ratings,
        satisfied=ratings.content,
        satisfaction_share=_percent(ratings.content, ratings.ratings),
        feedback_answered=feedback.answered,
        feedback_answered_on_time=feedback.answered_on_time,
        feedback_on_time_share=_percent(feedback.answered_on_time, feedback.answered),
        trend=tuple(monthly_trend(scope, months=12)),
        ranking=ranking,
    )


def cache_key(agency: Agency, start: date, end: date) -> str:
    return f"{CACHE_PREFIX}:{agency.pk}:{start.isoformat()}:{end.isoformat()}"


def public_stats(agency: Agency, start: date, end: date) -> PublicStats:
    """The figures from the cache when computed less than ``CACHE_SECONDS`` ago, else computed and cached.

    The entry carries its own computation time, and an entry older than the limit is never served even if
    the backend kept it longer (a backend's clock or eviction policy is not ours to trust)."""
    key = cache_key(agency, start, end)
    now = timezone.now()
    cached = cache.get(key)
    if isinstance(cached, PublicStats) and (now - cached.computed_at).total_seconds() < CACHE_SECONDS:
        return cached
    stats = public_stats_compute(agency, start, end, now=now)
    cache.set(key, stats, CACHE_SECONDS)
    return stats


# --------------------------------------------------------------------------------------------- apologies


@dataclass(frozen=True)
class PublicApology:
    at: datetime
    agency_name: str
    procedure_code: str
    procedure_name: str
    applicant: str  # masked
    dossier_code: str  # masked
    reason: str
    new_due_at: datetime | None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def apology_events(agency: Agency, *, month: date | None = None) -> QuerySet[DossierEvent]:
    """The ``apologize`` events of dossiers decided by ``agency`` or its sub-agencies, newest first,
    optionally those of one calendar month (local time)."""
    events = DossierEvent.objects.filter(
        action=Action.APOLOGIZE, dossier__competent_agency__path__startswith=agency.path
    ).select_related("dossier__competent_agency", "dossier__procedure")
    if month is not None:
        first = month.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        events = events.filter(at__gte=_local_midnight(first), at__lt=_local_midnight(following))
    return events.order_by("-at", "-id")


def mask_name(name: str, applicant_type: str = ApplicantType.CITIZEN) -> str:
    """A person's name as published: the family name whole, the other names as initials
    ("Nguyễn Văn An" -> "Nguyễn V. A."). An organisation's name is not a person's: shown whole."""
    if applicant_type and applicant_type != ApplicantType.CITIZEN:
        return name.strip()
    words = name.split()
    if len(words) <= 1:
        return f"{words[0][0]}." if words else ""
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])


def mask_dossier_code(code: str) -> str:
    """The code without its daily sequence number (``H49.12-251201-0007`` -> ``H49.12-251201-****``): the
    applicant recognises their dossier, and nobody else learns a code to try on the tracking page."""
    head, sep, tail = code.rpartition("-")
    if not sep:
        return "*" * len(code)
    return f"{head}-{'*' * len(tail)}"


def public_apology(event: DossierEvent) -> PublicApology:
    dossier = event.dossier
    return PublicApology(
        at=event.at,
        agency_name=dossier.competent_agency.name,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        applicant=mask_name(dossier.applicant_name, dossier.applicant_type),
        dossier_code=mask_dossier_code(dossier.code),
        reason=event.note,
        new_due_at=event.due_at or dossier.due_at,
    )
