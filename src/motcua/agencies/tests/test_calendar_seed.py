"""Seeding the calendar from `holidays`, reading it back as a WorkingCalendar, and editing it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import translation

from motcua.agencies.calendar import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    SeedReport,
    calendar_day_remove,
    calendar_day_set,
    calendar_days_of_year,
    calendar_seed,
    deployment_calendar,
    official_calendar_days,
    working_hours_from_text,
)
from motcua.agencies.calendar_models import CalendarDay
from motcua.core.exceptions import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.core.working_time import DurationUnit
from tests.factories import row_counts

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WD = DurationUnit.WORKING_DAYS

# What holidays 0.109 gives for 2026 (Vietnamese names), days off on weekdays only.
DAYS_OFF_2026 = [
    (date(2026, 1, 1), "Tết Dương lịch"),
    (date(2026, 2, 16), "Giao thừa Tết Nguyên Đán"),
    (date(2026, 2, 17), "Tết Nguyên Đán"),
    (date(2026, 2, 18), "Mùng hai Tết Nguyên Đán"),
    (date(2026, 2, 19), "Mùng ba Tết Nguyên Đán"),
    (date(2026, 2, 20), "Mùng bốn Tết Nguyên Đán"),
    (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),  # 10/3 lunar is Sunday 26/04
    (date(2026, 4, 30), "Ngày Chiến thắng"),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
    (date(2026, 9, 1), "Quốc khánh"),
    (date(2026, 9, 2), "Quốc khánh"),
    (date(2026, 11, 24), "Ngày Văn hóa Việt Nam"),  # new from 2026 (Nghị quyết 80-NQ/TW)
]
EXTRA_WORKING_DAYS_2026 = [(date(2026, 8, 22), "Ngày làm bù cho ngày nghỉ 31/08/2026")]
# Make-up weekend days the package knows inside 2020-2035.
MAKE_UP_DAYS = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 8, 22)]
SEEDED_ROWS = 191  # 2020-2035 with holidays 0.109: 188 weekday days off + 3 make-up days


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def rows_of_2026() -> list[tuple[date, str, str, str]]:
    return list(
        CalendarDay.objects.filter(agency__isnull=True, date__year=2026)
        .order_by("date")
        .values_list("date", "kind", "name", "source")
    )


def expected_2026() -> list[tuple[date, str, str, str]]:
    days = [(day, "day_off", name, "seed") for day, name in DAYS_OFF_2026]
    days += [(day, "extra_working_day", name, "seed") for day, name in EXTRA_WORKING_DAYS_2026]
    return sorted(days)


# -- Seeding -------------------------------------------------------------------------------------


def test_the_migration_seeded_2026_exactly() -> None:
    assert rows_of_2026() == expected_2026()
    assert CalendarDay.objects.filter(agency__isnull=True).count() == SEEDED_ROWS
    assert sorted(CalendarDay.objects.filter(kind="extra_working_day").values_list("date", flat=True)) == MAKE_UP_DAYS


def test_official_days_of_2026_from_the_package() -> None:
    days = official_calendar_days(2026, 2026)
    assert [(d.date, d.kind) for d in days] == [(day, kind) for day, kind, _name, _source in expected_2026()]
    assert all(d.date.weekday() < 5 for d in days if d.kind == "day_off")
    assert all(d.date.weekday() >= 5 for d in days if d.kind == "extra_working_day")


def test_seeding_again_changes_nothing_and_writes_no_audit() -> None:
    before = row_counts()
    first = calendar_seed(actor=None)
    second = calendar_seed(actor=None)
    assert first == second == SeedReport(unchanged=SEEDED_ROWS)
    assert row_counts() == before
    assert rows_of_2026() == expected_2026()


def test_seeding_an_empty_table_creates_every_day_once_and_audits() -> None:
    CalendarDay.objects.all().delete()
    report = calendar_seed(actor=None, first_year=2026, last_year=2026)
    assert report == SeedReport(created=14)
    assert rows_of_2026() == expected_2026()
    entry = AuditEntry.objects.get(action="calendar_seed")
    assert entry.data == {
        "first_year": 2026,
        "last_year": 2026,
        "created": 14,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "kept_admin": 0,
    }
    assert calendar_seed(actor=None, first_year=2026, last_year=2026) == SeedReport(unchanged=14)
    assert CalendarDay.objects.count() == 14


def test_seeding_keeps_administrator_days_refreshes_and_drops_stale_seed_rows() -> None:
    calendar_day_set(actor=None, date=date(2026, 11, 24), kind="day_off", name="Quyết định của UBND tỉnh")
    CalendarDay.objects.filter(date=date(2026, 1, 1)).update(name="old name")
    CalendarDay.objects.create(date=date(2026, 3, 2), kind="day_off", name="gone from the package", source="seed")
    report = calendar_seed(actor=None, first_year=2026, last_year=2026)
    assert report == SeedReport(updated=1, unchanged=12, removed=1, kept_admin=1)
    assert CalendarDay.objects.get(date=date(2026, 11, 24)).name == "Quyết định của UBND tỉnh"
    assert CalendarDay.objects.get(date=date(2026, 1, 1)).name == "Tết Dương lịch"
    assert not CalendarDay.objects.filter(date=date(2026, 3, 2)).exists()


def test_seed_refuses_reversed_years_and_changes_nothing() -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed):
        calendar_seed(actor=None, first_year=2027, last_year=2026)
    assert row_counts() == before


# -- Worked cases through the database calendar ---------------------------------------------------


def test_friday_before_tet_plus_three_working_days() -> None:
    assert deployment_calendar().due_at(at(2026, 2, 13, 16), 3, WD) == at(2026, 2, 25, 16)


def test_friday_before_tet_after_the_cutoff() -> None:
    assert deployment_calendar().due_at(at(2026, 2, 13, 16), 3, WD, cutoff=time(15)) == at(2026, 2, 25, 17)


def test_national_day_with_the_make_up_saturday() -> None:
    calendar = deployment_calendar()
    assert calendar.due_at(at(2026, 8, 28, 10), 2, WD) == at(2026, 9, 4, 10)
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))


def test_the_calendar_covers_the_seeded_years() -> None:
    calendar = deployment_calendar()
    assert (calendar.first_day, calendar.last_day) == (date(DEFAULT_FIRST_YEAR, 1, 1), date(DEFAULT_LAST_YEAR, 12, 31))
    assert calendar.working_day == timedelta(hours=8)


# -- Cache and invalidation --------------------------------------------------------------------------


def test_the_calendar_is_built_once_and_then_costs_one_query(django_assert_num_queries) -> None:
    first = deployment_calendar()
    with django_assert_num_queries(1):
        assert deployment_calendar() is first


def test_setting_a_day_changes_the_next_due_time_without_restart() -> None:
    start = at(2026, 3, 2, 8)  # Monday
    assert deployment_calendar().due_at(start, 2, WD) == at(2026, 3, 4, 8)
    calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off", name="Ngày nghỉ của tỉnh")
    assert deployment_calendar().due_at(start, 2, WD) == at(2026, 3, 5, 8)
    calendar_day_remove(actor=None, date=date(2026, 3, 3))
    assert deployment_calendar().due_at(start, 2, WD) == at(2026, 3, 4, 8)


def test_renaming_a_day_also_refreshes_the_cache() -> None:
    first = deployment_calendar()
    calendar_day_set(actor=None, date=date(2026, 1, 1), kind="day_off", name="Tết Dương lịch 2026")
    assert deployment_calendar() is not first


def test_working_periods_come_from_the_setting(settings) -> None:
    settings.MOTCUA_WORKING_PERIODS = "08:00-12:00,13:30-17:30"
    calendar = deployment_calendar()
    assert calendar.working_day == timedelta(hours=8)
    assert calendar.due_at(at(2026, 3, 2, 7), 1, WD) == at(2026, 3, 2, 17, 30)


def test_working_periods_text() -> None:
    assert working_hours_from_text("07:30-11:30, 13:00-17:00").periods == (
        (time(7, 30), time(11, 30)),
        (time(13), time(17)),
    )
    for bad in ["", "07:30", "11:30-07:30", "7h30-11h30", "07:30-11:30,11:00-17:00"]:
        with pytest.raises(ImproperlyConfigured):
            working_hours_from_text(bad)


# -- Agency overrides ------------------------------------------------------------------------------


def test_an_agency_override_applies_to_its_subtree_only(province) -> None:
    tet_monday = date(2026, 2, 16)
    calendar_day_set(
        actor=None, date=tet_monday, kind="extra_working_day", name="Trực Tết", agency=province["department"]
    )
    assert deployment_calendar(province["department"]).is_working_day(tet_monday)
    assert deployment_calendar(province["unit"]).is_working_day(tet_monday)  # below the department
    assert not deployment_calendar(province["province"]).is_working_day(tet_monday)
    assert not deployment_calendar(province["commune_a"]).is_working_day(tet_monday)
    assert not deployment_calendar().is_working_day(tet_monday)


def test_the_deepest_override_wins(province) -> None:
    day = date(2026, 3, 6)  # Friday
    calendar_day_set(actor=None, date=day, kind="day_off", name="Tỉnh nghỉ", agency=province["province"])
    calendar_day_set(actor=None, date=day, kind="extra_working_day", name="Sở vẫn làm", agency=province["department"])
    assert not deployment_calendar(province["commune_b"]).is_working_day(day)
    assert deployment_calendar(province["unit"]).is_working_day(day)
    days = calendar_days_of_year(2026, province["unit"])
    assert [(d.kind, d.name, d.agency_code) for d in days if d.date == day] == [
        ("extra_working_day", "Sở vẫn làm", "H99.01")
    ]


# -- Edits: audit and validation -------------------------------------------------------------------


def test_setting_and_removing_a_day_are_audited() -> None:
    row = calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off", name="  Ngày nghỉ của tỉnh ")
    assert (row.kind, row.name, row.source, row.agency) == ("day_off", "Ngày nghỉ của tỉnh", "admin", None)
    calendar_day_remove(actor=None, date=date(2026, 3, 3))
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "object_type", "object_id", "data"))
    assert entries == [
        (
            "calendar_day_set",
            "agencies.CalendarDay",
            str(row.pk),
            {"date": "2026-03-03", "kind": "day_off", "name": "Ngày nghỉ của tỉnh", "agency": "", "before": None},
        ),
        (
            "calendar_day_remove",
            "agencies.CalendarDay",
            str(row.pk),
            {"date": "2026-03-03", "kind": "day_off", "name": "Ngày nghỉ của tỉnh", "source": "admin", "agency": ""},
        ),
    ]


def test_changing_a_seeded_day_records_what_it_was() -> None:
    calendar_day_set(actor=None, date=date(2026, 8, 22), kind="extra_working_day", name="Làm bù")
    entry = AuditEntry.objects.get(action="calendar_day_set")
    assert entry.data["before"] == {
        "kind": "extra_working_day",
        "name": "Ngày làm bù cho ngày nghỉ 31/08/2026",
        "source": "seed",
    }
    assert CalendarDay.objects.get(date=date(2026, 8, 22), agency__isnull=True).source == "admin"


ALREADY_WORKING = (
    "is a working day already: an extra working day must fall on a weekend or on a day off of the calendar above. "
    "To cancel a day off, remove it."
)


@pytest.mark.parametrize(
    ("day", "kind", "field", "message"),
    [
        (date(2026, 3, 4), "extra_working_day", "date", "04/03/2026 " + ALREADY_WORKING),
        # At deployment level a holiday is cancelled by removing it, not by an extra working day on top.
        (date(2026, 2, 17), "extra_working_day", "date", "17/02/2026 " + ALREADY_WORKING),
        (
            date(2026, 3, 8),
            "day_off",
            "date",
            "08/03/2026 is not a working day already: a day off must fall on a working day.",
        ),
        (
            date(2036, 1, 2),
            "day_off",
            "date",
            "2036-01-02 is outside the calendar (2020-01-01 to 2035-12-31); seed that year first.",
        ),
        (date(2026, 3, 4), "holiday", "kind", "Choose a day off or an extra working day."),
    ],
)
def test_refused_days_change_nothing(day: date, kind: str, field: str, message: str) -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed) as refused:
        calendar_day_set(actor=None, date=day, kind=kind, name="x")
    assert refused.value.details == {field: [message]}
    assert row_counts() == before


def test_a_name_too_long_is_refused() -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed) as refused:
        calendar_day_set(actor=None, date=date(2026, 3, 4), kind="day_off", name="x" * 201)
    assert refused.value.details == {"name": ["The name is at most 200 characters."]}
    assert row_counts() == before


def test_removing_a_day_that_is_not_set_is_refused(province) -> None:
    before = row_counts()
    with pytest.raises(ValidationFailed) as refused:
        calendar_day_remove(actor=None, date=date(2026, 3, 4))
    assert refused.value.details == {"date": ["There is no day off or extra working day on 04/03/2026 to remove."]}
    with pytest.raises(ValidationFailed):  # the deployment's day is not the agency's to remove
        calendar_day_remove(actor=None, date=date(2026, 2, 16), agency=province["commune_a"])
    assert row_counts() == before


def test_an_agency_day_off_on_a_make_up_saturday_is_accepted(province) -> None:
    calendar_day_set(
        actor=None, date=date(2026, 8, 22), kind="day_off", name="Không làm bù", agency=province["commune_a"]
    )
    assert not deployment_calendar(province["commune_a"]).is_working_day(date(2026, 8, 22))
    assert deployment_calendar().is_working_day(date(2026, 8, 22))


def test_a_rolled_back_day_does_not_linger_in_the_cache(time_machine) -> None:
    time_machine.move_to(datetime(2026, 3, 1, 9, tzinfo=VN), tick=False)  # every write gets the same timestamp
    start = at(2026, 3, 2, 8)
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=None, date=date(2026, 3, 3), kind="day_off")
        assert deployment_calendar().due_at(start, 2, WD) == at(2026, 3, 5, 8)
        raise RuntimeError("roll back")
    calendar_day_set(actor=None, date=date(2026, 3, 4), kind="day_off")  # same id, count and timestamp
    assert deployment_calendar().due_at(start, 2, WD) == at(2026, 3, 5, 8)
    assert deployment_calendar().is_working_day(date(2026, 3, 3))
