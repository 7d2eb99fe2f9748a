"""The calendar's version row: each process's cached calendars follow edits made anywhere."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from motcua.agencies.calendar import calendar_day_remove, calendar_day_set, calendar_horizon, deployment_calendar
from motcua.agencies.calendar_models import CalendarDay, CalendarVersion
from motcua.core.exceptions import ValidationFailed
from motcua.core.working_time import DurationUnit
from tests.factories import row_counts

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WD = DurationUnit.WORKING_DAYS


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=VN)


def stamp() -> uuid.UUID:
    return CalendarVersion.objects.get(pk=CalendarVersion.SINGLETON).stamp


def test_migrations_create_the_one_version_row() -> None:
    assert list(CalendarVersion.objects.values_list("pk", flat=True)) == [1]


def test_every_edit_gives_a_new_stamp() -> None:
    before = stamp()
    calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off", name="Ngày nghỉ của tỉnh")
    after_set = stamp()
    calendar_day_remove(actor=None, date=date(2026, 3, 3))
    after_remove = stamp()
    assert len({before, after_set, after_remove}) == 3


def test_a_refused_edit_keeps_the_stamp() -> None:
    before, counts = stamp(), row_counts()
    with pytest.raises(ValidationFailed):
        calendar_day_set(actor=None, date=date(2026, 3, 1), kind="day_off")  # a Sunday
    assert stamp() == before
    assert row_counts() == counts


def test_an_edit_committed_by_another_process_shows_in_the_next_due_time() -> None:
    start = at(2, 8)  # Monday
    assert deployment_calendar().due_at(start, 2, WD) == at(4, 8)
    # What another process's calendar_day_set leaves in the database; this process is not told.
    CalendarDay.objects.create(date=date(2026, 3, 3), kind="day_off", source="admin")
    assert deployment_calendar().due_at(start, 2, WD) == at(4, 8)  # same stamp: the cached calendar
    CalendarVersion.objects.filter(pk=CalendarVersion.SINGLETON).update(stamp=uuid.uuid4())
    assert deployment_calendar().due_at(start, 2, WD) == at(5, 8)


def test_a_rolled_back_edit_leaves_the_calendar_as_it_was() -> None:
    start = at(2, 8)
    before = stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off")
        assert deployment_calendar().due_at(start, 2, WD) == at(5, 8)
        raise RuntimeError("rolled back")
    assert stamp() == before
    assert deployment_calendar().due_at(start, 2, WD) == at(4, 8)


def test_a_missing_version_row_is_made_again_by_the_next_edit() -> None:
    CalendarVersion.objects.all().delete()  # as after a test database flush
    start = at(2, 8)
    assert deployment_calendar().due_at(start, 2, WD) == at(4, 8)
    calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off")
    assert CalendarVersion.objects.count() == 1
    assert deployment_calendar().due_at(start, 2, WD) == at(5, 8)


def test_the_horizon_follows_the_rows_of_any_agency() -> None:
    assert calendar_horizon() == (date(2020, 1, 1), date(2035, 12, 31))
    # Rows outside the default years widen the horizon once the version changes (another process).
    CalendarDay.objects.create(date=date(2037, 5, 4), kind="day_off", source="admin")
    CalendarVersion.objects.filter(pk=CalendarVersion.SINGLETON).update(stamp=uuid.uuid4())
    assert calendar_horizon() == (date(2020, 1, 1), date(2037, 12, 31))
