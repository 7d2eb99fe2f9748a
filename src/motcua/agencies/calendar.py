"""The deployment's working-time calendar: reads it from the database, seeds it, lets administrators edit it.

Arithmetic lives in ``motcua.core.working_time`` (pure); this module turns ``CalendarDay`` rows into a
``WorkingCalendar`` and owns every write to those rows.

Rules and sources:

* Public holidays and compensatory days off: Bộ luật Lao động 2019, điều 112; the yearly swaps of
  working days for civil servants (e.g. 2026: Monday 31/08 off, made up on Saturday 22/08) are decided
  each year by the Prime Minister / Ministry and tracked by the ``holidays`` package, which seeds them.
* Working time excludes days off; waiting for a supplement or a financial obligation pauses the
  clock (Nghị định 118/2025/NĐ-CP).
* A province or agency may decide its own days: an agency's rows override the deployment's for that
  agency and the agencies below it.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from motcua.agencies.calendar_models import CalendarDay, CalendarDayKind, CalendarDaySource, CalendarVersion
from motcua.agencies.models import Agency
from motcua.core.audit import audit
from motcua.core.exceptions import ValidationFailed
from motcua.core.working_time import (
    DEFAULT_TIMEZONE,
    DurationUnit,
    OutsideCalendar,
    Pause,
    WorkingCalendar,
    WorkingHours,
)

# Years the migration seeds; the calendar horizon grows when rows exist outside them.
DEFAULT_FIRST_YEAR = 2020
DEFAULT_LAST_YEAR = 2035
NAME_MAX_LENGTH = 200
LOCAL_TZ = ZoneInfo(DEFAULT_TIMEZONE)


# -- Official days from the holiday library ------------------------------------------------------


@dataclass(frozen=True)
class OfficialDay:
    date: date
    kind: str
    name: str


def official_calendar_days(first_year: int, last_year: int) -> list[OfficialDay]:
    """Vietnam's days off on weekdays and make-up working Saturdays/Sundays, from ``holidays``.

    Days off: every public holiday (Bộ luật Lao động 2019 điều 112), compensatory day ("nghỉ bù") and
    swapped day off that falls Monday-Friday; holidays on a weekend change nothing by themselves, their
    compensatory day is listed. Make-up working days: the package's ``weekend_workdays`` (the weekend
    day worked in exchange for a swapped day off, e.g. Saturday 2026-08-22 for Monday 2026-08-31).
    Pure apart from the library: the data migration calls it too.
    """
    import holidays  # imported here: only seeding needs it

    if first_year > last_year:
        raise ValueError("first_year must not be after last_year.")
    vietnam = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    days: dict[date, OfficialDay] = {}
    for day, name in sorted(vietnam.items()):
        if day.weekday() < 5:
            days[day] = OfficialDay(day, CalendarDayKind.DAY_OFF, name[:NAME_MAX_LENGTH])
    # Older releases of the package have no weekend_workdays; it also keeps swaps of neighbouring years.
    for day in sorted(getattr(vietnam, "weekend_workdays", ())):
        if first_year <= day.year <= last_year and day.weekday() >= 5:
            days[day] = OfficialDay(day, CalendarDayKind.EXTRA_WORKING_DAY, _make_up_name(day, vietnam))
    return [days[day] for day in sorted(days)]


def _make_up_name(day: date, vietnam: Any) -> str:
    # The swapped day off is named "Ngày nghỉ (thay cho ngày 22/08/2026)": find it to name both ends.
    stamp = day.strftime("%d/%m/%Y")
    swapped = sorted(off for off, name in vietnam.items() if stamp in name)
    if swapped:
        return f"Ngày làm bù cho ngày nghỉ {swapped[0]:%d/%m/%Y}"
    return "Ngày làm bù"


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_admin: int = 0  # dates an administrator has set: the seed leaves them alone

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def seed_official_days(model: type[models.Model], *, first_year: int, last_year: int) -> SeedReport:
    """Make the deployment rows of ``first_year``..``last_year`` mirror ``official_calendar_days``.

    ``model`` is ``CalendarDay`` or its historical version in a data migration. Rows an administrator
    set are kept; "seed" rows the library no longer lists are removed; a second run changes nothing.
    Stamping the ``CalendarVersion`` row is the caller's job (``calendar_seed`` does it).
    """
    manager: Any = model._default_manager
    wanted = {day.date: day for day in official_calendar_days(first_year, last_year)}
    existing = {
        row.date: row
        for row in manager.filter(
            agency__isnull=True, date__gte=date(first_year, 1, 1), date__lte=date(last_year, 12, 31)
        )
    }
    report = SeedReport()
    new_rows = []
    for day, official in wanted.items():
        row = existing.get(day)
        if row is None:
            new_rows.append(model(date=day, kind=official.kind, name=official.name, source=CalendarDaySource.SEED))
        elif row.source != CalendarDaySource.SEED:
            report.kept_admin += 1
        elif (row.kind, row.name) != (official.kind, official.name):
            row.kind, row.name = official.kind, official.name
            row.save(update_fields=["kind", "name", "updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1
    manager.bulk_create(new_rows)
    report.created = len(new_rows)
    stale = [row.pk for day, row in existing.items() if day not in wanted and row.source == CalendarDaySource.SEED]
    if stale:
        manager.filter(pk__in=stale).delete()
    report.removed = len(stale)
    return report


# -- Reading the calendar --------------------------------------------------------------------------


@lru_cache(maxsize=8)
def working_hours_from_text(text: str) -> WorkingHours:
    """Parse "07:30-11:30,13:00-17:00" (the ``MOTCUA_WORKING_PERIODS`` setting)."""
    try:
        periods = []
        for part in text.split(","):
            start, end = part.split("-")
            periods.append((time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        return WorkingHours(tuple(periods))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"MOTCUA_WORKING_PERIODS={text!r} is not like '07:30-11:30,13:00-17:00': {exc}"
        ) from exc


def working_hours() -> WorkingHours:
    return working_hours_from_text(getattr(settings, "MOTCUA_WORKING_PERIODS", "07:30-11:30,13:00-17:00"))


_Version = tuple[Any, ...]
_cache_lock = threading.Lock()
_cache_version: _Version | None = None
_cache: dict[str, Any] = {}  # "horizon" and one calendar per agency, all of _cache_version
HORIZON = "horizon"


def calendar_stamp_sql() -> str:
    """A scalar subquery giving the calendar's freshness stamp (NULL while the row does not exist), for
    a caller that reads it within a statement of its own and passes it to ``deployment_calendar``."""
    table = connection.ops.quote_name(CalendarVersion._meta.db_table)
    return f"(SELECT stamp FROM {table} WHERE id = {int(CalendarVersion.SINGLETON)})"


_UNREAD = object()


def _calendar_version(stamp: Any = _UNREAD) -> _Version:
    """The version the cached calendars must match: the stamp of the ``CalendarVersion`` row (one read by
    primary key, unless the caller read it; None while the row does not exist, e.g. after a test flush)
    and the working periods."""
    if stamp is _UNREAD:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {calendar_stamp_sql()}")
            (stamp,) = cursor.fetchone()
    return (stamp, getattr(settings, "MOTCUA_WORKING_PERIODS", ""))


def _cached(version: _Version, key: str, build: Callable[[], Any]) -> Any:
    """``build()``, kept in this process while the calendar version stays ``version``."""
    global _cache_version
    with _cache_lock:
        if version != _cache_version:
            _cache.clear()
            _cache_version = version
        cached = _cache.get(key)
    if cached is not None:
        return cached
    value = build()
    with _cache_lock:
        if version == _cache_version:
            _cache[key] = value
    return value


def _read_horizon() -> tuple[int, int]:
    stats = CalendarDay.objects.aggregate(first=Min("date"), last=Max("date"))
    first, last = stats["first"], stats["last"]
    return (
        min(DEFAULT_FIRST_YEAR, first.year) if first else DEFAULT_FIRST_YEAR,
        max(DEFAULT_LAST_YEAR, last.year) if last else DEFAULT_LAST_YEAR,
    )


def _horizon(version: _Version) -> tuple[int, int]:
    """First and last year of the calendar: the default years, widened by any row outside them."""
    horizon: tuple[int, int] = _cached(version, HORIZON, _read_horizon)
    return horizon


def _lineage(agency: Agency | None) -> list[int]:
    """Primary keys from the root down to ``agency`` (its materialised path "/1/7/42/")."""
    return [] if agency is None else agency.lineage


@dataclass(frozen=True)
class EffectiveDay:
    date: date
    kind: str
    name: str
    agency_code: str | None  # None: decided for the whole deployment
    source: str


def effective_days(
    agency: Agency | None = None, *, first: date | None = None, last: date | None = None
) -> dict[date, EffectiveDay]:
    """The rows that apply to ``agency``: deployment rows overridden by its ancestors', then its own."""
    lineage = _lineage(agency)
    condition = Q(agency__isnull=True) | Q(agency_id__in=lineage)
    if first is not None:
        condition &= Q(date__gte=first)
    if last is not None:
        condition &= Q(date__lte=last)
    depth = {agency_id: index for index, agency_id in enumerate(lineage)}
    rows = sorted(
        CalendarDay.objects.filter(condition).values_list(
            "date", "kind", "name", "agency_id", "agency__code", "source"
        ),
        key=lambda row: -1 if row[3] is None else depth[row[3]],
    )
    return {row[0]: EffectiveDay(row[0], row[1], row[2], row[4], row[5]) for row in rows}


def _build_calendar(agency: Agency | None, version: _Version) -> WorkingCalendar:
    days = effective_days(agency).values()
    first_year, last_year = _horizon(version)
    return WorkingCalendar(
        days_off=[day.date for day in days if day.kind == CalendarDayKind.DAY_OFF],
        extra_working_days=[day.date for day in days if day.kind == CalendarDayKind.EXTRA_WORKING_DAY],
        hours=working_hours(),
        tz=LOCAL_TZ,
        first_year=first_year,
        last_year=last_year,
    )


def _forget_calendars() -> None:
    """Drop this process's calendars (the new stamp would make them unused anyway; this frees them now)."""
    global _cache_version
    with _cache_lock:
        _cache.clear()
        _cache_version = None


def _calendar_changed() -> None:
    """Give the version row a new stamp, in the transaction of the write to ``CalendarDay`` that calls this.

    Every process reads the stamp before each due time, so the edit shows in the next due time computed
    anywhere once the transaction commits; a rolled-back edit leaves the old stamp, which still matches
    the old rows.
    """
    stamp = uuid.uuid4()
    if not CalendarVersion.objects.filter(pk=CalendarVersion.SINGLETON).update(stamp=stamp):
        CalendarVersion.objects.update_or_create(pk=CalendarVersion.SINGLETON, defaults={"stamp": stamp})
    _forget_calendars()


def deployment_calendar(agency: Agency | None = None, *, stamp: Any = _UNREAD) -> WorkingCalendar:
    """The working calendar of the deployment, or of ``agency`` with its and its ancestors' overrides.

    Built once per process and calendar version: each call costs one read of the version row by primary
    key (none when the caller read ``stamp`` with ``calendar_stamp_sql()`` in its own statement), and a
    day changed by an administrator (in any process) shows in the next call, with no restart.
    """
    version = _calendar_version(stamp)
    key = f"{agency.pk}:{agency.path}" if agency is not None else ""
    calendar: WorkingCalendar = _cached(version, key, lambda: _build_calendar(agency, version))
    return calendar


def calendar_days_of_year(year: int, agency: Agency | None = None) -> list[EffectiveDay]:
    """Days off and extra working days that apply to ``agency`` (or the deployment) in ``year``."""
    days = effective_days(agency, first=date(year, 1, 1), last=date(year, 12, 31))
    return [days[day] for day in sorted(days)]


def calendar_horizon() -> tuple[date, date]:
    """First and last day for which the calendar knows days off (due times can be computed)."""
    first_year, last_year = _horizon(_calendar_version())
    return date(first_year, 1, 1), date(last_year, 12, 31)


# -- Due times --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueTime:
    start: datetime
    clock_start: datetime
    due_at: datetime
    unit: DurationUnit
    amount: Decimal


# A time of day, then " 07:00" where "+07:00" was meant.
_SPACED_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is local time (Asia/Ho_Chi_Minh).

    A "+07:00" offset that arrives as " 07:00" (an unescaped "+" in a query string) is read as "+07:00".
    """
    given = text.strip()
    text = _SPACED_OFFSET.sub(r"\1+\2", given)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            _("“%(value)s” is not a date and time like 2026-02-13T16:00:00+07:00.") % {"value": given}
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)


def parse_pause(text: str) -> Pause:
    """A pause written "START/END" with two ISO 8601 date-times."""
    start, separator, end = text.partition("/")
    if not separator:
        raise ValueError(_("A pause is written START/END, e.g. 2026-03-02T08:00:00+07:00/2026-03-04T08:00:00+07:00."))
    return parse_moment(start), parse_moment(end)


def due_time_compute(
    *,
    start: datetime,
    amount: Decimal,
    unit: DurationUnit | str,
    cutoff: time | None = None,
    pauses: Sequence[Pause] = (),
    agency: Agency | None = None,
) -> DueTime:
    """The due time ("ngày hẹn trả") of a dossier received at ``start`` on the deployment calendar.

    Working time skips days off and counts make-up days (Bộ luật Lao động 2019 điều 112); ``pauses``
    do not count (Nghị định 118/2025/NĐ-CP). Bad input raises ``ValidationFailed`` naming the field.
    """
    unit = DurationUnit(unit)
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed(_("The duration must not be negative."), details={unit.value: [_("Must be 0 or more.")]})
    if unit == DurationUnit.CALENDAR_DAYS and amount != amount.to_integral_value():
        raise ValidationFailed(
            _("Calendar-day durations are whole days."), details={unit.value: [_("Enter a whole number of days.")]}
        )
    for pause_start, pause_end in pauses:
        if pause_end < pause_start:
            message = _("The pause ends (%(end)s) before it starts (%(start)s).") % {
                "end": pause_end.isoformat(),
                "start": pause_start.isoformat(),
            }
            raise ValidationFailed(message, details={"pause": [message]})
    calendar = deployment_calendar(agency)
    try:
        clock_start = calendar.clock_start(start, cutoff)
        due = calendar.due_at(start, amount, unit, cutoff=cutoff, pauses=pauses)
    except OutsideCalendar as exc:
        message = _("The due time cannot be computed: %(error)s") % {"error": exc}
        raise ValidationFailed(message, details={"start": [message]}) from exc
    return DueTime(start=start, clock_start=clock_start, due_at=due, unit=unit, amount=amount)


# -- Writes -------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_seed(
    *, actor: Any, first_year: int = DEFAULT_FIRST_YEAR, last_year: int = DEFAULT_LAST_YEAR
) -> SeedReport:
    """Seed the deployment calendar for ``first_year``..``last_year`` from the ``holidays`` package.

    Public holidays and compensatory days off (Bộ luật Lao động 2019 điều 112) falling on weekdays become
    days off; the make-up working weekends of the yearly swaps become extra working days. Idempotent:
    a second run changes nothing; days an administrator set are never overwritten.
    """
    if first_year > last_year:
        raise ValidationFailed(_("The first year must not be after the last year."))
    report = seed_official_days(CalendarDay, first_year=first_year, last_year=last_year)
    if report.changed:
        _calendar_changed()
        audit(
            actor=actor,
            action="calendar_seed",
            object_type="agencies.CalendarDay",
            summary=f"{first_year}-{last_year}: created {report.created}, updated {report.updated}, "
            f"removed {report.removed}",
            data={"first_year": first_year, "last_year": last_year, **asdict(report)},
        )
    return report


def _inherited_is_working(day: date, agency: Agency | None) -> bool:
    """Whether ``day`` is a working day before the row being set at this level (weekday rule or parent)."""
    if agency is None:
        return day.weekday() < 5
    parent = Agency.objects.filter(pk=agency.parent_id).first() if agency.parent_id else None
    return deployment_calendar(parent).is_working_day(day)


def _check_inside_horizon(day: date) -> None:
    first, last = calendar_horizon()
    if not first <= day <= last:
        message = _("%(date)s is outside the calendar (%(first)s to %(last)s); seed that year first.") % {
            "date": day.isoformat(),
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
        raise ValidationFailed(message, details={"date": [message]})


def _agency_label(agency: Agency | None) -> str:
    return agency.code if agency is not None else ""


@transaction.atomic
def calendar_day_set(*, actor: Any, date: date, kind: str, name: str = "", agency: Agency | None = None) -> CalendarDay:
    """Mark ``date`` as a day off or an extra working day, for the deployment or for one agency.

    A province or agency may decide its own days off and make-up days beyond those of Bộ luật Lao động
    2019 điều 112. Refused (nothing written): an unknown kind, a date outside the calendar, an extra
    working day on a day that is already a working day (e.g. a normal weekday), a day off on a day that
    is already not a working day (e.g. a Sunday). The next due time computed uses the new day.
    """
    day = date
    name = name.strip()
    if kind not in CalendarDayKind.values:
        message = _("Choose a day off or an extra working day.")
        raise ValidationFailed(message, details={"kind": [message]})
    if len(name) > NAME_MAX_LENGTH:
        message = _("The name is at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}
        raise ValidationFailed(message, details={"name": [message]})
    _check_inside_horizon(day)
    working = _inherited_is_working(day, agency)
    if kind == CalendarDayKind.EXTRA_WORKING_DAY and working:
        message = _(
            "%(date)s is a working day already: an extra working day must fall on a weekend or on a day off of "
            "the calendar above. To cancel a day off, remove it."
        ) % {"date": day.strftime("%d/%m/%Y")}
        raise ValidationFailed(message, details={"date": [message]})
    if kind == CalendarDayKind.DAY_OFF and not working:
        message = _("%(date)s is not a working day already: a day off must fall on a working day.") % {
            "date": day.strftime("%d/%m/%Y")
        }
        raise ValidationFailed(message, details={"date": [message]})

    row = CalendarDay.objects.select_for_update().filter(agency=agency, date=day).first()
    before = {"kind": row.kind, "name": row.name, "source": row.source} if row else None
    if row is None:
        row = CalendarDay.objects.create(date=day, kind=kind, name=name, agency=agency, source=CalendarDaySource.ADMIN)
    else:
        row.kind, row.name, row.source = kind, name, CalendarDaySource.ADMIN
        row.save(update_fields=["kind", "name", "source", "updated_at"])
    _calendar_changed()
    audit(
        actor=actor,
        action="calendar_day_set",
        obj=row,
        summary=f"{day.isoformat()} {kind} {_agency_label(agency)}".strip(),
        data={"date": day.isoformat(), "kind": kind, "name": name, "agency": _agency_label(agency), "before": before},
    )
    return row


@transaction.atomic
def calendar_day_remove(*, actor: Any, date: date, agency: Agency | None = None) -> None:
    """Remove the day off or extra working day set on ``date`` for the deployment or for ``agency``.

    The date falls back to the parent calendar (for an agency) or to the weekday rule. Removing a day
    seeded from the holiday library (Bộ luật Lao động 2019 điều 112) is allowed; seeding again restores it.
    """
    day = date
    row = CalendarDay.objects.select_for_update().filter(agency=agency, date=day).first()
    if row is None:
        message = _("There is no day off or extra working day on %(date)s to remove.") % {
            "date": day.strftime("%d/%m/%Y")
        }
        raise ValidationFailed(message, details={"date": [message]})
    removed = {"date": day.isoformat(), "kind": row.kind, "name": row.name, "source": row.source}
    row_id = str(row.pk)
    row.delete()
    _calendar_changed()
    audit(
        actor=actor,
        action="calendar_day_remove",
        object_type="agencies.CalendarDay",
        object_id=row_id,
        summary=f"{day.isoformat()} {removed['kind']} {_agency_label(agency)}".strip(),
        data={**removed, "agency": _agency_label(agency)},
    )
