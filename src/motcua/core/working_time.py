"""Working-time arithmetic for due times ("ngày hẹn trả") of one-stop dossiers.

Pure module: standard library only, no Django, no database. Calendar data (days off, make-up
working days) is passed in; callers build it from wherever they keep it.

Rules and their sources:

* Working week Monday-Friday with configurable daily working periods (default 07:30-11:30 and
  13:00-17:00 local time); one working day is the total length of a day's periods (8 h).
* Public holidays and the compensatory days off decided each year (Bộ luật Lao động 2019,
  điều 112) are days off; make-up working days (e.g. Saturday 2026-08-22) are working days.
  Both override the weekday rule.
* The time the dossier spends waiting for a supplement or for a financial obligation to be
  paid does not count towards the processing time (Nghị định 118/2025/NĐ-CP); such intervals
  are passed as *pauses*.

Model. Every instant maps to a *working position*: the working time elapsed between the start
of the calendar horizon and that instant. Positions stand still outside working hours, so
adding working time is "position + duration, then back to an instant". The calendar keeps every
working period of the horizon in sorted arrays of local wall-clock microseconds together with
the cumulative working time at each period's opening, so each conversion is a binary search:
one due-time computation is O(log n) however long the duration.

Two instants share a position at every boundary (Friday 17:00 and Monday 07:30, 11:30 and
13:00). Results of adding working time take the *first* such instant (the moment the time runs
out: 17:00, 11:30); clock starts and results of subtracting take the *last* one (the moment
the clock runs again: 07:30, 13:00).

Arithmetic is on the local wall clock of the calendar's time zone; Asia/Ho_Chi_Minh has had no
daylight-saving time since 1975, so wall time and elapsed time agree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Context, Decimal
from enum import StrEnum
from typing import Final, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_TIMEZONE",
    "DurationUnit",
    "OutsideCalendar",
    "Pause",
    "Timeliness",
    "WorkingCalendar",
    "WorkingHours",
    "classify",
]

DEFAULT_TIMEZONE: Final = "Asia/Ho_Chi_Minh"

_US_PER_SECOND: Final = 1_000_000
_US_PER_HOUR: Final = 3_600 * _US_PER_SECOND
_US_PER_DAY: Final = 86_400 * _US_PER_SECOND
_ONE_US: Final = timedelta(microseconds=1)
# Wide enough that Decimal(float) (up to ~55 significant digits) times a unit stays exact.
_DECIMALS: Final = Context(prec=80, rounding=ROUND_HALF_EVEN)

Pause = tuple[datetime, datetime]
"""An interval ``(start, end)`` during which the processing clock is stopped."""


class OutsideCalendar(ValueError):
    """A computation needs days outside the calendar horizon, whose days off are unknown."""


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


class Timeliness(StrEnum):
    """Where a dossier stands against its due time."""

    FINISHED_EARLY = "finished_early"
    ON_TIME = "on_time"
    LATE = "late"
    NOT_YET_DUE = "not_yet_due"
    OVERDUE = "overdue"


def _time_us(moment: time) -> int:
    """Microseconds since midnight of a wall-clock time."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _US_PER_SECOND + moment.microsecond


@dataclass(frozen=True)
class WorkingHours:
    """The working periods of every working day, as half-open local wall-clock intervals."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("A working day needs at least one working period.")
        previous_end = -1
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("Working periods are local wall-clock times; drop the tzinfo.")
            if _time_us(start) >= _time_us(end):
                raise ValueError(f"Working period {start}-{end} must end after it starts.")
            if _time_us(start) < previous_end:
                raise ValueError("Working periods must be sorted and must not overlap.")
            previous_end = _time_us(end)

    @property
    def day_length(self) -> timedelta:
        """One working day: the total length of the day's periods (8 h by default)."""
        return timedelta(microseconds=sum(_time_us(end) - _time_us(start) for start, end in self.periods))

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]


def _to_microseconds(amount: Decimal | float, unit_us: int) -> int:
    """``amount`` units as whole microseconds (exact for int/Decimal, exact binary value for float)."""
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        raise TypeError(f"A duration amount must be an int, float or Decimal, not {type(amount).__name__}.")
    if isinstance(amount, int):
        result = amount * unit_us
    else:
        exact = Decimal(amount)
        if not exact.is_finite():
            raise ValueError(f"A duration amount must be finite, not {amount}.")
        result = int(_DECIMALS.multiply(exact, Decimal(unit_us)).to_integral_value(context=_DECIMALS))
    if result < 0:
        raise ValueError(f"A duration must not be negative, got {amount}.")
    return result


def _whole_days(amount: Decimal | float) -> int:
    days = _to_microseconds(amount, _US_PER_DAY) // _US_PER_DAY
    if days != amount:
        raise ValueError(f"Calendar-day durations must be whole days, got {amount}.")
    return days


def _duration_us(duration: timedelta) -> int:
    if duration < timedelta(0):
        raise ValueError(f"A duration must not be negative, got {duration}.")
    return duration // _ONE_US


class WorkingCalendar:
    """Working days and hours over a horizon of whole years, indexed for O(log n) arithmetic.

    Immutable: the index is built once in ``__init__``. Dates of ``days_off`` and
    ``extra_working_days`` outside the horizon are ignored.

    Inputs must be timezone-aware datetimes (any zone; naive ones raise ``ValueError``);
    results are aware datetimes in the calendar's zone. Computations that would need a day
    outside the horizon raise ``OutsideCalendar``.
    """

    __slots__ = (
        "_closes",
        "_cum_ends",
        "_cum_starts",
        "_day_us",
        "_days_off",
        "_epoch",
        "_extra_working_days",
        "_first_day",
        "_horizon_us",
        "_hours",
        "_last_day",
        "_opens",
        "_periods_per_day",
        "_tz",
        "_weekend",
        "_working",
    )
    _closes: tuple[int, ...]  # local microseconds at which each working period closes
    _cum_ends: tuple[int, ...]  # working position at each period's closing
    _cum_starts: tuple[int, ...]  # working position at each period's opening
    _day_us: int
    _days_off: frozenset[date]
    _epoch: datetime
    _extra_working_days: frozenset[date]
    _first_day: date
    _horizon_us: int
    _hours: WorkingHours
    _last_day: date
    _opens: tuple[int, ...]  # local microseconds at which each working period opens
    _periods_per_day: int
    _tz: tzinfo
    _weekend: frozenset[int]
    _working: bytes  # one flag per day of the horizon

    def __init__(
        self,
        *,
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        hours: WorkingHours = WorkingHours(),  # frozen, so sharing the default is safe
        weekend: frozenset[int] = frozenset({5, 6}),
        tz: str | tzinfo = DEFAULT_TIMEZONE,
        first_year: int = 2020,
        last_year: int = 2035,
    ) -> None:
        off = frozenset(days_off)
        extra = frozenset(extra_working_days)
        if clash := off & extra:
            raise ValueError(f"Dates both off and extra working days: {sorted(clash)}.")
        if not weekend <= frozenset(range(7)):
            raise ValueError("Weekend days are weekday numbers 0 (Monday) to 6 (Sunday).")
        if first_year > last_year:
            raise ValueError("first_year must not be after last_year.")
        init = object.__setattr__
        init(self, "_days_off", off)
        init(self, "_extra_working_days", extra)
        init(self, "_hours", hours)
        init(self, "_weekend", frozenset(weekend))
        init(self, "_tz", ZoneInfo(tz) if isinstance(tz, str) else tz)
        init(self, "_first_day", date(first_year, 1, 1))
        init(self, "_last_day", date(last_year, 12, 31))
        init(self, "_epoch", datetime(first_year, 1, 1, tzinfo=self._tz))
        self._build_index()

    def _build_index(self) -> None:
        """Lay out every working period of the horizon on one axis of local microseconds."""
        offsets = [(_time_us(start), _time_us(end)) for start, end in self._hours.periods]
        n_days = self._last_day.toordinal() - self._first_day.toordinal() + 1
        working = bytearray(n_days)
        opens: list[int] = []
        closes: list[int] = []
        cum_starts: list[int] = []
        cum_ends: list[int] = []
        elapsed = 0
        for index in range(n_days):
            if not self._is_working_by_rule(self._first_day + timedelta(days=index)):
                continue
            working[index] = 1
            midnight = index * _US_PER_DAY
            for start, end in offsets:
                opens.append(midnight + start)
                closes.append(midnight + end)
                cum_starts.append(elapsed)
                elapsed += end - start
                cum_ends.append(elapsed)
        if not opens:
            raise ValueError("The calendar has no working time at all.")
        init = object.__setattr__
        init(self, "_working", bytes(working))
        init(self, "_opens", tuple(opens))
        init(self, "_closes", tuple(closes))
        init(self, "_cum_starts", tuple(cum_starts))
        init(self, "_cum_ends", tuple(cum_ends))
        init(self, "_periods_per_day", len(offsets))
        init(self, "_day_us", sum(end - start for start, end in offsets))
        init(self, "_horizon_us", n_days * _US_PER_DAY)

    def _is_working_by_rule(self, day: date) -> bool:
        if day in self._extra_working_days:
            return True
        return day not in self._days_off and day.weekday() not in self._weekend

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable.")

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self._first_day.year}-{self._last_day.year}, tz={self._tz}, "
            f"{len(self._days_off)} days off, {len(self._extra_working_days)} extra working days)"
        )

    # -- Public properties -------------------------------------------------------------------

    @property
    def timezone(self) -> tzinfo:
        return self._tz

    @property
    def hours(self) -> WorkingHours:
        return self._hours

    @property
    def working_day(self) -> timedelta:
        """Length of one working day (8 h with the default hours)."""
        return timedelta(microseconds=self._day_us)

    @property
    def first_day(self) -> date:
        return self._first_day

    @property
    def last_day(self) -> date:
        return self._last_day

    @property
    def days_off(self) -> frozenset[date]:
        return self._days_off

    @property
    def extra_working_days(self) -> frozenset[date]:
        return self._extra_working_days

    # -- Conversions between datetimes, local microseconds and working positions ------------

    def _local_us(self, moment: datetime) -> int:
        """Local wall-clock microseconds since the horizon start (midnight, 1 January)."""
        if moment.tzinfo is not self._tz:
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"Naive datetime {moment.isoformat()} rejected: pass a timezone-aware one.")
            moment = moment.astimezone(self._tz)
        # Same tzinfo object on both sides: Python subtracts wall-clock fields, no offset lookups.
        return (moment - self._epoch) // _ONE_US

    def _datetime(self, local_us: int) -> datetime:
        return self._epoch + timedelta(microseconds=local_us)

    def _check_inside(self, local_us: int) -> None:
        if not 0 <= local_us < self._horizon_us:
            raise OutsideCalendar(
                f"{self._datetime(local_us).isoformat()} is outside the calendar "
                f"({self._first_day} to {self._last_day})."
            )

    def _next_period(self, local_us: int) -> int:
        """Index of the first working period that closes after ``local_us``."""
        self._check_inside(local_us)
        index = bisect_right(self._closes, local_us)
        if index == len(self._closes):
            raise OutsideCalendar(f"No working time left in the calendar after {self._datetime(local_us).isoformat()}.")
        return index

    def _position(self, local_us: int) -> int:
        """Working microseconds elapsed from the horizon start to ``local_us``."""
        index = self._next_period(local_us)
        opening = self._opens[index]
        return self._cum_starts[index] + (local_us - opening if local_us > opening else 0)

    def _position_clipped(self, local_us: int) -> int:
        """Like ``_position`` but saturating at the horizon ends (pause bounds may lie outside)."""
        if local_us < 0:
            return 0
        index = bisect_right(self._closes, local_us)
        if index == len(self._closes):
            return self._cum_ends[-1] if self._cum_ends else 0
        opening = self._opens[index]
        return self._cum_starts[index] + (local_us - opening if local_us > opening else 0)

    def _first_instant(self, position: int) -> int:
        """The earliest instant at ``position``: boundaries resolve to a closing time (11:30, 17:00)."""
        index = bisect_left(self._cum_ends, position)
        if index == len(self._cum_ends):
            raise OutsideCalendar(f"The result would fall after the end of the calendar ({self._last_day}).")
        return self._opens[index] + (position - self._cum_starts[index])

    def _last_instant(self, position: int) -> int:
        """The latest instant at ``position``: boundaries resolve to an opening time (07:30, 13:00)."""
        index = bisect_right(self._cum_starts, position) - 1
        if position < 0 or index < 0:
            raise OutsideCalendar(f"The result would fall before the start of the calendar ({self._first_day}).")
        if position > self._cum_ends[index]:
            raise OutsideCalendar(f"The result would fall after the end of the calendar ({self._last_day}).")
        return self._opens[index] + (position - self._cum_starts[index])

    def _pause_spans(self, pauses: Sequence[Pause]) -> list[tuple[int, int]]:
        """Pauses as sorted, disjoint intervals of working positions (overlaps merged once)."""
        spans: list[tuple[int, int]] = []
        for start, end in pauses:
            start_us, end_us = self._local_us(start), self._local_us(end)
            if end_us < start_us:
                raise ValueError(f"Pause ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
            low, high = self._position_clipped(start_us), self._position_clipped(end_us)
            if high > low:
                spans.append((low, high))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for low, high in spans:
            if merged and low <= merged[-1][1]:
                if high > merged[-1][1]:
                    merged[-1] = (merged[-1][0], high)
            else:
                merged.append((low, high))
        return merged

    # -- Core arithmetic on local microseconds -------------------------------------------------

    def _clock_start_us(self, local_us: int, cutoff_us: int | None) -> int:
        if cutoff_us is not None:
            self._check_inside(local_us)
            day = local_us // _US_PER_DAY
            if local_us - day * _US_PER_DAY > cutoff_us and self._working[day]:
                local_us = (day + 1) * _US_PER_DAY  # received too late today: count from tomorrow
        opening = self._opens[self._next_period(local_us)]
        return max(local_us, opening)

    def _add_us(self, start_us: int, duration_us: int, pauses: Sequence[Pause]) -> int:
        """The first instant at which ``duration_us`` of unpaused working time has elapsed."""
        target = self._position(start_us)
        if pauses:
            origin = target
            target += duration_us
            for low, high in self._pause_spans(pauses):
                if high <= origin:
                    continue  # pause over before the clock started
                if low > target or (low == target and duration_us):
                    break  # the time ran out before this pause began
                target += high - max(low, origin)
        else:
            target += duration_us
        if duration_us == 0:
            # Nothing to count: the clock (re)start, i.e. the opening side of a boundary.
            return self._last_instant(target)
        return self._first_instant(target)

    def _closing_on_or_after(self, day: int) -> int:
        """Closing time of the first working day on or after day index ``day``."""
        index = bisect_left(self._opens, day * _US_PER_DAY)
        last = index + self._periods_per_day - 1
        if last >= len(self._closes):
            raise OutsideCalendar(f"No working day left in the calendar after {self._last_day}.")
        return self._closes[last]

    # -- Public API ------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (weekday rule overridden by days off and make-up days)."""
        index = day.toordinal() - self._first_day.toordinal()
        if not 0 <= index < len(self._working):
            raise OutsideCalendar(f"{day} is outside the calendar ({self._first_day} to {self._last_day}).")
        return bool(self._working[index])

    def is_working_time(self, moment: datetime) -> bool:
        """Whether ``moment`` lies in a working period (opening included, closing excluded)."""
        local_us = self._local_us(moment)
        return self._opens[self._next_period(local_us)] <= local_us

    def clock_start(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """When the processing clock starts for a dossier received at ``received_at``.

        Reception is clamped into working time: before opening -> that day's opening, during
        the lunch break -> the afternoon opening, after closing or on a day off -> the next
        working day's opening. With a procedure ``cutoff`` (e.g. 15:00), reception strictly
        after the cutoff on a working day starts the clock at the next working day's opening
        (reception at exactly the cutoff counts from then).
        """
        return self._datetime(self._clock_start_us(self._local_us(received_at), _cutoff_us(cutoff)))

    def add_working_time(self, start: datetime, duration: timedelta, pauses: Sequence[Pause] = ()) -> datetime:
        """The first instant at which ``duration`` of working time has elapsed since ``start``.

        ``start`` is clamped into working time first. Working time inside any of ``pauses``
        does not count (Nghị định 118/2025/NĐ-CP: waiting for a supplement or a financial
        obligation); overlapping pauses count once, pauses that ended before the clock start
        have no effect. A zero duration returns the clamped start (or the end of a pause
        covering it).
        """
        return self._datetime(self._add_us(self._local_us(start), _duration_us(duration), pauses))

    def subtract_working_time(self, end: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of working time before ``end``.

        Boundaries resolve to the opening side (Tuesday 07:30, not Monday 17:00), so the result
        is always inside working time and ``add_working_time`` inverts it exactly.
        """
        position = self._position(self._local_us(end)) - _duration_us(duration)
        return self._datetime(self._last_instant(position))

    def working_time_between(self, start: datetime, end: datetime, pauses: Sequence[Pause] = ()) -> timedelta:
        """Working time from ``start`` to ``end`` minus paused working time; negative if ``end < start``."""
        low = self._position(self._local_us(start))
        high = self._position(self._local_us(end))
        sign = 1
        if high < low:
            low, high, sign = high, low, -1
        paused = sum(
            min(span_high, high) - max(span_low, low)
            for span_low, span_high in self._pause_spans(pauses)
            if span_high > low and span_low < high
        )
        return timedelta(microseconds=sign * (high - low - paused))

    def due_at(
        self,
        received_at: datetime,
        amount: Decimal | float,
        unit: DurationUnit,
        *,
        cutoff: time | None = None,
        pauses: Sequence[Pause] = (),
    ) -> datetime:
        """The due time ("ngày hẹn trả") of a dossier received at ``received_at``.

        The clock starts at ``clock_start(received_at, cutoff)``. Then:

        * working days / working hours: the first instant at which the elapsed unpaused working
          time equals the duration (Mon 07:30 + 1 working day = Mon 17:00; Fri 16:00 + 3
          working days = 16:00 three working days later). Fractions are allowed (1.5 working
          days = 12 working hours with the default hours); 0 returns the clock start.
        * calendar days (whole numbers only): the closing time of the clock-start date plus
          ``amount`` days, or of the next working day if that date is not a working day.
          Pauses then push this due time back by the working time they cover between the
          clock start and the due time (so the result may fall mid-day).
        """
        start = self._clock_start_us(self._local_us(received_at), _cutoff_us(cutoff))
        if unit == DurationUnit.WORKING_DAYS:
            duration = _to_microseconds(amount, self._day_us)
        elif unit == DurationUnit.WORKING_HOURS:
            duration = _to_microseconds(amount, _US_PER_HOUR)
        elif unit == DurationUnit.CALENDAR_DAYS:
            due = self._closing_on_or_after(start // _US_PER_DAY + _whole_days(amount))
            if not pauses:
                return self._datetime(due)
            duration = self._position(due) - self._position(start)
        else:
            raise ValueError(f"Unknown duration unit {unit!r}.")
        return self._datetime(self._add_us(start, duration, pauses))

    def at_risk_from(self, due: datetime) -> datetime:
        """The instant one working day before ``due``, from which a dossier counts as at risk."""
        return self.subtract_working_time(due, self.working_day)

    def remaining(self, now: datetime, due: datetime, pauses: Sequence[Pause] = ()) -> timedelta:
        """Working time left from ``now`` until ``due`` (negative once overdue), pauses excluded."""
        return self.working_time_between(now, due, pauses)


def _cutoff_us(cutoff: time | None) -> int | None:
    if cutoff is None:
        return None
    if cutoff.tzinfo is not None:
        raise ValueError("A cut-off is a local wall-clock time; drop the tzinfo.")
    return _time_us(cutoff)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}.")


def classify(
    *,
    due: datetime,
    finished_at: datetime | None,
    now: datetime | None = None,
    compare_by: Literal["timestamp", "date"] = "timestamp",
    tz: str | tzinfo = DEFAULT_TIMEZONE,
) -> Timeliness:
    """Timeliness of a dossier against its due time.

    Finished dossiers: ``compare_by="timestamp"`` compares instants (before due -> early,
    exactly at due -> on time, after -> late); ``compare_by="date"`` compares local dates in
    ``tz`` (earlier day -> early, the due day -> on time, a later day -> late).

    Open dossiers (``finished_at`` is None) need ``now``: not yet due until the due time (in
    date mode: until the end of the due day), overdue afterwards.
    """
    _require_aware(due, "due")
    if finished_at is not None:
        _require_aware(finished_at, "finished_at")
        reference = finished_at
    elif now is not None:
        _require_aware(now, "now")
        reference = now
    else:
        raise ValueError("An open dossier (finished_at=None) needs now.")
    if compare_by == "timestamp":
        left: datetime | date = reference
        right: datetime | date = due
    elif compare_by == "date":
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        left, right = reference.astimezone(zone).date(), due.astimezone(zone).date()
    else:
        raise ValueError(f"compare_by must be 'timestamp' or 'date', not {compare_by!r}.")
    if finished_at is None:
        return Timeliness.OVERDUE if left > right else Timeliness.NOT_YET_DUE
    if left < right:
        return Timeliness.FINISHED_EARLY
    return Timeliness.ON_TIME if left == right else Timeliness.LATE
