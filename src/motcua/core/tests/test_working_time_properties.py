"""Property tests for working-time arithmetic (Hypothesis). No database needed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.core.working_time import DurationUnit, Pause, WorkingCalendar, WorkingHours

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = WorkingHours()
# Weekday days off in 2025-2027 plus the 2026 make-up Saturday: enough irregularity to matter.
DAYS_OFF = frozenset(
    {date(2025, 1, 1), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2), date(2025, 9, 1), date(2025, 9, 2)}
    | {date(2025, 1, 27) + timedelta(days=i) for i in range(5)}
    | {date(2026, 1, 1), date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}
    | {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}
    | {date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2), date(2027, 1, 1)}
)
EXTRA = frozenset({date(2026, 8, 22)})
CALENDAR = WorkingCalendar(days_off=DAYS_OFF, extra_working_days=EXTRA, first_year=2024, last_year=2028)
SETTINGS = settings(max_examples=200, deadline=None)

FIRST, LAST = date(2025, 1, 1), date(2027, 6, 30)
ZONES: list[tzinfo] = [VN, UTC, timezone(timedelta(hours=9))]

# Half-hour aligned instants hit the 07:30 / 11:30 / 13:00 / 17:00 boundaries often.
aligned_instants = st.builds(
    lambda day, half_hours: datetime.combine(day, time(0), VN) + timedelta(minutes=30 * half_hours),
    st.dates(min_value=FIRST, max_value=LAST),
    st.integers(0, 47),
)
any_instants = st.datetimes(
    min_value=datetime.combine(FIRST, time(0)),
    max_value=datetime.combine(LAST, time(0)),
    timezones=st.sampled_from(ZONES),
)
instants = st.one_of(aligned_instants, any_instants)
# Up to 30 working days, either in half hours (boundary-friendly) or in raw microseconds.
durations = st.one_of(
    st.integers(0, 480).map(lambda k: timedelta(minutes=30 * k)),
    st.integers(0, 30 * 8 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us)),
)
positive_durations = durations.filter(lambda d: d > timedelta(0))
cutoffs = st.one_of(st.none(), st.just(time(15)), st.just(time(16, 30)))
units = st.sampled_from(list(DurationUnit))
amounts = st.integers(0, 60).map(lambda halves: halves / 2)


def in_working_periods(moment: datetime, *, closing_included: bool) -> bool:
    """Independent check against the wall clock (not the calendar's index)."""
    local = moment.astimezone(VN)
    if not CALENDAR.is_working_day(local.date()):
        return False
    clock = local.time()
    if closing_included:
        return any(start <= clock <= end for start, end in HOURS.periods)
    return any(start <= clock < end for start, end in HOURS.periods)


def whole_amount(unit: DurationUnit, amount: float) -> float:
    return float(int(amount)) if unit == DurationUnit.CALENDAR_DAYS else amount


@SETTINGS
@given(instants, durations)
def test_added_working_time_lands_in_working_time(start: datetime, duration: timedelta) -> None:
    due = CALENDAR.add_working_time(start, duration)
    assert due.tzinfo is VN
    # Positive durations end on the closing side of a boundary, zero ones on the opening side.
    assert in_working_periods(due, closing_included=duration > timedelta(0))
    assert due >= CALENDAR.clock_start(start)
    assert CALENDAR.working_time_between(start, due) == duration


@SETTINGS
@given(instants, st.integers(0, 45), cutoffs)
def test_calendar_days_end_at_a_closing_time(received: datetime, days: int, cutoff: time | None) -> None:
    due = CALENDAR.due_at(received, days, DurationUnit.CALENDAR_DAYS, cutoff=cutoff)
    start = CALENDAR.clock_start(received, cutoff)
    assert due.time() == HOURS.closing
    assert CALENDAR.is_working_day(due.date())
    assert due.date() >= start.date() + timedelta(days=days)
    # No working day is skipped between the nominal date and the due date.
    nominal = start.date() + timedelta(days=days)
    assert all(not CALENDAR.is_working_day(nominal + timedelta(days=i)) for i in range((due.date() - nominal).days))


@SETTINGS
@given(instants, durations, positive_durations)
def test_adding_in_two_steps_equals_adding_the_sum(start: datetime, first: timedelta, second: timedelta) -> None:
    in_two = CALENDAR.add_working_time(CALENDAR.add_working_time(start, first), second)
    assert in_two == CALENDAR.add_working_time(start, first + second)


@SETTINGS
@given(instants, durations, instants, st.integers(0, 10 * 24 * 60))
def test_adding_in_two_steps_with_a_pause(
    start: datetime, first: timedelta, pause_start: datetime, minutes: int
) -> None:
    pauses = [(pause_start, pause_start + timedelta(minutes=minutes))]
    second = timedelta(hours=3)
    in_two = CALENDAR.add_working_time(CALENDAR.add_working_time(start, first, pauses), second, pauses)
    assert in_two == CALENDAR.add_working_time(start, first + second, pauses)


@SETTINGS
@given(instants, positive_durations, durations, st.integers(0, 10 * 24 * 60))
def test_a_pause_inside_the_window_moves_the_due_by_its_working_time(
    received: datetime, duration: timedelta, offset: timedelta, pause_minutes: int
) -> None:
    start = CALENDAR.clock_start(received)
    due = CALENDAR.add_working_time(start, duration)
    pause_start = start + offset * 0.2
    pause: Pause = (pause_start, pause_start + timedelta(minutes=pause_minutes))
    # "Inside the window": the pause begins while the clock is still running.
    assume(CALENDAR.working_time_between(pause_start, due) > timedelta(0))
    paused_working_time = CALENDAR.working_time_between(*pause)
    moved = CALENDAR.add_working_time(start, duration, [pause])
    assert CALENDAR.working_time_between(due, moved) == paused_working_time
    # The same pause cut in two overlapping halves counts once.
    middle = pause_start + timedelta(minutes=pause_minutes / 2)
    halves = [(pause_start, min(middle + timedelta(hours=1), pause[1])), (middle, pause[1])]
    assert CALENDAR.add_working_time(start, duration, halves) == moved


@SETTINGS
@given(instants, instants, units, amounts, cutoffs)
def test_later_reception_never_gives_an_earlier_due(
    one: datetime, other: datetime, unit: DurationUnit, amount: float, cutoff: time | None
) -> None:
    early, late = sorted([one, other])
    amount = whole_amount(unit, amount)
    assert CALENDAR.due_at(early, amount, unit, cutoff=cutoff) <= CALENDAR.due_at(late, amount, unit, cutoff=cutoff)


@SETTINGS
@given(instants, durations)
def test_subtract_inverts_add_inside_working_time(moment: datetime, duration: timedelta) -> None:
    inside = CALENDAR.clock_start(moment)
    assert in_working_periods(inside, closing_included=False)
    assert CALENDAR.subtract_working_time(CALENDAR.add_working_time(inside, duration), duration) == inside
    back = CALENDAR.subtract_working_time(inside, duration)
    assert in_working_periods(back, closing_included=False)
    assert CALENDAR.working_time_between(CALENDAR.add_working_time(back, duration), inside) == timedelta(0)


@SETTINGS
@given(instants, instants, instants)
def test_working_time_between_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    between = CALENDAR.working_time_between
    assert between(a, b) + between(b, c) == between(a, c)
    assert between(a, b) == -between(b, a)
