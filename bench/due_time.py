"""Benchmark: due-time computations per second, indexed calendar vs a naive day-by-day loop.

Run from the project root: ``.venv/bin/python bench/due_time.py``. Needs no Django: it puts
``src`` on ``sys.path`` and imports only ``motcua.core.working_time``. The naive reference below
walks day by day and period by period with plain datetimes; it is independent of the indexed
implementation, so agreement on a sample is also a correctness check (exit status 1 if not).
The last output line is a JSON summary.
"""

from __future__ import annotations

import json
import random
import sys
import time as clock
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from motcua.core.working_time import DurationUnit, Pause, WorkingCalendar, WorkingHours

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 20260213
N_INPUTS = 20_000
FAST_SECONDS = 2.5
NAIVE_SECONDS = 1.5
SAMPLE = 200
TARGET = 100_000
HOURS = WorkingHours()
WEEKEND = frozenset({5, 6})


def vietnam_days_off() -> tuple[frozenset[date], frozenset[date]]:
    """Days off 2020-2035 from the ``holidays`` package if installed, else fixed 2026 data."""
    make_up = frozenset({date(2026, 8, 22)})
    try:
        import holidays
    except ImportError:
        fixed = {date(2026, 1, 1), date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}
        fixed |= {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}
        fixed |= {date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)}
        return frozenset(fixed), make_up
    found = holidays.country_holidays("VN", years=range(2020, 2036))
    return frozenset(day for day in found if day.weekday() not in WEEKEND), make_up


@dataclass(frozen=True)
class Case:
    received_at: datetime
    amount: Decimal | int
    unit: DurationUnit
    cutoff: time | None
    pauses: tuple[Pause, ...]


def random_cases(count: int, rng: random.Random) -> list[Case]:
    """Random receptions 2024-2027 (any minute, nights and weekends included)."""
    first = datetime(2024, 1, 1, tzinfo=TZ)
    span_minutes = (datetime(2028, 1, 1, tzinfo=TZ) - first) // timedelta(minutes=1)
    cases = []
    for _ in range(count):
        received = first + timedelta(minutes=rng.randrange(span_minutes), seconds=rng.randrange(60))
        roll = rng.random()
        if roll < 0.85:
            unit = DurationUnit.WORKING_DAYS
            halves = rng.randint(1, 60)  # 0.5 to 30 working days
            amount: Decimal | int = halves // 2 if halves % 2 == 0 else Decimal(halves) / 2
        elif roll < 0.95:
            unit, amount = DurationUnit.WORKING_HOURS, rng.randint(1, 40)
        else:
            unit, amount = DurationUnit.CALENDAR_DAYS, rng.randint(0, 45)
        cutoff = time(15) if rng.random() < 0.3 else None
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.3:
            pause_start = received + timedelta(hours=rng.randint(0, 24 * 14))
            pauses = ((pause_start, pause_start + timedelta(minutes=rng.randint(30, 60 * 24 * 7))),)
        cases.append(Case(received, amount, unit, cutoff, pauses))
    return cases


class NaiveCalendar:
    """Straightforward reference: loops over days and periods with aware datetimes."""

    def __init__(self, days_off: frozenset[date], extra: frozenset[date]) -> None:
        self.days_off = days_off
        self.extra = extra

    def is_working_day(self, day: date) -> bool:
        if day in self.extra:
            return True
        return day not in self.days_off and day.weekday() not in WEEKEND

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, s, TZ), datetime.combine(day, e, TZ)) for s, e in HOURS.periods]

    def periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working periods closing after ``moment``, in order (endless: the caller stops)."""
        day = moment.date()
        while True:
            for start, end in self.periods(day):
                if end > moment:
                    yield start, end
            day += timedelta(days=1)

    def clock_start(self, received: datetime, cutoff: time | None) -> datetime:
        received = received.astimezone(TZ)
        if cutoff is not None and self.is_working_day(received.date()) and received.time() > cutoff:
            received = datetime.combine(received.date() + timedelta(days=1), time(0), TZ)
        start, _ = next(self.periods_from(received))
        return max(start, received)

    @staticmethod
    def merged(pauses: Sequence[Pause]) -> list[tuple[datetime, datetime]]:
        result: list[tuple[datetime, datetime]] = []
        for start, end in sorted(pauses):
            if result and start <= result[-1][1]:
                result[-1] = (result[-1][0], max(result[-1][1], end))
            else:
                result.append((start, end))
        return result

    def free_pieces(self, start: datetime, end: datetime, pauses: Sequence[Pause]) -> list[tuple[datetime, datetime]]:
        """``[start, end)`` minus the pauses."""
        pieces = [(start, end)]
        for pause_start, pause_end in pauses:
            pieces = [
                piece
                for low, high in pieces
                for piece in ((low, min(high, pause_start)), (max(low, pause_end), high))
                if piece[1] > piece[0]
            ]
        return pieces

    def add(self, start: datetime, duration: timedelta, pauses: Sequence[Pause]) -> datetime:
        pauses = self.merged(pauses)
        left = duration
        for period_start, period_end in self.periods_from(start):
            for low, high in self.free_pieces(max(period_start, start), period_end, pauses):
                if high - low >= left:
                    return low + left
                left -= high - low
        raise AssertionError("unreachable: periods_from never ends")

    def between(self, start: datetime, end: datetime, pauses: Sequence[Pause]) -> timedelta:
        pauses = self.merged(pauses)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self.periods(day):
                low, high = max(period_start, start), min(period_end, end)
                if high > low:
                    total += sum((b - a for a, b in self.free_pieces(low, high, pauses)), timedelta(0))
            day += timedelta(days=1)
        return total

    def due_at(self, case: Case) -> datetime:
        start = self.clock_start(case.received_at, case.cutoff)
        if case.unit == DurationUnit.CALENDAR_DAYS:
            day = start.date() + timedelta(days=int(case.amount))
            while not self.is_working_day(day):
                day += timedelta(days=1)
            due = datetime.combine(day, HOURS.closing, TZ)
            if not case.pauses:
                return due
            duration = self.between(start, due, ())
        else:
            hours = 8 if case.unit == DurationUnit.WORKING_DAYS else 1
            duration = timedelta(hours=hours) * float(case.amount)
        return self.add(start, duration, case.pauses)


def rate(compute: Callable[[Case], datetime], cases: Sequence[Case], seconds: float) -> tuple[int, float]:
    """Run ``compute`` over ``cases`` (cycling, in batches of 1000) for about ``seconds``."""
    count, offset, elapsed = 0, 0, 0.0
    began = clock.perf_counter()
    while elapsed < seconds:
        batch = cases[offset : offset + 1000]
        for case in batch:
            compute(case)
        count += len(batch)
        offset = (offset + 1000) % len(cases)
        elapsed = clock.perf_counter() - began
    return count, elapsed


def main() -> int:
    days_off, extra = vietnam_days_off()
    began = clock.perf_counter()
    calendar = WorkingCalendar(days_off=days_off, extra_working_days=extra, first_year=2020, last_year=2035)
    build_ms = (clock.perf_counter() - began) * 1000
    naive = NaiveCalendar(days_off, extra)
    cases = random_cases(N_INPUTS, random.Random(SEED))

    def fast(case: Case) -> datetime:
        return calendar.due_at(case.received_at, case.amount, case.unit, cutoff=case.cutoff, pauses=case.pauses)

    mismatches = [case for case in cases[:SAMPLE] if fast(case) != naive.due_at(case)]
    for case in mismatches[:5]:
        print(f"MISMATCH {case}: fast={fast(case).isoformat()} naive={naive.due_at(case).isoformat()}")

    fast_count, fast_elapsed = rate(fast, cases, FAST_SECONDS)
    naive_count, naive_elapsed = rate(naive.due_at, cases, NAIVE_SECONDS)
    value = fast_count / fast_elapsed
    baseline = naive_count / naive_elapsed
    print(f"calendar 2020-2035: {len(days_off)} weekday days off, index built in {build_ms:.1f} ms")
    print(
        f"workload: {N_INPUTS} random receptions 2024-2027 (85% 0.5-30 working days, 10% working hours, "
        "5% calendar days; 30% with a 15:00 cut-off, 30% with a pause)"
    )
    print(f"fast : {fast_count} computations in {fast_elapsed:.2f} s = {value:,.0f} computations/s")
    print(f"naive: {naive_count} computations in {naive_elapsed:.2f} s = {baseline:,.0f} computations/s")
    print(f"sample check: {SAMPLE - len(mismatches)}/{SAMPLE} identical")
    summary = {
        "bench": "due_time",
        "value": round(value, 1),
        "unit": "computations/s",
        "baseline": round(baseline, 1),
        "ratio": round(value / baseline, 2),
        "target": TARGET,
        "met": value >= TARGET,
    }
    print(json.dumps(summary))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
