"""Worked cases for due-time arithmetic on the real 2026 Vietnamese calendar. No database needed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.core.working_time import (
    DurationUnit,
    OutsideCalendar,
    Timeliness,
    WorkingCalendar,
    WorkingHours,
    classify,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WD = DurationUnit.WORKING_DAYS
WH = DurationUnit.WORKING_HOURS
CD = DurationUnit.CALENDAR_DAYS

# 2026 days off on weekdays (Bộ luật Lao động 2019 điều 112 and the 2026 swap decisions).
# Hùng Kings' day (10/3 lunar) falls on Sunday 26/04, so Monday 27/04 is the compensatory day.
TET = {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}  # Mon 16 - Fri 20 February
DAYS_OFF_2026 = frozenset(
    TET
    | {
        date(2026, 1, 1),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),  # swapped with Saturday 22/08
        date(2026, 9, 1),
        date(2026, 9, 2),
    }
)
EXTRA_WORKING_DAYS_2026 = frozenset({date(2026, 8, 22)})

CALENDAR = WorkingCalendar(days_off=DAYS_OFF_2026, extra_working_days=EXTRA_WORKING_DAYS_2026)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def test_2026_data_matches_the_holidays_package() -> None:
    holidays = pytest.importorskip("holidays")
    known = {day for day in holidays.country_holidays("VN", years=2026) if day.weekday() < 5}
    assert known >= DAYS_OFF_2026


# -- Worked cases from the specification ------------------------------------------------------


def test_friday_before_tet_plus_three_working_days() -> None:
    assert CALENDAR.due_at(at(2026, 2, 13, 16), 3, WD) == at(2026, 2, 25, 16)


def test_cutoff_moves_the_clock_start_to_the_next_working_day() -> None:
    assert CALENDAR.due_at(at(2026, 2, 13, 16), 3, WD, cutoff=time(15)) == at(2026, 2, 25, 17)


def test_reception_exactly_at_the_cutoff_is_not_after_it() -> None:
    assert CALENDAR.clock_start(at(2026, 3, 2, 15), cutoff=time(15)) == at(2026, 3, 2, 15)
    late = datetime(2026, 3, 2, 15, 0, 0, 1, tzinfo=VN)
    assert CALENDAR.clock_start(late, cutoff=time(15)) == at(2026, 3, 3, 7, 30)


def test_cutoff_does_not_apply_on_a_day_off() -> None:
    # Saturday afternoon: plain clamping to Monday, not "Monday is after the cut-off".
    assert CALENDAR.clock_start(at(2026, 3, 7, 16), cutoff=time(15)) == at(2026, 3, 9, 7, 30)


def test_national_day_bridge() -> None:
    # 31/08 (swapped), 01/09 and 02/09 are off.
    assert CALENDAR.due_at(at(2026, 8, 28, 10), 2, WD) == at(2026, 9, 4, 10)


def test_one_working_day_from_opening_ends_the_same_day() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 7, 30), 1, WD) == at(2026, 3, 2, 17)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2026, 3, 2, 6), at(2026, 3, 2, 7, 30)),  # before opening
        (at(2026, 3, 2, 9, 15), at(2026, 3, 2, 9, 15)),  # during working time
        (at(2026, 3, 2, 11, 30), at(2026, 3, 2, 13)),  # end of morning
        (at(2026, 3, 2, 12), at(2026, 3, 2, 13)),  # lunch break
        (at(2026, 3, 2, 17), at(2026, 3, 3, 7, 30)),  # closing time
        (at(2026, 3, 2, 20), at(2026, 3, 3, 7, 30)),  # evening
        (at(2026, 3, 7, 9), at(2026, 3, 9, 7, 30)),  # ordinary Saturday
        (at(2026, 8, 22, 8), at(2026, 8, 22, 8)),  # make-up working Saturday
        (at(2026, 8, 29, 8), at(2026, 9, 3, 7, 30)),  # weekend then three days off
        (at(2026, 2, 16, 9), at(2026, 2, 23, 7, 30)),  # Tết
    ],
)
def test_clock_start_clamps_into_working_time(received: datetime, expected: datetime) -> None:
    assert CALENDAR.clock_start(received) == expected


def test_make_up_saturday_counts_as_working_time() -> None:
    assert CALENDAR.due_at(at(2026, 8, 22, 8), 1, WD) == at(2026, 8, 24, 8)


def test_end_of_morning_resolves_to_1130_not_1300() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 7, 30), 4, WH) == at(2026, 3, 2, 11, 30)
    assert CALENDAR.due_at(at(2026, 3, 2, 7, 30), Decimal("0.5"), WD) == at(2026, 3, 2, 11, 30)


@pytest.mark.parametrize("amount", [Decimal("1.5"), 1.5, Decimal("1.50")])
def test_fractional_working_days(amount: Decimal | float) -> None:
    # 1.5 working days = 12 working hours: Mon 10:00-11:30, 13:00-17:00 (5.5 h) then 6.5 h on Tuesday.
    assert CALENDAR.due_at(at(2026, 3, 2, 10), amount, WD) == at(2026, 3, 3, 15, 30)


def test_working_hours_carry_over_the_night() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 16), 2, WH) == at(2026, 3, 3, 8, 30)
    assert CALENDAR.due_at(at(2026, 3, 2, 16), Decimal("0.25"), WH) == at(2026, 3, 2, 16, 15)


def test_zero_duration_is_the_clock_start() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 12), 0, WD) == at(2026, 3, 2, 13)
    assert CALENDAR.due_at(at(2026, 3, 6, 16), 0, WH, cutoff=time(15)) == at(2026, 3, 9, 7, 30)
    assert CALENDAR.add_working_time(at(2026, 3, 2, 17), timedelta(0)) == at(2026, 3, 3, 7, 30)


def test_microseconds_are_kept() -> None:
    received = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=VN)
    assert CALENDAR.due_at(received, 1, WD) == datetime(2026, 3, 3, 9, 0, 0, 123456, tzinfo=VN)


# -- Calendar days ------------------------------------------------------------------------------


def test_calendar_days_end_at_closing_time() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 9), 3, CD) == at(2026, 3, 5, 17)


def test_calendar_days_landing_on_a_weekend_move_to_the_next_working_day() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 9), 5, CD) == at(2026, 3, 9, 17)


def test_calendar_days_landing_on_holidays_move_to_the_next_working_day() -> None:
    # Received on the Hùng Kings' compensatory day: clock starts Tue 28/04; 28 + 2 = Thu 30/04 (off),
    # Fri 01/05 (off), weekend -> Monday 04/05.
    assert CALENDAR.due_at(at(2026, 4, 27, 9), 2, CD) == at(2026, 5, 4, 17)


def test_calendar_days_count_from_the_clock_start_date() -> None:
    assert CALENDAR.due_at(at(2026, 3, 6, 16), 3, CD) == at(2026, 3, 9, 17)
    assert CALENDAR.due_at(at(2026, 3, 6, 16), 3, CD, cutoff=time(15)) == at(2026, 3, 12, 17)
    assert CALENDAR.due_at(at(2026, 3, 2, 9), 0, CD) == at(2026, 3, 2, 17)


def test_calendar_days_with_a_pause_shift_by_the_paused_working_time() -> None:
    pause = (at(2026, 3, 3, 13), at(2026, 3, 3, 15))  # 2 working hours
    assert CALENDAR.due_at(at(2026, 3, 2, 9), 3, CD, pauses=[pause]) == at(2026, 3, 6, 9, 30)


def test_calendar_days_must_be_whole() -> None:
    with pytest.raises(ValueError, match="whole days"):
        CALENDAR.due_at(at(2026, 3, 2, 9), Decimal("1.5"), CD)
    assert CALENDAR.due_at(at(2026, 3, 2, 9), Decimal("3.0"), CD) == at(2026, 3, 5, 17)


# -- Pauses (Nghị định 118/2025/NĐ-CP) --------------------------------------------------------------

RECEIVED = at(2026, 3, 2, 8)  # Monday
DUE_WITHOUT_PAUSE = at(2026, 3, 9, 8)  # + 5 working days
# Wed 10:00 -> Thu 14:00 covers 1.5 + 4 + 4 + 1 = 10.5 working hours.
SUPPLEMENT = (at(2026, 3, 4, 10), at(2026, 3, 5, 14))
# Mon 09/03 08:00 + 10.5 h: 3.5 h + 4 h on Monday, 3 h on Tuesday.
DUE_WITH_PAUSE = at(2026, 3, 10, 10, 30)


def test_pause_moves_the_due_time_by_its_working_time() -> None:
    assert CALENDAR.due_at(RECEIVED, 5, WD) == DUE_WITHOUT_PAUSE
    assert CALENDAR.working_time_between(*SUPPLEMENT) == timedelta(hours=10, minutes=30)
    assert CALENDAR.due_at(RECEIVED, 5, WD, pauses=[SUPPLEMENT]) == DUE_WITH_PAUSE


def test_overlapping_pauses_count_once() -> None:
    split = [(at(2026, 3, 4, 10), at(2026, 3, 5, 9)), (at(2026, 3, 4, 16), at(2026, 3, 5, 14))]
    assert CALENDAR.due_at(RECEIVED, 5, WD, pauses=split) == DUE_WITH_PAUSE
    assert CALENDAR.due_at(RECEIVED, 5, WD, pauses=[SUPPLEMENT, SUPPLEMENT]) == DUE_WITH_PAUSE


def test_pauses_outside_the_counting_time_have_no_effect() -> None:
    before_start = (at(2026, 3, 2, 6), at(2026, 3, 2, 7))
    weekend = (at(2026, 3, 7, 8), at(2026, 3, 8, 16))
    after_due = (at(2026, 3, 9, 8), at(2026, 3, 9, 10))  # starts exactly when the time runs out
    pauses = [before_start, weekend, after_due]
    assert CALENDAR.due_at(RECEIVED, 5, WD, pauses=pauses) == DUE_WITHOUT_PAUSE


def test_pause_straddling_the_clock_start_counts_from_the_start() -> None:
    assert CALENDAR.due_at(RECEIVED, 5, WD, pauses=[(at(2026, 3, 2, 7), at(2026, 3, 2, 9))]) == at(2026, 3, 9, 9)


def test_pause_ending_after_hours_resumes_at_next_opening() -> None:
    # Zero duration with the clock stopped at the start: the due is when the clock runs again.
    pause = (at(2026, 3, 2, 7), at(2026, 3, 2, 20))
    assert CALENDAR.due_at(RECEIVED, 0, WD, pauses=[pause]) == at(2026, 3, 3, 7, 30)


def test_zero_duration_waits_for_a_pause_already_running_at_the_clock_start() -> None:
    pause = (at(2026, 3, 1, 20), at(2026, 3, 2, 9))  # from Sunday evening to Monday 09:00
    assert CALENDAR.due_at(at(2026, 3, 1, 10), 0, WH, pauses=[pause]) == at(2026, 3, 2, 9)
    starts_with_the_clock = (at(2026, 3, 2, 8), at(2026, 3, 2, 10))
    assert CALENDAR.due_at(RECEIVED, 0, WD, pauses=[starts_with_the_clock]) == at(2026, 3, 2, 10)


def test_pause_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        CALENDAR.due_at(RECEIVED, 5, WD, pauses=[(at(2026, 3, 5), at(2026, 3, 4))])


# -- Working time between, remaining, at-risk ---------------------------------------------------------


def test_working_time_between() -> None:
    assert CALENDAR.working_time_between(at(2026, 3, 6, 16), at(2026, 3, 9, 8, 30)) == timedelta(hours=2)
    assert CALENDAR.working_time_between(at(2026, 3, 9, 8, 30), at(2026, 3, 6, 16)) == -timedelta(hours=2)
    assert CALENDAR.working_time_between(at(2026, 3, 7, 8), at(2026, 3, 8, 20)) == timedelta(0)
    assert CALENDAR.working_time_between(RECEIVED, DUE_WITH_PAUSE, [SUPPLEMENT]) == timedelta(hours=40)


def test_remaining_is_negative_when_overdue() -> None:
    due = at(2026, 2, 25, 16)
    assert CALENDAR.remaining(at(2026, 2, 24, 16), due) == timedelta(hours=8)
    assert CALENDAR.remaining(due, due) == timedelta(0)
    # Wed 16:00-17:00 and Thu 07:30-08:30 have passed.
    assert CALENDAR.remaining(at(2026, 2, 26, 8, 30), due) == -timedelta(hours=2)


def test_remaining_excludes_pauses() -> None:
    assert CALENDAR.remaining(RECEIVED, DUE_WITH_PAUSE, [SUPPLEMENT]) == timedelta(hours=40)


def test_at_risk_from_is_one_working_day_before_due() -> None:
    assert CALENDAR.at_risk_from(at(2026, 2, 25, 16)) == at(2026, 2, 24, 16)
    assert CALENDAR.at_risk_from(at(2026, 2, 23, 10)) == at(2026, 2, 13, 10)  # across Tết
    # Due at closing: the working day before starts at this morning's opening (same working instant
    # as yesterday 17:00; the opening side is returned).
    assert CALENDAR.at_risk_from(at(2026, 2, 25, 17)) == at(2026, 2, 25, 7, 30)


def test_subtract_working_time() -> None:
    assert CALENDAR.subtract_working_time(at(2026, 3, 3, 8, 30), timedelta(hours=2)) == at(2026, 3, 2, 16)
    assert CALENDAR.subtract_working_time(at(2026, 3, 2, 13), timedelta(0)) == at(2026, 3, 2, 13)
    assert CALENDAR.subtract_working_time(at(2026, 3, 2, 11, 30), timedelta(0)) == at(2026, 3, 2, 13)


# -- Timeliness ------------------------------------------------------------------------------------

DUE = at(2026, 3, 9, 10)


@pytest.mark.parametrize(
    ("finished_at", "now", "expected"),
    [
        (at(2026, 3, 9, 9, 59), None, Timeliness.FINISHED_EARLY),
        (DUE, None, Timeliness.ON_TIME),
        (at(2026, 3, 9, 10, 1), None, Timeliness.LATE),
        (None, at(2026, 3, 9, 9), Timeliness.NOT_YET_DUE),
        (None, DUE, Timeliness.NOT_YET_DUE),
        (None, at(2026, 3, 9, 10, 1), Timeliness.OVERDUE),
        (datetime(2026, 3, 9, 2, 59, tzinfo=UTC), None, Timeliness.FINISHED_EARLY),  # 09:59 +07:00
    ],
)
def test_classify_by_timestamp(finished_at: datetime | None, now: datetime | None, expected: Timeliness) -> None:
    assert classify(due=DUE, finished_at=finished_at, now=now) is expected


@pytest.mark.parametrize(
    ("finished_at", "now", "expected"),
    [
        (at(2026, 3, 6, 16), None, Timeliness.FINISHED_EARLY),
        (at(2026, 3, 9, 8), None, Timeliness.ON_TIME),  # earlier the same day still counts as on time
        (at(2026, 3, 9, 16), None, Timeliness.ON_TIME),  # later the same day too
        (at(2026, 3, 10, 8), None, Timeliness.LATE),
        (None, at(2026, 3, 9, 16), Timeliness.NOT_YET_DUE),
        (None, at(2026, 3, 10, 0, 1), Timeliness.OVERDUE),
        # 2026-03-08 18:00 UTC is 2026-03-09 01:00 in Hanoi: the local date decides.
        (datetime(2026, 3, 8, 18, tzinfo=UTC), None, Timeliness.ON_TIME),
    ],
)
def test_classify_by_date(finished_at: datetime | None, now: datetime | None, expected: Timeliness) -> None:
    assert classify(due=DUE, finished_at=finished_at, now=now, compare_by="date") is expected


def test_classify_ignores_now_once_finished() -> None:
    result = classify(due=DUE, finished_at=at(2026, 3, 9, 9), now=at(2026, 4, 1))
    assert result is Timeliness.FINISHED_EARLY
    assert str(result) == "finished_early"  # a StrEnum: stores as plain text


def test_classify_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="needs now"):
        classify(due=DUE, finished_at=None)
    with pytest.raises(ValueError, match="compare_by"):
        classify(due=DUE, finished_at=DUE, compare_by="minute")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        classify(due=DUE, finished_at=datetime(2026, 3, 9, 9))


# -- Time zones, horizon, validation ------------------------------------------------------------------


def test_results_are_in_the_calendar_time_zone_whatever_the_input_zone() -> None:
    received_utc = datetime(2026, 2, 13, 9, tzinfo=UTC)  # 16:00 in Hanoi
    due = CALENDAR.due_at(received_utc, 3, WD)
    assert due == at(2026, 2, 25, 16)
    assert due.tzinfo is VN
    assert due.utcoffset() == timedelta(hours=7)
    assert CALENDAR.due_at(datetime(2026, 2, 13, 18, tzinfo=timezone(timedelta(hours=9))), 3, WD) == due


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 3, 2, 9)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.due_at(naive, 1, WD)
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.working_time_between(naive, at(2026, 3, 3))
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.due_at(at(2026, 3, 2), 1, WD, pauses=[(naive, at(2026, 3, 3))])


def test_leaving_the_horizon_raises_outside_calendar() -> None:
    short = WorkingCalendar(days_off=DAYS_OFF_2026, first_year=2026, last_year=2026)
    assert issubclass(OutsideCalendar, ValueError)
    with pytest.raises(OutsideCalendar):
        short.due_at(at(2026, 12, 20), 30, WD)
    with pytest.raises(OutsideCalendar):
        short.due_at(at(2025, 12, 31, 9), 1, WD)
    with pytest.raises(OutsideCalendar):
        short.due_at(at(2026, 12, 31, 18), 0, WD)
    with pytest.raises(OutsideCalendar):
        short.subtract_working_time(at(2026, 1, 2, 9), timedelta(hours=8))
    with pytest.raises(OutsideCalendar):
        short.is_working_day(date(2027, 1, 1))
    assert short.due_at(at(2026, 12, 30, 9), 1, WD) == at(2026, 12, 31, 9)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 2), True),
        (date(2026, 3, 7), False),
        (date(2026, 2, 18), False),
        (date(2026, 8, 22), True),
        (date(2026, 8, 31), False),
        (date(2026, 4, 27), False),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert CALENDAR.is_working_day(day) is expected


def test_is_working_time_excludes_closing_instants() -> None:
    assert CALENDAR.is_working_time(at(2026, 3, 2, 7, 30))
    assert not CALENDAR.is_working_time(at(2026, 3, 2, 11, 30))
    assert not CALENDAR.is_working_time(at(2026, 3, 7, 9))


def test_custom_working_hours_define_the_working_day() -> None:
    mornings = WorkingCalendar(hours=WorkingHours(periods=((time(8), time(12)),)), first_year=2026, last_year=2026)
    assert mornings.working_day == timedelta(hours=4)
    assert mornings.due_at(at(2026, 3, 2, 8), 1, WD) == at(2026, 3, 2, 12)
    assert mornings.due_at(at(2026, 3, 2, 13), Decimal("0.5"), WD) == at(2026, 3, 3, 10)
    assert mornings.due_at(at(2026, 3, 2, 9), 1, CD) == at(2026, 3, 3, 12)


def test_custom_weekend() -> None:
    six_days = WorkingCalendar(weekend=frozenset({6}), first_year=2026, last_year=2026)
    assert six_days.clock_start(at(2026, 3, 7, 9)) == at(2026, 3, 7, 9)


@pytest.mark.parametrize(
    ("amount", "unit", "error"),
    [
        (-1, WD, ValueError),
        (Decimal("-0.5"), WH, ValueError),
        (float("nan"), WD, ValueError),
        (float("inf"), WH, ValueError),
        (True, WD, TypeError),
        ("3", WD, TypeError),
        (1, "fortnights", ValueError),
    ],
)
def test_bad_durations_are_rejected(amount: object, unit: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        CALENDAR.due_at(at(2026, 3, 2, 9), amount, unit)  # type: ignore[arg-type]


def test_plain_strings_are_accepted_as_units() -> None:
    assert CALENDAR.due_at(at(2026, 3, 2, 7, 30), 1, "working_days") == at(2026, 3, 2, 17)  # type: ignore[arg-type]


def test_negative_timedeltas_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_time(at(2026, 3, 2, 9), -timedelta(hours=1))
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.subtract_working_time(at(2026, 3, 2, 9), -timedelta(hours=1))


def test_invalid_calendars_are_rejected() -> None:
    with pytest.raises(ValueError, match="both off and extra"):
        WorkingCalendar(days_off=[date(2026, 8, 22)], extra_working_days=[date(2026, 8, 22)])
    with pytest.raises(ValueError, match="overlap"):
        WorkingHours(periods=((time(8), time(12)), (time(11), time(17))))
    with pytest.raises(ValueError, match="end after"):
        WorkingHours(periods=((time(12), time(8)),))
    with pytest.raises(ValueError, match="first_year"):
        WorkingCalendar(first_year=2030, last_year=2020)
    with pytest.raises(ValueError, match="Weekend"):
        WorkingCalendar(weekend=frozenset({7}))


def test_calendar_is_immutable() -> None:
    with pytest.raises(AttributeError):
        CALENDAR._opens = ()
    assert "2020-2035" in repr(CALENDAR)
