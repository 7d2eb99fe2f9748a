"""Indicators of a unit (its sub-agencies included) over a period, with their targets (DOMAIN.md §10).

Flows (received, finished, refused...) are sums of the daily counts kept by the workflow writer
(``workflow.models.DossierDayStat``); stocks (open, not yet due / overdue) are read from the open
dossiers, which an index on (competent agency, status) keeps small. Nothing scans all dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from motcua.agencies.constants import AgencyLevel
from motcua.agencies.models import Agency
from motcua.catalog.constants import OnlineMode
from motcua.catalog.models import Offering
from motcua.documents.certification import certified_copy_procedure_codes
from motcua.documents.constants import CERTIFICATION_SECTOR_CODE, Origin
from motcua.documents.models import DigitizedDocument
from motcua.dossiers.constants import OPEN_STATUSES, Channel, Status
from motcua.dossiers.models import Dossier
from motcua.identity.constants import Role
from motcua.identity.models import RoleGrant
from motcua.payments.constants import PaymentMethod, PaymentStatus
from motcua.payments.models import PaymentRequest
from motcua.reports.constants import Comparator, IndicatorKey, Unit
from motcua.reports.models import Target
from motcua.reports.voice import feedback_figures, queue_figures, satisfaction_figures
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scope:
    """Which dossiers: a unit and its sub-agencies, a period of local dates, optionally one sector or
    one procedure."""

    agency: Agency
    start: date
    end: date
    sector_id: int | None = None
    procedure_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Indicator:
    key: str
    value: Decimal | None  # None: nothing to divide by
    unit: str
    numerator: int | None = None
    denominator: int | None = None
    target: Decimal | None = None
    comparator: str = ""
    met: bool | None = None  # None: no target

    @property
    def label(self) -> str:
        return str(IndicatorKey(self.key).label)


@dataclass
class IndicatorReport:
    scope: Scope
    generated_at: datetime
    indicators: dict[str, Indicator] = field(default_factory=dict)
    # The rows the figures were summed from, per agency (path): the ranking of sub-units reuses them.
    flow_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    stock_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def __getitem__(self, key: str) -> Indicator:
        return self.indicators[key]


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_parts(
    start: date, end: date, today: date | None = None
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Split [start, end] into whole calendar months (read from the monthly counts) and the days
    before and after them (read from the daily counts).

    A period that reaches ``today`` takes its last month whole: events are stamped when they happen,
    so the month's counts hold nothing after today and equal the days up to ``end`` (the usual
    dashboard, 1 January to today, reads the monthly table alone)."""
    first = start if start.day == 1 else _next_month(start)
    month_end = _next_month(end) - timedelta(days=1)
    reaches_today = today is not None and end >= today
    last = end if month_end == end or reaches_today else _month_start(end) - timedelta(days=1)
    if first > last:
        return None, [(start, end)]
    days = []
    if start < first:
        days.append((start, first - timedelta(days=1)))
    if last < end:
        days.append((last + timedelta(days=1), end))
    return (first, last), days


def stat_sets(scope: Scope, *, receiving: bool = False) -> list[QuerySet[Any]]:
    """The count rows of the scope: whole months from ``DossierMonthStat``, the rest from
    ``DossierDayStat`` (at most two querysets; callers aggregate each and add the results)."""
    field_name = "receiving_agency" if receiving else "agency"
    condition = Q(**{f"{field_name}__path__startswith": scope.agency.path})
    if scope.sector_id is not None:
        condition &= Q(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        condition &= Q(procedure_id=scope.procedure_id)
    months, days = period_parts(scope.start, scope.end, timezone.localdate())
    sets: list[QuerySet[Any]] = []
    if months is not None:
        sets.append(DossierMonthStat.objects.filter(condition, day__gte=months[0], day__lte=months[1]))
    if days:
        in_days = Q()
        for first, last in days:
            in_days |= Q(day__gte=first, day__lte=last)
        sets.append(DossierDayStat.objects.filter(condition & in_days))
    return sets


def flow_rows(scope: Scope) -> list[dict[str, Any]]:
    """Every counter of the scope summed per agency (``agency_path``) and channel: at most one row per
    agency and channel for each of the (at most two) count tables read."""
    return [
        dict(row)
        for rows in stat_sets(scope)
        for row in rows.values("channel", agency_path=F("agency__path"))
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by()
    ]


def flow_totals(scope: Scope, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every counter summed over the scope, and ``received`` per channel."""
    totals: dict[str, Any] = dict.fromkeys(COUNTERS, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    for row in flow_rows(scope) if rows is None else rows:
        for name in COUNTERS:
            totals[name] += int(row[name] or 0)
        by_channel[row["channel"]] += int(row["received"] or 0)
    totals["by_channel"] = by_channel
    return totals


def _open_dossiers(scope: Scope) -> Any:
    rows = Dossier.objects.filter(competent_agency__path__startswith=scope.agency.path, status__in=OPEN_STATUSES)
    if scope.sector_id is not None:
        rows = rows.filter(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        rows = rows.filter(procedure_id=scope.procedure_id)
    return rows


STOCKS = ("open_overdue", "open_not_due", "open_not_due_received_in_period")


def overdue(now: datetime) -> Q:
    """An open dossier is overdue when past its due time, unless paused (supplement, fees)."""
    paused = Q(status__in=[Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION])
    return Q(due_at__lte=now) & ~paused


def stock_rows(scope: Scope, now: datetime) -> list[dict[str, Any]]:
    """Open dossiers now, per competent agency (``agency_path``): not yet due (or no deadline, or paused),
    overdue, and those not yet due that were received within the period (the timeliness formula)."""
    late = overdue(now)
    start = timezone.make_aware(datetime.combine(scope.start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(scope.end, datetime.max.time()))
    in_period = Q(received_at__gte=start, received_at__lte=end)
    rows = (
        _open_dossiers(scope)
        .values(agency_path=F("competent_agency__path"))
        .annotate(
            open_overdue=Count("pk", filter=late),
            open_not_due=Count("pk", filter=~late),
            open_not_due_received_in_period=Count("pk", filter=in_period & ~late),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def open_counts(scope: Scope, now: datetime, rows: list[dict[str, Any]] | None = None) -> dict[str, int]:
    """The open stock of the whole scope (see ``stock_rows``)."""
    counts = dict.fromkeys(STOCKS, 0)
    for row in stock_rows(scope, now) if rows is None else rows:
        for name in STOCKS:
            counts[name] += int(row[name] or 0)
    return counts


def online_procedures(scope: Scope) -> tuple[int, int, int]:
    """(procedures offered by the scope, of them offered online, of those with online dossiers received)."""
    offerings = Offering.objects.filter(agency__path__startswith=scope.agency.path)
    if scope.sector_id is not None:
        offerings = offerings.filter(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        offerings = offerings.filter(procedure_id=scope.procedure_id)
    offered = set(offerings.values_list("procedure_id", flat=True))
    online = set(
        offerings.exclude(procedure__online_mode=OnlineMode.NONE)
        .exclude(procedure__online_mode="")
        .values_list("procedure_id", flat=True)
    )
    used: set[int] = set()
    for rows in stat_sets(scope):
        used |= set(
            rows.filter(channel=Channel.ONLINE, received__gt=0).values_list("procedure_id", flat=True).distinct()
        )
    return len(offered), len(online), len(online & used)


def desk_officers(scope: Scope) -> int:
    return (
        RoleGrant.objects.filter(
            role=Role.DESK_OFFICER, agency__path__startswith=scope.agency.path, user__is_active=True
        )
        .values("user")
        .distinct()
        .count()
    )


def _received_at_desks(scope: Scope) -> int:
    return sum(int(rows.aggregate(n=Sum("received"))["n"] or 0) for rows in stat_sets(scope, receiving=True))


def ecopy_agencies(scope: Scope) -> tuple[int, int]:
    """(agencies of the scope offering a certification procedure, of them those also offering a certified
    electronic copy procedure). A sector or procedure filter narrows the certification procedures counted;
    the electronic copy procedure is looked for among all of an agency's offerings. One query."""
    in_scope = Q()
    if scope.sector_id is not None:
        in_scope &= Q(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        in_scope &= Q(procedure_id=scope.procedure_id)
    rows = (
        Offering.objects.filter(
            agency__path__startswith=scope.agency.path, procedure__sector__code=CERTIFICATION_SECTOR_CODE
        )
        .values("agency_id")
        .annotate(
            counted=Count("pk", filter=in_scope),
            ecopy=Count("pk", filter=Q(procedure__code__in=certified_copy_procedure_codes())),
        )
        .order_by()
    )
    certifying = [row for row in rows if row["counted"]]
    return len(certifying), sum(1 for row in certifying if row["ecopy"])


def backfile_count(scope: Scope) -> int | None:
    """Earlier results digitized into data stores in the period (``DigitizedDocument`` of origin
    "backfile", by the local day of ``digitized_at``), attributed to the agencies where the officer who
    digitized them holds a role. None under a sector or procedure filter: a backfile belongs to neither.

    Read on the (origin, digitized_at) index: the backfile documents of the period, never the whole store."""
    if scope.sector_id is not None or scope.procedure_id is not None:
        return None
    start = timezone.make_aware(datetime.combine(scope.start, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(scope.end + timedelta(days=1), datetime.min.time()))
    officer_here = RoleGrant.objects.filter(
        user_id=OuterRef("digitized_by_id"), agency__path__startswith=scope.agency.path
    )
    return (
        DigitizedDocument.objects.filter(origin=Origin.BACKFILE, digitized_at__gte=start, digitized_at__lt=end)
        .filter(Exists(officer_here))
        .count()
    )


@dataclass(frozen=True)
class SyncFigures:
    received: int  # dossiers of the scope received in the period
    synced: int  # of them, those whose every message to the national portal is acknowledged
    lag_p95: Decimal | None  # seconds, messages of the scope acknowledged in the period
    dead: int  # dead letters of the scope now


def _period_bounds(scope: Scope) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(scope.start, datetime.min.time()))
    return start, timezone.make_aware(datetime.combine(scope.end + timedelta(days=1), datetime.min.time()))


def sync_figures(scope: Scope) -> SyncFigures | None:
    """The national portal sync of the scope (DOMAIN.md §10: "share synced to the national portal"),
    None when the sync is off (the portal's own figure is then the only one: not measured here).

    A dossier counts as synchronised when it has messages and the portal acknowledged every one queued
    so far: the portal shows its current state. The lag of a message runs from the moment it was queued
    (its event committed) to the portal's acknowledgement; p95 by nearest rank, in seconds.
    Read from the dossiers received in the period (competent agency, ``received_at``) and the outbox
    rows of the scope; the outbox's partial indexes keep the dead letters' count small."""
    from motcua.integrations.sync_models import SyncMessage, SyncStatus

    if not settings.MOTCUA_NATIONAL_SYNC_ENABLED:
        return None
    start, end = _period_bounds(scope)
    in_scope = Q(competent_agency__path__startswith=scope.agency.path)
    if scope.sector_id is not None:
        in_scope &= Q(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        in_scope &= Q(procedure_id=scope.procedure_id)
    messages = SyncMessage.objects.filter(dossier_id=OuterRef("pk"))
    counts = Dossier.objects.filter(in_scope, received_at__gte=start, received_at__lt=end).aggregate(
        received=Count("pk"),
        synced=Count("pk", filter=Q(Exists(messages)) & ~Q(Exists(messages.exclude(status=SyncStatus.DELIVERED)))),
    )
    scoped = SyncMessage.objects.filter(dossier__in=Dossier.objects.filter(in_scope).values("pk"))
    delivered = scoped.filter(status=SyncStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
    total = delivered.count()
    lag_p95 = None
    if total:
        rank = -(-total * 95 // 100)  # ceil(0.95 n): nearest rank
        lag_ms = delivered.order_by("lag_ms").values_list("lag_ms", flat=True)[rank - 1]
        lag_p95 = (Decimal(lag_ms or 0) / 1000).quantize(Decimal("0.001"), ROUND_HALF_UP)
    dead = scoped.filter(status=SyncStatus.DEAD).count()
    return SyncFigures(counts["received"], counts["synced"], lag_p95, dead)


@dataclass(frozen=True)
class PaymentFigures:
    fee_bearing: int  # dossiers received in the period with a paid fee (full amount > 0, not fully exempted)
    paid_online: int  # of them, those whose paid fees were all paid online
    procedures: int  # procedures of those dossiers
    procedures_online: int  # of them, those with at least one fee paid online
    collected: dict[str, int]  # VND paid in the period (by paid_at), not refunded, per method


def payment_figures(scope: Scope) -> PaymentFigures:
    """Online payment of the scope (DOMAIN.md §10, scorecard group "online payment", Quyết định 766/QĐ-TTg;
    online payment of administrative procedures: Nghị định 45/2020/NĐ-CP; fees: Luật Phí và lệ phí 2015).

    A dossier is fee-bearing when one of its payment requests with a full amount above 0 is paid (a request
    fully exempted has nothing to pay and does not count); it is paid online when every such paid request was
    paid online (a request still open counts once paid). Dossiers are those received in the period whose
    competent agency is in the scope, like the other dossier shares. The amounts collected are the requests
    paid in the period (``paid_at``) and not refunded since, per method. Two queries."""
    start, end = _period_bounds(scope)
    in_scope = Q(competent_agency__path__startswith=scope.agency.path)
    if scope.sector_id is not None:
        in_scope &= Q(procedure__sector_id=scope.sector_id)
    if scope.procedure_id is not None:
        in_scope &= Q(procedure_id=scope.procedure_id)
    fees = PaymentRequest.objects.filter(
        dossier_id=OuterRef("pk"), full_amount__gt=0, status=PaymentStatus.PAID
    ).exclude(method=PaymentMethod.EXEMPT)
    rows = list(
        Dossier.objects.filter(in_scope, received_at__gte=start, received_at__lt=end)
        .filter(Exists(fees))
        .values("procedure_id")
        .annotate(
            dossiers=Count("pk"),
            all_online=Count("pk", filter=~Q(Exists(fees.exclude(method=PaymentMethod.ONLINE)))),
            any_online=Count("pk", filter=Q(Exists(fees.filter(method=PaymentMethod.ONLINE)))),
        )
        .order_by()
    )
    collected: dict[str, int] = dict.fromkeys(
        (str(PaymentMethod.ONLINE), str(PaymentMethod.CASH), str(PaymentMethod.TRANSFER)), 0
    )
    paid = (
        PaymentRequest.objects.filter(status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
        .filter(dossier__in=Dossier.objects.filter(in_scope).values("pk"))
        .values("method")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in paid:
        if row["method"] in collected:
            collected[row["method"]] += int(row["total"] or 0)
    return PaymentFigures(
        fee_bearing=sum(row["dossiers"] for row in rows),
        paid_online=sum(row["all_online"] for row in rows),
        procedures=len(rows),
        procedures_online=sum(1 for row in rows if row["any_online"]),
        collected=collected,
    )


def payment_indicators(figures: PaymentFigures) -> list[Indicator]:
    """The shares are None ("not measured") when no fee-bearing dossier was received, never 0."""
    return [
        Indicator(
            IndicatorKey.ONLINE_PAID_SHARE,
            _percent(figures.paid_online, figures.fee_bearing),
            Unit.PERCENT,
            figures.paid_online,
            figures.fee_bearing,
        ),
        Indicator(
            IndicatorKey.ONLINE_PAYMENT_PROCEDURES_SHARE,
            _percent(figures.procedures_online, figures.procedures),
            Unit.PERCENT,
            figures.procedures_online,
            figures.procedures,
        ),
        Indicator(IndicatorKey.COLLECTED_ONLINE, Decimal(figures.collected["online"]), Unit.VND),
        Indicator(IndicatorKey.COLLECTED_CASH, Decimal(figures.collected["cash"]), Unit.VND),
        Indicator(IndicatorKey.COLLECTED_TRANSFER, Decimal(figures.collected["transfer"]), Unit.VND),
    ]


def targets_for(agency: Agency, year: int) -> dict[str, Target]:
    """Per indicator, the most specific target of the year: for the agency, for its level, for all."""
    candidates = Target.objects.filter(Q(agency=agency) | Q(agency=None), year=year).filter(
        Q(level="") | Q(level=agency.level)
    )
    chosen: dict[str, Target] = {}
    for target in sorted(candidates, key=lambda t: (t.agency_id is not None, t.level != "")):
        chosen[target.indicator] = target  # more specific ones come later and win
    return chosen


def _with_target(indicator: Indicator, targets: dict[str, Target]) -> Indicator:
    target = targets.get(indicator.key)
    if target is None:
        return indicator
    indicator.target, indicator.comparator = target.value, target.comparator
    if indicator.value is not None:
        if target.comparator == Comparator.AT_LEAST:
            indicator.met = indicator.value >= target.value
        else:
            indicator.met = indicator.value <= target.value
    return indicator


def indicators_for(scope: Scope, *, now: datetime | None = None) -> IndicatorReport:
    now = now or timezone.now()
    flows_by_unit, stocks_by_unit = flow_rows(scope), stock_rows(scope, now)
    flows = flow_totals(scope, flows_by_unit)
    stocks = open_counts(scope, now, stocks_by_unit)
    offered, online, used = online_procedures(scope)
    by_channel = flows["by_channel"]
    received = flows["received"]
    finished_in_time = flows["finished_early"] + flows["finished_on_time"]
    finished = finished_in_time + flows["finished_late"]
    officers = desk_officers(scope)
    at_desks = _received_at_desks(scope)
    productivity = (
        (Decimal(at_desks) * Decimal(365) / Decimal(scope.days) / Decimal(officers)).quantize(Decimal(1), ROUND_HALF_UP)
        if officers
        else None
    )
    timely = stocks["open_not_due_received_in_period"] + finished_in_time
    certifying, ecopy_offered = ecopy_agencies(scope)
    backfile = backfile_count(scope)

    def count(key: str, value: int) -> Indicator:
        return Indicator(key, Decimal(value), Unit.COUNT)

    def share(key: str, numerator: int, denominator: int) -> Indicator:
        return Indicator(key, _percent(numerator, denominator), Unit.PERCENT, numerator, denominator)

    items = [
        count(IndicatorKey.RECEIVED, received),
        count(IndicatorKey.RECEIVED_DESK, by_channel[Channel.DESK]),
        count(IndicatorKey.RECEIVED_ONLINE, by_channel[Channel.ONLINE]),
        count(IndicatorKey.RECEIVED_POSTAL, by_channel[Channel.POSTAL]),
        share(IndicatorKey.ONLINE_SHARE, by_channel[Channel.ONLINE], received),
        count(IndicatorKey.FINISHED_EARLY, flows["finished_early"]),
        count(IndicatorKey.FINISHED_ON_TIME, flows["finished_on_time"]),
        count(IndicatorKey.FINISHED_LATE, flows["finished_late"]),
        share(IndicatorKey.ON_TIME_SHARE, finished_in_time, finished),
        count(IndicatorKey.OPEN_NOT_DUE, stocks["open_not_due"]),
        count(IndicatorKey.OPEN_OVERDUE, stocks["open_overdue"]),
        share(IndicatorKey.TIMELINESS, min(timely, received), received),
        count(IndicatorKey.SUPPLEMENTS, flows["supplements"]),
        count(IndicatorKey.REFUSED, flows["refused"]),
        count(IndicatorKey.WITHDRAWN, flows["withdrawn"]),
        count(IndicatorKey.STOPPED, flows["stopped"]),
        share(IndicatorKey.ONLINE_PROCEDURES_OFFERED, online, offered),
        share(IndicatorKey.ONLINE_PROCEDURES_USED, used, online),
        share(IndicatorKey.E_RESULT_SHARE, flows["issued_electronic"], finished),
        share(IndicatorKey.RETURNED_ELECTRONIC_SHARE, flows["returned_electronic"], flows["returned"]),
        share(IndicatorKey.DIGITIZED_SHARE, flows["digitized"], received),
        Indicator(IndicatorKey.DESK_PRODUCTIVITY, productivity, Unit.PER_YEAR, at_desks, officers),
        count(IndicatorKey.APOLOGIES, flows["apologies"]),
        share(IndicatorKey.REUSE_SHARE, flows["reused"], received),
        share(IndicatorKey.NOT_ASKED_AGAIN, flows["not_asked_again"], flows["store_held"]),
        share(IndicatorKey.ECOPY_OFFERED, ecopy_offered, certifying),
        share(IndicatorKey.ECOPY_USED, flows["certified_ecopies"], flows["certification_finished"]),
        Indicator(IndicatorKey.BACKFILE, None if backfile is None else Decimal(backfile), Unit.DOCUMENTS),
        share(IndicatorKey.MOVED_ELECTRONIC, flows["crossed_electronic"], flows["crossed"]),
        *sync_indicators(sync_figures(scope)),
        *payment_indicators(payment_figures(scope)),
        *voice_indicators(scope, now),
    ]
    report = IndicatorReport(scope=scope, generated_at=now, flow_rows=flows_by_unit, stock_rows=stocks_by_unit)
    targets = targets_for(scope.agency, scope.end.year)
    for item in items:
        report.indicators[item.key] = _with_target(item, targets)
    return report


def voice_indicators(scope: Scope, now: datetime) -> list[Indicator]:
    """Feedback, satisfaction and the desk queue (reports.voice); ratings and tickets are not measured
    (None) under a sector or procedure filter: they belong to neither."""
    start, end = _period_bounds(scope)
    path = scope.agency.path
    feedback = feedback_figures(path, start, end, now, sector_id=scope.sector_id, procedure_id=scope.procedure_id)
    items = [
        Indicator(IndicatorKey.FEEDBACK_RECEIVED, Decimal(feedback.received), Unit.FEEDBACK),
        Indicator(
            IndicatorKey.FEEDBACK_ON_TIME_SHARE,
            _percent(feedback.answered_on_time, feedback.answered),
            Unit.PERCENT,
            feedback.answered_on_time,
            feedback.answered,
        ),
        Indicator(IndicatorKey.FEEDBACK_OPEN_OVERDUE, Decimal(feedback.open_overdue), Unit.FEEDBACK),
    ]
    if scope.sector_id is not None or scope.procedure_id is not None:
        return [
            *items,
            Indicator(IndicatorKey.RATINGS, None, Unit.RATINGS),
            Indicator(IndicatorKey.SATISFACTION_SHARE, None, Unit.PERCENT),
            Indicator(IndicatorKey.TICKETS_CALLED, None, Unit.TICKETS),
            Indicator(IndicatorKey.QUEUE_WAIT_AVERAGE, None, Unit.MINUTES),
            Indicator(IndicatorKey.QUEUE_SERVICE_AVERAGE, None, Unit.MINUTES),
        ]
    ratings = satisfaction_figures(path, scope.start, scope.end)
    queue = queue_figures(path, start, end)
    return [
        *items,
        Indicator(IndicatorKey.RATINGS, Decimal(ratings.ratings), Unit.RATINGS),
        Indicator(
            IndicatorKey.SATISFACTION_SHARE,
            _percent(ratings.content, ratings.ratings),
            Unit.PERCENT,
            ratings.content,
            ratings.ratings,
        ),
        Indicator(IndicatorKey.TICKETS_CALLED, Decimal(queue.called), Unit.TICKETS),
        Indicator(IndicatorKey.QUEUE_WAIT_AVERAGE, queue.wait_minutes, Unit.MINUTES),
        Indicator(IndicatorKey.QUEUE_SERVICE_AVERAGE, queue.service_minutes, Unit.MINUTES),
    ]


def sync_indicators(figures: SyncFigures | None) -> list[Indicator]:
    if figures is None:  # the sync is off: not measured
        return [
            Indicator(IndicatorKey.SYNC_SHARE, None, Unit.PERCENT),
            Indicator(IndicatorKey.SYNC_LAG_P95, None, Unit.SECONDS),
            Indicator(IndicatorKey.SYNC_DEAD_LETTERS, None, Unit.MESSAGES),
        ]
    return [
        Indicator(
            IndicatorKey.SYNC_SHARE,
            _percent(figures.synced, figures.received),
            Unit.PERCENT,
            figures.synced,
            figures.received,
        ),
        Indicator(IndicatorKey.SYNC_LAG_P95, figures.lag_p95, Unit.SECONDS),
        Indicator(IndicatorKey.SYNC_DEAD_LETTERS, Decimal(figures.dead), Unit.MESSAGES),
    ]


DEFAULT_PRODUCTIVITY = {AgencyLevel.DISTRICT: Decimal(1200), AgencyLevel.COMMUNE: Decimal(800)}
