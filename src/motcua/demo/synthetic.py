"""A synthetic, reproducible dossier history across the existing province, written in bulk.

``synthetic_seed(dossiers=N, seed=S)`` fills the dossier tables with N dossiers received over the ~18
months before ``until`` (default: now) at the agencies, offerings, staff and processes already in the
database (run it after ``load_demo`` or the test factories). The same database, N, S and ``until`` give
the same rows: one ``random.Random(S)`` drives everything, in a fixed order.

What the history looks like (the shares are ``Shares``):

* channels ≈ 65 % online (offerings whose procedure is online), 30 % at the desk, 5 % by post; desk
  and postal dossiers arrive in working hours, online ones at any hour of any day, and the desk
  receives them within a few working hours; a few online ones are refused at reception;
* each received dossier follows the process of its offering (``process_ensure``: the one in force, or
  the default one generated from the procedure's time) step by step: forward, sometimes to the unit's
  pool and taken from it, approve or (rarely) reject, issue the result, return it; on the way a few ask
  for one supplement (some never answered), for a financial obligation, consult another agency, are
  stopped or withdrawn; ≈ 7 % finish after their due time and half of those were re-dated once by an
  apology sent before the at-risk time (``original_due_at`` keeps the first due time);
* every action is a ``DossierEvent`` with the state after it (status, national status, due time,
  step, step due time, holder, assignee), exactly as ``workflow.writer`` would record it, its status
  given by the transition table ``workflow.writer`` obeys (``Life.emit``; the demo's tests replay every
  dossier against it: ``demo/tests/test_synthetic_rules.py``), and the
  history stops at ``until``: dossiers received lately are still open, at every step;
* due and at-risk times come from the competent agency's calendar (``deployment_calendar(agency)
  .due_at`` / ``.at_risk_from``, with the procedure's amount, unit and cut-off read once per offering);
  event times and step deadlines use a table of the same calendar's working periods (``Timeline``);
* codes ``<agency>-<YYMMDD>-<NNNN>`` continue each receiving agency's day counter, and the
  ``DossierCounter`` rows are raised to the last number used, so later real dossiers never collide;
* the daily and monthly counts reports read (``DossierDayStat``, ``DossierMonthStat``) grow by the events' counts as
  ``workflow.stats.stat_deltas`` gives them, the function the writer uses: they stay equal to a rebuild
  from the event log;
* nobody holds more than ``inbox_cap`` open dossiers (a person's own inbox stays human-sized; the
  rest wait in the unit's pool, as when a leader has not yet shared the work out).

This is the one writer of dossiers besides ``workflow.writer``: like a data migration, it inserts rows
directly (PostgreSQL: ``COPY``; other databases: ``bulk_create``) in one transaction per batch of days,
with the foreign keys checked.
Synthetic applicants have no accounts; no result documents (``DossierResult``) or files are made.
"""

from __future__ import annotations

import bisect
import functools
import gc
import json
import queue
import random
import threading
import time as clock
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, JSONField, Q
from django.utils import timezone

from motcua.agencies.calendar import deployment_calendar
from motcua.agencies.models import Agency, Desk
from motcua.catalog.constants import OnlineMode, TimeUnit
from motcua.catalog.models import Offering, RequiredDocument
from motcua.catalog.processes import StepPlan, process_ensure, process_steps
from motcua.core.working_time import DurationUnit, WorkingCalendar
from motcua.documents.certification import certified_copy_procedure_codes
from motcua.documents.constants import CERTIFICATION_SECTOR_CODE
from motcua.dossiers.constants import NATIONAL_STATUS, ApplicantType, Channel, ReturnMethod, Status
from motcua.dossiers.models import Consultation, Dossier, DossierCounter, DossierEvent
from motcua.identity.constants import AccountKind, Role
from motcua.identity.models import RoleGrant
from motcua.workflow.constants import Action, Clock, ReturnVia
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat
from motcua.workflow.stats import stat_deltas
from motcua.workflow.transitions import PREVIOUS, SAME, TABLE, TransitionNotAllowed

WINDOW_DAYS = 548  # ≈ 18 months
HOUR = 3600
NOMINAL_HOURS = 40.0  # the span given to procedures without a fixed deadline


@dataclass(frozen=True)
class Shares:
    """How often things happen (fractions)."""

    online: float = 0.65
    desk: float = 0.30  # the rest is postal
    other_desk: float = 0.10  # desk dossiers received at another agency's desk (phi địa giới)
    refused: float = 0.02  # online dossiers refused at reception
    pool: float = 0.30  # forwarded to the unit's pool, then taken
    supplement: float = 0.05
    supplement_abandoned: float = 0.10  # of supplement requests: never answered
    payment: float = 0.04
    consult: float = 0.03
    stop: float = 0.01
    withdraw: float = 0.01
    reject: float = 0.03
    late: float = 0.07
    apology: float = 0.5  # of late dossiers without a pause
    uncollected: float = 0.02  # results left at the desk for weeks
    weekend_online: float = 0.25  # online submissions on a day off, relative to a working day


@dataclass
class SeedReport:
    dossiers: int = 0
    events: int = 0
    consultations: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    finished: int = 0
    late: int = 0
    redated: int = 0
    supplements: int = 0
    offerings: int = 0
    seconds: float = 0.0
    first_submitted: datetime | None = None
    last_submitted: datetime | None = None

    def lines(self) -> list[str]:
        total = max(self.dossiers, 1)
        rate = self.dossiers / self.seconds if self.seconds else 0.0
        open_count = sum(n for s, n in self.by_status.items() if s not in _CLOSED)
        rows = [
            f"synthetic history: {self.dossiers} dossiers, {self.events} events, {self.consultations} consultations "
            f"over {self.offerings} offerings in {self.seconds:.1f} s ({rate:,.0f} dossiers/s)",
            f"submitted from {self.first_submitted:%Y-%m-%d} to {self.last_submitted:%Y-%m-%d}"
            if self.first_submitted and self.last_submitted
            else "submitted: nothing",
            "channels: " + ", ".join(f"{c} {n} ({100 * n / total:.1f} %)" for c, n in sorted(self.by_channel.items())),
            "statuses: " + ", ".join(f"{s} {n}" for s, n in sorted(self.by_status.items(), key=lambda x: -x[1])),
            f"open: {open_count}; results finished: {self.finished}, of which late {self.late} "
            f"({100 * self.late / max(self.finished, 1):.1f} %); re-dated: {self.redated}; "
            f"supplements requested: {self.supplements}",
        ]
        return rows


_CLOSED = {Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED}
_NATIONAL = {str(k): int(v) for k, v in NATIONAL_STATUS.items()}


# -- Working time as epoch seconds -----------------------------------------------------------------


class Timeline:
    """The working periods of one calendar between two dates, as epoch seconds.

    ``pos`` maps an instant to working seconds elapsed since the first period (an instant outside
    working time counts from the next opening), ``at`` maps it back (closing side: Monday 07:30 plus
    one working day is Monday 17:00, as ``WorkingCalendar.add_working_time``), ``at_open`` resolves a
    boundary to the opening side. A bisection each: fast enough for millions of events.
    """

    def __init__(self, calendar: WorkingCalendar, first: date, last: date) -> None:
        tz = calendar.timezone
        self.tz = tz
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum: list[int] = [0]
        self.day_of_period: list[int] = []
        self.working_days: list[date] = []
        self.day_index: dict[date, int] = {}
        self.day_opening: list[int] = []
        day = max(first, calendar.first_day)
        last = min(last, calendar.last_day)
        while day <= last:
            if calendar.is_working_day(day):
                self.day_index[day] = len(self.working_days)
                self.working_days.append(day)
                for start, end in calendar.hours.periods:
                    s = int(datetime.combine(day, start, tz).timestamp())
                    e = int(datetime.combine(day, end, tz).timestamp())
                    if not self.day_of_period or self.day_of_period[-1] != len(self.working_days) - 1:
                        self.day_opening.append(s)
                    self.starts.append(s)
                    self.ends.append(e)
                    self.cum.append(self.cum[-1] + e - s)
                    self.day_of_period.append(len(self.working_days) - 1)
            day += timedelta(days=1)
        self.total = self.cum[-1]

    def pos(self, ts: int) -> int:
        i = bisect.bisect_right(self.starts, ts) - 1
        if i < 0:
            return 0
        if ts < self.ends[i]:
            return self.cum[i] + ts - self.starts[i]
        return self.cum[i + 1]

    def at(self, p: int) -> int:
        if p >= self.total:
            return self.ends[-1] + (p - self.total)  # past the table: only ever compared with "until"
        i = bisect.bisect_left(self.cum, p) - 1
        if i < 0:
            i = 0
        return self.starts[i] + p - self.cum[i]

    def at_open(self, p: int) -> int:
        if p >= self.total:
            return self.ends[-1] + (p - self.total)
        i = bisect.bisect_right(self.cum, p) - 1
        return self.starts[i] + p - self.cum[i]

    def day_of(self, ts: int) -> int:
        """Index (in ``working_days``) of the working day of an instant inside working time."""
        return self.day_of_period[max(bisect.bisect_right(self.starts, ts) - 1, 0)]

    def add(self, ts: int, seconds: int) -> int:
        return self.at(self.pos(ts) + (seconds if seconds > 0 else 1))

    def clock_start(self, ts: int, cutoff: dtime | None) -> int:
        """``WorkingCalendar.clock_start``: clamped into working time; after the cut-off on a working
        day, the next working day's opening."""
        if cutoff is not None:
            local = datetime.fromtimestamp(ts, self.tz)
            k = self.day_index.get(local.date())
            if k is not None and local.time() > cutoff and k + 1 < len(self.day_opening):
                return self.day_opening[k + 1]
        return self.at_open(self.pos(ts))

    def day_periods(self, day: date) -> list[tuple[int, int]]:
        k = self.day_index.get(day)
        if k is None:
            return []
        first = bisect.bisect_left(self.day_of_period, k)
        last = bisect.bisect_right(self.day_of_period, k)
        return list(zip(self.starts[first:last], self.ends[first:last], strict=True))


# -- The province as it is ----------------------------------------------------------------------


@dataclass
class Place:
    """One offering: the procedure version, the competent agency, its process and calendar."""

    procedure_id: int
    version_id: int
    online: bool
    amount: Decimal | None
    unit: str
    cutoff: dtime | None
    agency: Agency
    desk_id: int | None
    process_id: int
    steps: tuple[StepPlan, ...]
    calendar: WorkingCalendar
    timeline: Timeline
    # What the digitization indicators read: the version's documents (and those that may be taken from
    # the data store), whether the procedure is a certification, and a certified electronic copy.
    documents: int = 0
    reusable: int = 0
    certification: bool = False
    ecopy: bool = False
    # Due and at-risk times of a dossier whose clock starts at the opening of working day k, from the
    # calendar (``due_at``, ``at_risk_from``), computed once per day and offering.
    anchors: dict[int, tuple[int, int]] = field(default_factory=dict)

    def due_and_warn(self, start: int) -> tuple[int | None, int | None]:
        """The calendar's due and at-risk times for a clock start ``start`` (inside working time).

        Working-time units: the due time is the day's anchor moved by the working time between the
        day's opening and ``start`` (the calendar adds working time, so this is exact); calendar days:
        the due time depends on the start date only.
        """
        if self.amount is None:
            return None, None
        timeline = self.timeline
        k = timeline.day_of(start)
        anchor = self.anchors.get(k)
        if anchor is None:
            opening = datetime.fromtimestamp(timeline.day_opening[k], UTC)
            due = self.calendar.due_at(opening, self.amount, DurationUnit(self.unit), cutoff=self.cutoff)
            anchor = self.anchors[k] = (int(due.timestamp()), int(self.calendar.at_risk_from(due).timestamp()))
        if self.unit == TimeUnit.CALENDAR_DAYS:
            return anchor
        offset = timeline.pos(start) - timeline.pos(timeline.day_opening[k])
        return timeline.at(timeline.pos(anchor[0]) + offset), timeline.at_open(timeline.pos(anchor[1]) + offset)


class World:
    """What the generator reads once: offerings, desks, staff by (agency, role), calendars."""

    def __init__(self, *, agency_prefix: str, first: date, last: date) -> None:
        agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
        self.agencies = {a.pk: a for a in agencies}
        desks: dict[int, int] = {}
        for agency_id, desk_id in Desk.objects.filter(is_active=True).order_by("code").values_list("agency_id", "pk"):
            desks.setdefault(agency_id, desk_id)
        self.desks = desks
        self.desk_agencies = [a for a in agencies if a.pk in desks and a.code.startswith(agency_prefix)]
        self._grants = list(
            RoleGrant.objects.filter(
                role__in=[Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK],
                user__is_active=True,
                user__kind=AccountKind.STAFF,
            )
            .order_by("user__username", "role", "agency__code")
            .values_list("user_id", "role", "agency_id", "include_subagencies", "agency__path")
        )
        self._staff: dict[tuple[int, str], list[int]] = {}
        self._timelines: dict[tuple[frozenset[date], frozenset[date]], Timeline] = {}
        self._calendars: dict[int, WorkingCalendar] = {}
        self.first, self.last = first, last
        self.tz = deployment_calendar(None).timezone
        self.places = self._places(agency_prefix)

    def calendar(self, agency: Agency) -> WorkingCalendar:
        if agency.pk not in self._calendars:
            self._calendars[agency.pk] = deployment_calendar(agency)
        return self._calendars[agency.pk]

    def timeline(self, calendar: WorkingCalendar) -> Timeline:
        key = (calendar.days_off, calendar.extra_working_days)
        if key not in self._timelines:
            self._timelines[key] = Timeline(calendar, self.first, self.last)
        return self._timelines[key]

    def _places(self, prefix: str) -> list[Place]:
        offerings = (
            Offering.objects.filter(
                procedure__current_version__isnull=False, agency__is_active=True, agency__code__startswith=prefix
            )
            .select_related("procedure__current_version", "procedure__sector", "agency")
            .order_by("procedure__code", "agency__code")
        )
        documents = {
            row["version_id"]: (row["n"], row["reusable"])
            for row in RequiredDocument.objects.values("version_id")
            .annotate(n=Count("pk"), reusable=Count("pk", filter=Q(reusable=True)))
            .order_by()
        }
        places = []
        for offering in offerings:
            version = offering.procedure.current_version
            assert version is not None
            process = process_ensure(version=version, agency=offering.agency)
            calendar = self.calendar(offering.agency)
            no_deadline = version.time_unit == TimeUnit.NONE or version.time_amount is None
            places.append(
                Place(
                    procedure_id=offering.procedure_id,
                    version_id=version.pk,
                    online=version.online_mode != OnlineMode.NONE,
                    amount=None if no_deadline else version.time_amount,
                    unit=version.time_unit,
                    cutoff=version.cutoff,
                    agency=offering.agency,
                    desk_id=self.desks.get(offering.agency_id),
                    process_id=process.pk,
                    steps=process_steps(process.pk),
                    calendar=calendar,
                    timeline=self.timeline(calendar),
                    documents=documents.get(version.pk, (0, 0))[0],
                    reusable=documents.get(version.pk, (0, 0))[1],
                    certification=getattr(offering.procedure.sector, "code", "") == CERTIFICATION_SECTOR_CODE,
                    ecopy=offering.procedure.code in certified_copy_procedure_codes(),
                )
            )
        return places

    def staff(self, agency_id: int, role: str) -> list[int]:
        """Active staff holding ``role`` on the agency, directly or through a grant with sub-agencies."""
        key = (agency_id, role)
        if key not in self._staff:
            agency = self.agencies.get(agency_id)
            path = agency.path if agency else ""
            people = [
                user_id
                for user_id, grant_role, grant_agency, subtree, grant_path in self._grants
                if grant_role == role and (grant_agency == agency_id or (subtree and path.startswith(grant_path)))
            ]
            self._staff[key] = list(dict.fromkeys(people))
        return self._staff[key]

    def step_agency(self, place: Place, receiving_id: int, step: StepPlan) -> int:
        """As ``workflow.steps.step_agency``: desk steps where received, others in the unit or the
        competent agency."""
        if step.role == Role.DESK_OFFICER:
            return receiving_id
        return step.unit_id if step.unit_id is not None else place.agency.pk


# -- Applicants ------------------------------------------------------------------------------------

FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 2 + ["Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
FAMILY += ["Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Hoài", "Xuân", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh"]
GIVEN += ["Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn"]
GIVEN += ["Vy", "Yến", "Hiếu", "Hòa", "Lộc", "Nhung", "Oanh", "Tú"]
BUSINESS = ["Minh Phát", "Hoàng Long", "An Bình", "Thành Công", "Phú Quý", "Hải Đăng", "Việt Tiến", "Sao Mai"]
HAMLETS = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 5", "Khu 3"]
MISSING = ["Bản sao giấy tờ tùy thân", "Tờ khai có chữ ký", "Giấy xác nhận cư trú", "Bản vẽ sơ đồ thửa đất"]
STOP_REASONS = ["Không đủ điều kiện theo quy định", "Hồ sơ có dấu hiệu giả mạo giấy tờ"]
WITHDRAW_REASONS = ["Công dân xin rút hồ sơ", "Đã nộp hồ sơ ở nơi khác"]
REFUSE_REASONS = ["Thủ tục không thuộc thẩm quyền", "Thành phần hồ sơ không đúng quy định"]
REJECT_REASONS = ["Không đáp ứng điều kiện cấp", "Thông tin kê khai không chính xác"]
QUESTIONS = ["Đề nghị xác minh nơi cư trú", "Đề nghị cho ý kiến về hiện trạng"]
ANSWERS = ["Thống nhất nội dung", "Thông tin chính xác"]
APOLOGY = "Hồ sơ cần xác minh thêm; xin lỗi và hẹn lại ngày trả kết quả"


def _pick(rng: random.Random, items: list[str]) -> str:
    return items[int(rng.random() * len(items))]


def _person(rng: random.Random) -> tuple[str, str, str, str]:
    """(type, name, ID number, phone)."""
    draw = rng.random()
    r = rng.random
    phone = f"09{int(r() * 10**8):08d}"
    if draw < 0.90:
        name = f"{_pick(rng, FAMILY)} {_pick(rng, MIDDLE)} {_pick(rng, GIVEN)}"
        year = 1945 + int(r() * 63)
        century = (0 if year < 2000 else 2) + (r() < 0.5)
        province = "022" if r() < 0.8 else f"{1 + int(r() * 96):03d}"
        return ApplicantType.CITIZEN, name, f"{province}{century}{year % 100:02d}{int(r() * 10**6):06d}", phone
    if draw < 0.98:
        name = f"Công ty TNHH {_pick(rng, BUSINESS)} {1 + int(r() * 98)}"
        return ApplicantType.ENTERPRISE, name, f"57{int(r() * 10**8):08d}", phone
    name = f"Hợp tác xã {_pick(rng, BUSINESS)}"
    return ApplicantType.ORGANISATION, name, f"57{int(r() * 10**8):08d}", phone


# -- Rows ---------------------------------------------------------------------------------------------

DOSSIER_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "code",
    "procedure_id",
    "procedure_version_id",
    "receiving_agency_id",
    "desk_id",
    "competent_agency_id",
    "applicant_id",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "authorised_name",
    "authorised_id_number",
    "channel",
    "return_method",
    "return_address",
    "form_data",
    "status",
    "national_status",
    "submitted_at",
    "received_at",
    "due_at",
    "paused_at",
    "pauses",
    "closed_at",
    "finished_at",
    "warn_at",
    "original_due_at",
    "process_id",
    "step_position",
    "holder_agency_id",
    "holder_role",
    "assignee_id",
    "step_started_at",
    "step_due_at",
    "created_by_id",
    "idempotency_key",
    "case_code",
    "case_name",
]
EVENT_COLUMNS = [
    "dossier_id",
    "at",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "national_status",
    "note",
    "payload",
    "due_at",
    "step",
    "step_due_at",
    "holder_agency_id",
    "assignee_id",
]
CONSULTATION_COLUMNS = [
    "dossier_id",
    "agency_id",
    "question",
    "requested_at",
    "requested_by_id",
    "due_at",
    "answered_at",
    "answered_by_id",
    "answer",
]
_DATETIME_COLUMNS = {
    "created_at",
    "updated_at",
    "submitted_at",
    "received_at",
    "due_at",
    "paused_at",
    "closed_at",
    "finished_at",
    "warn_at",
    "original_due_at",
    "step_started_at",
    "step_due_at",
    "at",
    "requested_at",
    "answered_at",
}


@dataclass(frozen=True)
class Extra:
    """A column the generator does not know (added by a later migration), written with its default:
    ``text`` as COPY text, ``value`` as the driver takes it."""

    column: str
    text: str
    value: Any


def extra_columns(model: Any, known: list[str]) -> list[Extra]:
    """The model's columns missing from ``known``, each with the value a new row gets by default
    (``Field.get_default``: the field's default, else "" for text, else NULL). A later column that has
    none of them cannot be invented: it must be taught to the generator. A known column that is gone is
    an error too."""
    fields = {str(f.column): f for f in model._meta.concrete_fields}
    gone = sorted(set(known) - set(fields))
    if gone:
        raise RuntimeError(f"{model.__name__} columns gone: {gone}: update motcua/demo/synthetic.py")
    extras = []
    for column, f in fields.items():
        if column in known:
            continue
        default = f.get_default()  # the field's default, else "" for text fields, else None
        if default is None and not f.null:
            raise RuntimeError(
                f"{model.__name__}.{f.name} has no default and may not be NULL: teach it to motcua/demo/synthetic.py"
            )
        value = f.get_db_prep_save(default, connection)
        if default is None:
            text = _NULL
        elif isinstance(f, JSONField):
            text = _json(default).translate(_ESCAPES)
        elif isinstance(default, bool):
            text = "t" if default else "f"
        else:
            text = str(default).translate(_ESCAPES)
        extras.append(Extra(column, text, value))
    return extras


def check_columns() -> None:
    """The generator writes every column it knows; a new one must have a default (see ``extra_columns``)."""
    for model, columns in (
        (Dossier, DOSSIER_COLUMNS),
        (DossierEvent, ["id", *EVENT_COLUMNS]),
        (Consultation, ["id", *CONSULTATION_COLUMNS]),
    ):
        extra_columns(model, columns)


_DAY_TEXT: dict[int, str] = {}
_TIME_TEXT = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_TS_TEXT: dict[int | None, str] = {None: "\\N"}  # cleared after each batch


def _ts_text(ts: int | None) -> str:
    """An epoch second as COPY text (UTC); due times repeat across a dossier's events: cached."""
    text = _TS_TEXT.get(ts)
    if text is None:
        assert ts is not None
        day, second = divmod(ts, 86400)
        day_text = _DAY_TEXT.get(day)
        if day_text is None:
            day_text = _DAY_TEXT[day] = date.fromordinal(719163 + day).isoformat()
        text = _TS_TEXT[ts] = f"{day_text} {_TIME_TEXT[second]}+00"
    return text


def _db_value(column: str, value: Any) -> Any:
    """A value as the database driver takes it (datetimes through the backend's own adapter)."""
    if value is None or column not in _DATETIME_COLUMNS:
        return value
    return connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(value, UTC))


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- One dossier's life -----------------------------------------------------------------------------


@dataclass
class Batch:
    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)  # dossier_id: the index in ``dossiers``
    consultations: list[list[Any]] = field(default_factory=list)
    counters: dict[tuple[int, date], int] = field(default_factory=dict)
    # The daily counts reports read (``DossierDayStat``), as the writer's ``stat_upserts`` add them up:
    # (day, competent agency, receiving agency, procedure, channel) -> counter -> amount.
    stats: dict[tuple[date, int, int, int, str], dict[str, int]] = field(default_factory=dict)


@dataclass(slots=True)
class Life:
    """The fields ``workflow.writer`` keeps for one dossier, changed action by action, and its events."""

    index: int
    events: list[tuple[Any, ...]]
    status: str = ""
    due: int | None = None
    warn: int | None = None
    original_due: int | None = None
    paused: int | None = None
    pauses: list[list[str]] = field(default_factory=list)
    closed: int | None = None
    finished: int | None = None
    received: int | None = None
    process_id: int | None = None
    position: int | None = None
    holder: int | None = None
    holder_role: str = ""
    assignee: int | None = None
    step_started: int | None = None
    step_due: int | None = None
    last: int = 0
    before_pause: str = ""  # where a resume goes back to (the table's "previous" target)
    # Things that happen on their own clock (consultation answers, the apology): (at, kind, data).
    pending: list[tuple[int, str, Any]] = field(default_factory=list)

    def emit(self, action: str, at: int, actor: int | None, note: str = "", payload: str = "{}") -> None:
        """Record ``action`` and move the dossier to the status the transition table gives (the table
        ``workflow.writer``'s guard reads); an action the table refuses from the current status is a bug
        of the generator and stops it."""
        transition = TABLE[action]
        if self.status not in transition.sources:
            raise TransitionNotAllowed(f"synthetic dossier {self.index}: {action} from {self.status!r}")
        if transition.target == PREVIOUS:
            to = self.before_pause
        elif transition.target == SAME:
            to = self.status
        else:
            to = transition.target
        if transition.clock == Clock.PAUSE:
            self.before_pause = self.status
        self.events.append(
            (
                self.index,
                at,
                actor,
                action,
                self.status,
                to,
                _NATIONAL[to],
                note,
                payload,
                self.due,
                self.position,
                self.step_due,
                self.holder,
                self.assignee,
            )
        )
        self.status, self.last = to, at

    def leave(self) -> None:
        """Stop, withdrawal and return take the dossier out of every inbox (the step stays on record)."""
        self.holder, self.holder_role, self.assignee, self.step_started, self.step_due = None, "", None, None, None


@dataclass(slots=True)
class Plan:
    s0: int  # working position of the clock start
    durations: list[int]  # working seconds of each step up to the clerk's
    clerk: int
    work: int  # the step where pauses, consultations, stops and withdrawals happen
    happenings: list[tuple[float, str]]
    pause_length: int
    abandoned: bool
    apology: bool
    pool: bool
    reject: bool
    return_after: int


# The actions that move a daily count (whatever their time and payload, each moves at least one).
_COUNTED = frozenset(
    a for a in Action.values if stat_deltas(action=a, at=datetime(2026, 1, 5, tzinfo=UTC), due_at=None, payload={})
)


@functools.cache
def _simple_deltas(action: str, payload: str) -> dict[str, int]:
    # Every event but the result's counts the same whenever it happens: computed once per kind.
    return stat_deltas(action=action, at=datetime.now(UTC), due_at=None, payload=json.loads(payload))


_ENTERING = {Action.RECEIVE, Action.FORWARD, Action.APPROVE, Action.REJECT, Action.ISSUE_RESULT, Action.SEND_BACK}


def focus_weights(places: list[Place], weights: list[float], agency_shares: dict[str, float]) -> list[float]:
    """``weights`` rescaled so that the offerings of each agency code in ``agency_shares`` get that share of
    the total (the others keep their relative weights): how the demo gives its staff's units enough work."""
    if not agency_shares:
        return weights
    if sum(agency_shares.values()) >= 1 or min(agency_shares.values()) <= 0:
        raise ValueError("agency shares are fractions > 0 adding up to less than 1")
    own: dict[str, float] = {}
    for place, weight in zip(places, weights, strict=True):
        if place.agency.code in agency_shares:
            own[place.agency.code] = own.get(place.agency.code, 0.0) + weight
    rest = sum(weights) - sum(own.values())
    total = rest / (1 - sum(share for code, share in agency_shares.items() if own.get(code)))
    factor = {code: agency_shares[code] * total / weight for code, weight in own.items()}
    return [w * factor.get(p.agency.code, 1.0) for p, w in zip(places, weights, strict=True)]


class Generator:
    def __init__(
        self,
        world: World,
        rng: random.Random,
        shares: Shares,
        until: int,
        inbox_cap: int,
        agency_shares: dict[str, float] | None = None,
    ) -> None:
        self.world = world
        self.rng = rng
        self.shares = shares
        self.until = until
        self.inbox_cap = inbox_cap
        self.held: Counter[int] = Counter()  # open dossiers each person holds
        self.report = SeedReport(offerings=len(world.places))
        places = world.places
        # Some procedures (and commune ones) are far more frequent than others.
        weights = [rng.lognormvariate(0, 1) * (3 if p.agency.level == "commune" else 1) for p in places]
        weights = focus_weights(places, weights, agency_shares or {})
        self.all_places = places
        self.all_weights = _cumulative(weights)
        self.online_places = [p for p in places if p.online]
        self.online_weights = _cumulative([w for p, w in zip(places, weights, strict=True) if p.online])
        self.codes = {a.pk: a.code for a in world.agencies.values()}
        self.consultable = list(world.agencies.values())
        self._days: dict[int, date] = {}

    def pick(self, places: list[Place], cumulative: list[float]) -> Place:
        return places[bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])]

    def person(self, agency_id: int | None, role: str) -> int | None:
        if agency_id is None:
            return None
        people = self.world.staff(agency_id, role)
        return people[int(self.rng.random() * len(people))] if people else None

    def dossier(
        self, batch: Batch, submitted: int, local_day: date, channel: str, counters: dict[tuple[int, date], int]
    ) -> None:
        """One dossier, submitted at ``submitted`` (on ``local_day``) by ``channel``, lived until ``until``."""
        rng, shares, world, until = self.rng, self.shares, self.world, self.until
        if channel == Channel.ONLINE and self.online_places:
            place = self.pick(self.online_places, self.online_weights)
        else:
            channel = Channel.DESK if channel == Channel.ONLINE else channel
            place = self.pick(self.all_places, self.all_weights)
        timeline = place.timeline
        competent = place.agency.pk
        desk_id: int | None
        if channel == Channel.DESK and (place.desk_id is None or rng.random() < shares.other_desk):
            elsewhere = world.desk_agencies[int(rng.random() * len(world.desk_agencies))]
            receiving, desk_id = elsewhere.pk, world.desks[elsewhere.pk]
        else:
            receiving, desk_id = competent, place.desk_id
        # The code: the receiving agency's next number of the local day of submission.
        key = (receiving, local_day)
        number = counters.get(key, 0) + 1
        counters[key] = batch.counters[key] = number
        code = f"{self.codes[receiving]}-{local_day:%y%m%d}-{number:04d}"
        kind, name, id_number, phone = _person(rng)
        if channel == Channel.ONLINE:
            return_method = ReturnMethod.ELECTRONIC if rng.random() < 0.7 else ReturnMethod.DESK
        elif channel == Channel.DESK:
            return_method = ReturnMethod.DESK if rng.random() < 0.9 else ReturnMethod.POST
        else:
            return_method = ReturnMethod.POST
        address = f"{_pick(rng, HAMLETS)}, {place.agency.name}"
        receiver = self.person(receiving, Role.DESK_OFFICER)

        life = Life(index=len(batch.dossiers), events=batch.events)
        first_event = len(batch.events)
        consultations: list[list[Any]] = []
        life.emit(
            Action.SUBMIT,
            submitted,
            receiver if channel == Channel.DESK else None,
            payload=_CHANNEL_PAYLOAD[channel],
        )
        if channel == Channel.ONLINE:  # the desk works through the online queue
            t_receive = timeline.add(submitted, int(rng.uniform(0.1, 6) * HOUR))
        else:
            t_receive = submitted + 60 + int(rng.random() * 540)
        if t_receive <= until and channel == Channel.ONLINE and rng.random() < shares.refused:
            life.emit(Action.REFUSE, t_receive, receiver, note=rng.choice(REFUSE_REASONS))
        elif t_receive <= until and place.steps:
            self._receive(life, place, receiving, receiver, t_receive, _reception_payload(life.index, channel, place))
            plan = self._plan(place, life)
            self._process(life, place, plan, receiving, return_method, consultations, channel)
        # Nobody holds more than ``inbox_cap`` open dossiers: the later ones wait in the unit's pool.
        if life.assignee is not None and life.status not in _CLOSED:
            if self.held[life.assignee] >= self.inbox_cap:
                _to_pool(batch.events, first_event, life.assignee)
                life.assignee, life.last = None, batch.events[-1][1]
            else:
                self.held[life.assignee] += 1
        for row in consultations:
            batch.consultations.append([life.index, *row])
        self._stats(batch, first_event, (competent, receiving, place.procedure_id, channel))
        self._count(life, channel, len(batch.events) - first_event, len(consultations))
        batch.dossiers.append(
            (
                life.index,
                submitted,
                life.last,
                code,
                place.procedure_id,
                place.version_id,
                receiving,
                desk_id,
                competent,
                None,
                kind,
                name,
                id_number,
                phone,
                "",
                address,
                "",
                "",
                channel,
                return_method,
                address if return_method == ReturnMethod.POST else "",
                "{}",
                life.status,
                _NATIONAL[life.status],
                submitted,
                life.received,
                life.due,
                life.paused,
                _json(life.pauses) if life.pauses else "[]",
                life.closed,
                life.finished,
                life.warn,
                life.original_due,
                life.process_id,
                life.position,
                life.holder,
                life.holder_role,
                life.assignee,
                life.step_started,
                life.step_due,
                receiver if channel == Channel.DESK else None,
                None,
                "",
                "",
            )
        )

    def _stats(self, batch: Batch, first_event: int, where: tuple[int, int, int, str]) -> None:
        """Add the dossier's events to the daily counts with ``workflow.stats.stat_deltas`` (the
        function the writer uses), so that the counts equal a rebuild from the event log."""
        local_day = self.local_day
        for event in batch.events[first_event:]:
            action, payload = event[3], event[8]
            if action not in _COUNTED:
                continue
            if action == Action.ISSUE_RESULT:
                due = event[9]
                deltas = stat_deltas(
                    action=action,
                    at=datetime.fromtimestamp(event[1], UTC),
                    due_at=None if due is None else datetime.fromtimestamp(due, UTC),
                    payload=json.loads(payload),
                )
            else:
                deltas = _simple_deltas(action, payload)
            key = (local_day(event[1]), *where)
            counts = batch.stats.get(key)
            if counts is None:
                counts = batch.stats[key] = {}
            for name, amount in deltas.items():
                counts[name] = counts.get(name, 0) + amount

    def local_day(self, ts: int) -> date:
        """The local date of an instant; every time zone's midnight falls on a quarter hour of UTC."""
        quarter = ts // 900
        day = self._days.get(quarter)
        if day is None:
            day = self._days[quarter] = datetime.fromtimestamp(quarter * 900, self.world.tz).date()
        return day

    def _count(self, life: Life, channel: str, events: int, consultations: int) -> None:
        report = self.report
        report.by_channel[channel] += 1
        report.by_status[life.status] += 1
        report.events += events
        report.consultations += consultations
        report.redated += life.original_due is not None
        if life.finished is not None:
            report.finished += 1
            due = life.original_due or life.due
            report.late += due is not None and life.finished > due

    def _receive(self, life: Life, place: Place, receiving: int, receiver: int | None, at: int, payload: str) -> None:
        """The clock starts (due and at-risk times from the calendar) and the first step opens."""
        life.received, life.process_id = at, place.process_id
        start = place.timeline.clock_start(at, place.cutoff)
        life.due, life.warn = place.due_and_warn(start)
        first = place.steps[0]
        life.position, life.holder, life.holder_role, life.assignee = 1, receiving, first.role, receiver
        life.step_started = at
        life.step_due = _step_due(place.timeline, first, start)
        life.emit(Action.RECEIVE, at, receiver, payload=payload)

    def _plan(self, place: Place, life: Life) -> Plan:
        """How long each step takes (working seconds) and what happens on the way."""
        rng, shares, timeline, steps = self.rng, self.shares, place.timeline, place.steps
        assert life.received is not None
        s0 = timeline.pos(timeline.clock_start(life.received, place.cutoff))
        span = (timeline.pos(life.due) - s0) if life.due is not None else int(NOMINAL_HOURS * HOUR)
        late = rng.random() < shares.late
        total = int(max(span, HOUR) * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.25, 0.95)))
        clerk = next((i for i, s in enumerate(steps) if s.role == Role.CLERK), max(len(steps) - 2, 0))
        weights = [float(s.hours or 1) * rng.uniform(0.6, 1.4) for s in steps[: clerk + 1]]
        scale = total / sum(weights)
        durations = [max(int(w * scale), 120) for w in weights]
        work = next((i for i, s in enumerate(steps[: clerk + 1]) if s.role == Role.SPECIALIST), min(1, clerk))
        happenings: list[tuple[float, str]] = []
        if rng.random() < shares.consult:
            happenings.append((rng.uniform(0.2, 0.5), "consult"))
        draw = rng.random()
        pause = ""
        if draw < shares.supplement:
            pause = "supplement"
        elif draw < shares.supplement + shares.payment:
            pause = "payment"
        if pause:
            happenings.append((rng.uniform(0.3, 0.8), pause))
        draw = rng.random()
        if draw < shares.stop:
            happenings.append((rng.uniform(0.1, 0.9), "stop"))
        elif draw < shares.stop + shares.withdraw:
            happenings.append((rng.uniform(0.1, 0.9), "withdraw"))
        uncollected = rng.random() < shares.uncollected
        return Plan(
            s0=s0,
            durations=durations,
            clerk=clerk,
            work=work,
            happenings=sorted(happenings),
            pause_length=int(rng.uniform(1, 10) * 8 * HOUR),
            abandoned=rng.random() < shares.supplement_abandoned,
            apology=late and not pause and life.due is not None and rng.random() < shares.apology,
            pool=rng.random() < shares.pool,
            reject=rng.random() < shares.reject,
            return_after=int((rng.uniform(40, 400) if uncollected else rng.uniform(0.2, 16)) * HOUR),
        )

    def _enter(self, life: Life, place: Place, receiving: int, i: int, at: int, *, pool: bool) -> None:
        """As ``workflow.steps._enter``: the step's agency and role, a person or the pool, its deadline."""
        step = place.steps[i]
        agency = self.world.step_agency(place, receiving, step)
        life.position, life.holder, life.holder_role = i + 1, agency, step.role
        life.assignee = None if pool else self.person(agency, step.role)
        life.step_started = at
        life.step_due = _step_due(place.timeline, step, at)

    def _process(
        self,
        life: Life,
        place: Place,
        plan: Plan,
        receiving: int,
        return_method: str,
        consultations: list[list[Any]],
        channel: str,
    ) -> None:
        """The actions after reception, in time order, until the result is returned or ``until``."""
        rng, timeline, until, steps = self.rng, place.timeline, self.until, place.steps
        if plan.apology:
            self._plan_apology(life, place, plan)
        p, shift = plan.s0, 0  # processing position, and working time spent paused so far
        at = life.received or 0
        for i, length in enumerate(plan.durations):
            step = steps[i]
            if i == plan.work:
                for fraction, what in plan.happenings:
                    at = timeline.at(p + shift + int(length * fraction))
                    if at > until:
                        return self._until(life)
                    self._flush(life, place, at, consultations)
                    actor = life.assignee or self.person(life.holder, step.role)
                    if what == "consult":
                        self._consult(life, place, at, actor, consultations)
                    elif what in ("supplement", "payment"):
                        resumed = self._pause(life, place, plan, what, at, actor)
                        if resumed is None:
                            return None
                        shift += timeline.pos(resumed) - timeline.pos(at)
                    else:  # stop or withdrawal: the dossier leaves the process
                        life.closed, life.paused = at, None
                        life.leave()
                        if what == "stop":
                            life.emit(Action.STOP, at, actor, note=rng.choice(STOP_REASONS))
                        else:
                            life.emit(Action.WITHDRAW, at, None, note=rng.choice(WITHDRAW_REASONS))
                        return None
            p += length
            at = timeline.at(p + shift)
            if step.role == Role.UNIT_LEADER and life.pending:
                # A leader decides once every consulted agency has answered.
                answers = [when for when, what, _data in life.pending if what == "answer"]
                if answers and max(answers) >= at:
                    at = timeline.add(max(answers), 600)
                    shift = timeline.pos(at) - p
            if at > until:
                return self._until(life)
            self._flush(life, place, at, consultations)
            actor = life.assignee or self.person(life.holder, step.role)
            if i == plan.clerk:
                self._enter(life, place, receiving, i + 1, at, pool=True)
                life.finished = at
                crossed = receiving != place.agency.pk or bool(consultations)
                paper = _paper_kept(life.index, channel, place)
                life.emit(Action.ISSUE_RESULT, at, actor, payload=_issued_payload(life.index, place, crossed, paper))
                break
            following = steps[i + 1]
            pool = plan.pool if following.role == Role.SPECIALIST else rng.random() < 0.1
            self._enter(life, place, receiving, i + 1, at, pool=pool)
            if step.role == Role.UNIT_LEADER:
                if plan.reject and following.role == Role.CLERK:
                    life.emit(Action.REJECT, at, actor, note=rng.choice(REJECT_REASONS))
                else:
                    life.emit(Action.APPROVE, at, actor)
            else:
                life.emit(Action.FORWARD, at, actor)
            if life.assignee is None:
                taker = self.person(life.holder, following.role)
                took = timeline.add(at, int(rng.uniform(0.02, 0.08) * plan.durations[i + 1]))
                if taker is not None and took <= until:
                    life.assignee = taker
                    life.emit(Action.TAKE, took, taker)
        else:
            return self._until(life)
        returned = timeline.add(at, plan.return_after)
        if returned > until:
            return self._until(life)
        self._flush(life, place, returned, consultations)
        officer = self.person(receiving, Role.DESK_OFFICER)
        life.closed = returned
        life.leave()
        payload = _VIA_PAYLOAD[return_method]
        life.emit(Action.RETURN_RESULT, returned, officer, payload=payload)
        return None

    def _until(self, life: Life) -> None:
        """The history stops: what happened on its own clock up to ``until`` is still recorded."""
        self._flush(life, None, self.until, None)

    def _flush(self, life: Life, place: Place | None, before: int, consultations: list[list[Any]] | None) -> None:
        """Emit, in time order, the pending answers and apology that happen at or before ``before``."""
        if not life.pending:
            return
        life.pending.sort(key=lambda item: item[0])
        while life.pending and life.pending[0][0] <= before:
            at, what, data = life.pending.pop(0)
            if what == "answer":
                row, answerer, answer = data
                row[5], row[6], row[7] = at, answerer, answer  # answered_at, answered_by, answer
                life.emit(Action.ANSWER_CONSULTATION, at, answerer, note=answer)
            else:  # the apology: a new due time, the first kept as the original
                new_due, leader, calendar = data
                life.original_due, life.due = life.due, new_due
                life.warn = _epoch(calendar.at_risk_from(datetime.fromtimestamp(new_due, UTC)))
                payload = _json({"new_due_at": datetime.fromtimestamp(new_due, UTC).isoformat()})
                life.emit(Action.APOLOGIZE, at, leader, note=APOLOGY, payload=payload)

    def _plan_apology(self, life: Life, place: Place, plan: Plan) -> None:
        """A late dossier's leader apologises before the at-risk time and proposes a new due time after
        the planned finish (Nghị định 118/2025/NĐ-CP: at least one working day before due, once)."""
        timeline = place.timeline
        assert life.warn is not None and life.due is not None and life.received is not None
        at = timeline.at(timeline.pos(life.warn) - int(self.rng.uniform(0, 4) * HOUR))
        if at <= life.received:
            return
        finish = timeline.at(plan.s0 + sum(plan.durations))
        new_due = max(timeline.add(life.due, 8 * HOUR), timeline.add(finish, int(self.rng.uniform(2, 24) * HOUR)))
        leader = self.person(place.agency.pk, Role.UNIT_LEADER)
        life.pending.append((at, "apology", (new_due, leader, place.calendar)))

    def _consult(self, life: Life, place: Place, at: int, actor: int | None, consultations: list[list[Any]]) -> None:
        rng, timeline = self.rng, place.timeline
        others = [a for a in self.consultable if a.pk != place.agency.pk]
        if not others:
            return
        consulted = others[rng.randrange(len(others))]
        hours = rng.choice([4, 8, 16])
        question = rng.choice(QUESTIONS)
        # agency, question, requested_at, requested_by, due_at, answered_at, answered_by, answer
        row: list[Any] = [consulted.pk, question, at, actor, timeline.add(at, hours * HOUR), None, None, ""]
        consultations.append(row)
        life.emit(
            Action.CONSULT,
            at,
            actor,
            note=question,
            payload=_json({"agencies": [consulted.code], "hours": str(hours)}),
        )
        answered = timeline.add(at, int(rng.uniform(0.2, 1.5) * hours * HOUR))
        answerer = self.person(consulted.pk, Role.SPECIALIST)
        life.pending.append((answered, "answer", (row, answerer, rng.choice(ANSWERS))))

    def _pause(self, life: Life, place: Place, plan: Plan, what: str, at: int, actor: int | None) -> int | None:
        """A supplement or financial obligation: the clock stops; the time it resumes, or None when the
        history ends paused."""
        rng, timeline, calendar = self.rng, place.timeline, place.calendar
        if what == "supplement":
            self.report.supplements += 1
            missing = [rng.choice(MISSING)]
            life.paused = at
            life.emit(
                Action.REQUEST_SUPPLEMENT,
                at,
                actor,
                note="; ".join(missing),
                payload=_json({"missing": missing}),
            )
        else:
            amount = rng.choice([50_000, 100_000, 250_000, 1_200_000])
            life.paused = at
            life.emit(
                Action.REQUEST_PAYMENT,
                at,
                actor,
                note="Nộp phí, lệ phí",
                payload=_json({"amount": amount}),
            )
        resumed = timeline.add(at, plan.pause_length)
        if (what == "supplement" and plan.abandoned) or resumed > self.until:
            self._until(life)
            return None
        # As the writer's clock resume: record the pause, move the due time and the step deadline.
        life.pauses.append(
            [datetime.fromtimestamp(at, UTC).isoformat(), datetime.fromtimestamp(resumed, UTC).isoformat()]
        )
        life.paused = None
        length = timeline.pos(resumed) - timeline.pos(at)
        if life.due is not None and life.received is not None and place.amount is not None:
            if life.original_due is None:
                due = calendar.due_at(
                    datetime.fromtimestamp(life.received, UTC),
                    place.amount,
                    DurationUnit(place.unit),
                    cutoff=place.cutoff,
                    pauses=[(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in life.pauses],
                )
                life.due = int(due.timestamp())
            else:
                life.due = timeline.at(timeline.pos(life.due) + length)
            life.warn = _epoch(calendar.at_risk_from(datetime.fromtimestamp(life.due, UTC)))
        if life.step_due is not None:
            life.step_due = timeline.at(timeline.pos(life.step_due) + length)
        # Answers of consultations that came in during the pause are recorded in it, before the resume.
        self._flush(life, place, resumed, None)
        action = Action.SUBMIT_SUPPLEMENT if what == "supplement" else Action.CONFIRM_PAYMENT
        life.emit(action, resumed, None if what == "supplement" else life.assignee)
        return resumed


_RETURN_VIA: dict[str, str] = {
    ReturnMethod.ELECTRONIC: ReturnVia.ELECTRONIC,
    ReturnMethod.POST: ReturnVia.POST,
    ReturnMethod.DESK: ReturnVia.DESK,
}


# What the writer records on an issued result (``workflow.writer.issue_payload``): whether it was a signed
# electronic document (in the demo 9 results in 10 are), a certification and a certified electronic copy
# (the procedure's), whether the dossier crossed agencies (received elsewhere, or consulted) and whether
# paper was kept in it. Chosen from the dossier's index and place, not the random stream, so the rest of a
# history stays the same.
def _issued_payload(index: int, place: Place, crossed: bool, paper: bool) -> str:
    return _issued_json(index % 10 != 9, place.certification, place.certification and place.ecopy, crossed, paper)


@functools.cache
def _issued_json(electronic: bool, certification: bool, ecopy: bool, crossed: bool, paper: bool) -> str:
    return _json(
        {
            "electronic": electronic,
            "certification": certification,
            "certified_copy": ecopy,
            "crossed": crossed,
            "paper_kept": paper,
        }
    )


def _paper_kept(index: int, channel: str, place: Place) -> bool:
    """One desk or postal dossier in 20 with documents keeps one of them on paper, not scanned."""
    return channel != Channel.ONLINE and place.documents > 0 and index % 20 == 7


def _reception_payload(index: int, channel: str, place: Place) -> str:
    """What the writer records on a reception (``workflow.writer.reception_payload``): every document of the
    version given, online ones as files, one desk or postal dossier in 20 keeping one on paper; where some
    may be taken from the store, the store held them for 1 dossier in 2, and 3 in 5 of those took them
    all, 1 in 5 took one and gave the rest again, 1 in 5 gave them all again."""
    paper = _paper_kept(index, channel, place)
    held = place.reusable if place.reusable and index % 2 == 0 else 0
    taken = {0: held, 2: held, 4: held, 6: min(held, 1)}.get(index % 10, 0)
    return _reception_json(place.documents, place.documents - int(paper), taken, held, held - taken)


@functools.cache
def _reception_json(components: int, digitized: int, reused: int, held: int, again: int) -> str:
    return _json(
        {
            "digitized": digitized == components,
            "components": components,
            "digitized_components": digitized,
            "reused": reused,
            "store_held": held,
            "asked_again": again,
        }
    )


_VIA_PAYLOAD = {method: _json({"via": via}) for method, via in _RETURN_VIA.items()}
_CHANNEL_PAYLOAD = {channel: _json({"channel": channel}) for channel in Channel.values}


def _step_due(timeline: Timeline, step: StepPlan, start: int) -> int | None:
    return None if step.hours is None else timeline.add(start, _seconds(step.hours))


@functools.cache
def _seconds(hours: Decimal) -> int:
    return int(hours * HOUR)


def _to_pool(events: list[tuple[Any, ...]], first: int, person: int) -> None:
    """The dossier's current step waits in its unit's pool instead of with ``person``: the events since
    the step was entered record no assignee, and a "take" is dropped."""
    i = len(events) - 1
    while i >= first and events[i][13] == person:
        action = events[i][3]
        if action == Action.TAKE:
            del events[i]
            return
        events[i] = (*events[i][:13], None)
        if action in _ENTERING:
            return
        i -= 1


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


# -- Writing rows ---------------------------------------------------------------------------------------

_NULL = "\\N"


def _n(value: int | None) -> str:
    return _NULL if value is None else str(value)


def _dossier_line(row: tuple[Any, ...], dossier_id: int) -> str:
    """One dossier in ``DOSSIER_COLUMNS`` order (a test checks it against ``_generic_line``). Text from
    the database (agency names in addresses) is escaped; the rest is the generator's own words."""
    (
        _i,
        created,
        updated,
        code,
        procedure,
        version,
        receiving,
        desk,
        competent,
        applicant,
        kind,
        name,
        id_number,
        phone,
        email,
        address,
        authorised_name,
        authorised_id,
        channel,
        return_method,
        return_address,
        form_data,
        status,
        national,
        submitted,
        received,
        due,
        paused,
        pauses,
        closed,
        finished,
        warn,
        original_due,
        process,
        position,
        holder,
        holder_role,
        assignee,
        step_started,
        step_due,
        created_by,
        key,
        case_code,
        case_name,
    ) = row
    t = _ts_text
    return (
        f"{dossier_id}\t{t(created)}\t{t(updated)}\t{code}\t{procedure}\t{version}\t{receiving}\t{_n(desk)}\t"
        f"{competent}\t{_n(applicant)}\t{kind}\t{name}\t{id_number}\t{phone}\t{email}\t"
        f"{address.translate(_ESCAPES)}\t{authorised_name}\t{authorised_id}\t{channel}\t{return_method}\t"
        f"{return_address.translate(_ESCAPES)}\t{form_data}\t{status}\t{national}\t{t(submitted)}\t"
        f"{t(received)}\t{t(due)}\t{t(paused)}\t{pauses}\t{t(closed)}\t{t(finished)}\t{t(warn)}\t"
        f"{t(original_due)}\t{_n(process)}\t{_n(position)}\t{_n(holder)}\t{holder_role}\t{_n(assignee)}\t"
        f"{t(step_started)}\t{t(step_due)}\t{_n(created_by)}\t{_NULL if key is None else key}\t"
        f"{case_code}\t{case_name.translate(_ESCAPES)}"
    )


def _generic_line(row: tuple[Any, ...], datetimes: frozenset[int]) -> str:
    """Any row as COPY text, every string escaped: slow, used for the few consultations."""
    parts = []
    for i, value in enumerate(row):
        if value is None:
            parts.append(_NULL)
        elif i in datetimes:
            parts.append(_ts_text(value))
        elif value.__class__ is str:
            parts.append(value.translate(_ESCAPES))
        else:
            parts.append(str(value))
    return "\t".join(parts)


def _event_line(event: tuple[Any, ...], dossier_id: int) -> str:
    # Only the generator's own words and codes reach these text columns: nothing to escape.
    _i, at, actor, action, before, after, national, note, payload, due, step, step_due, holder, assignee = event
    return (
        f"{dossier_id}\t{_ts_text(at)}\t{_NULL if actor is None else actor}\t{action}\t{before}\t{after}\t"
        f"{national}\t{note}\t{payload}\t{_ts_text(due)}\t{_NULL if step is None else step}\t"
        f"{_ts_text(step_due)}\t{_NULL if holder is None else holder}\t{_NULL if assignee is None else assignee}"
    )


class Writer:
    """Inserts batches: PostgreSQL through COPY, other databases through ``bulk_create``.

    Foreign keys are checked as for any other write (no ``session_replication_role = replica`` on
    PostgreSQL; SQLite's are on), at the commit of each batch, and ``synthetic_seed`` checks them once more
    when it ends. With ``background`` (PostgreSQL only), a thread with its own connection writes each batch while the
    next one is generated; at most one batch waits.
    """

    CHUNK = 5000

    def __init__(self, *, background: bool = False) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.background = background and self.postgres
        self.consultation_datetimes = frozenset(i for i, c in enumerate(CONSULTATION_COLUMNS) if c in _DATETIME_COLUMNS)
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.seconds = 0.0  # spent writing
        # Columns added after the generator was written get their defaults (see ``extra_columns``).
        self.extras = {
            model: extra_columns(model, columns)
            for model, columns in (
                (Dossier, DOSSIER_COLUMNS),
                (DossierEvent, ["id", *EVENT_COLUMNS]),
                (Consultation, ["id", *CONSULTATION_COLUMNS]),
            )
        }

    def write(self, batch: Batch) -> None:
        if not self.background:
            self._write(batch)
            return
        if self._error is not None:
            raise self._error
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="synthetic-writer", daemon=True)
            self._thread.start()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait for the batches still being written; raise what went wrong there."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    try:
                        self._write(batch)
                    except BaseException as exc:  # noqa: BLE001 - raised again by write() or close()
                        self._error = exc
        finally:
            connection.close()  # this thread's own connection

    def _write(self, batch: Batch) -> None:
        started = clock.perf_counter()
        with transaction.atomic():
            first = self._reserve_ids(len(batch.dossiers))
            if self.postgres:
                self._copy(batch, first)
            else:
                self._bulk(batch, first)
            self._counters(batch.counters)
            self._stats(batch.stats)
        _TS_TEXT.clear()
        _TS_TEXT[None] = _NULL
        self.seconds += clock.perf_counter() - started

    def _reserve_ids(self, count: int) -> int:
        """The first of ``count`` consecutive dossier ids nobody else will take."""
        table = Dossier._meta.db_table
        quoted = connection.ops.quote_name(table)
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = int(cursor.fetchone()[0])
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")
            highest = int(cursor.fetchone()[0])
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, int(row[0]) if row else 0)
            return highest + 1

    def _copy(self, batch: Batch, first: int) -> None:
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            self._copy_rows(cursor, Dossier, DOSSIER_COLUMNS, (_dossier_line(r, first + r[0]) for r in batch.dossiers))
            self._copy_rows(cursor, DossierEvent, EVENT_COLUMNS, (_event_line(e, first + e[0]) for e in batch.events))
            self._copy_rows(
                cursor,
                Consultation,
                CONSULTATION_COLUMNS,
                (_generic_line((first + r[0], *r[1:]), self.consultation_datetimes) for r in batch.consultations),
            )

    def _copy_rows(self, cursor: Any, model: Any, columns: list[str], lines: Iterable[str]) -> None:
        extras = self.extras[model]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(e.column for e in extras)])
        suffix = "".join(f"\t{e.text}" for e in extras)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line + suffix if suffix else line)
                if len(chunk) >= self.CHUNK:
                    copy.write("\n".join(chunk) + "\n")
                    chunk.clear()
            if chunk:
                copy.write("\n".join(chunk) + "\n")

    def _bulk(self, batch: Batch, first: int) -> None:
        """Plain INSERTs (``bulk_create`` would stamp ``created_at``/``updated_at`` with the present)."""
        for model, columns, rows in (
            (Dossier, DOSSIER_COLUMNS, batch.dossiers),
            (DossierEvent, EVENT_COLUMNS, batch.events),
            (Consultation, CONSULTATION_COLUMNS, batch.consultations),
        ):
            extras = self.extras[model]
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(e.column for e in extras)])
            marks = ", ".join(["%s"] * (len(columns) + len(extras)))
            defaults = [e.value for e in extras]
            values = [
                [
                    *(_db_value(c, value) for c, value in zip(columns, (first + row[0], *row[1:]), strict=True)),
                    *defaults,
                ]
                for row in rows
            ]
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)

    def _stats(self, stats: dict[tuple[date, int, int, int, str], dict[str, int]]) -> None:
        """Add the batch's counts to ``DossierDayStat`` and ``DossierMonthStat`` (upserts, as the writer's
        ``stat_upserts`` does one event at a time)."""
        months: dict[tuple[date, int, int, int, str], dict[str, int]] = {}
        for (day, agency, receiving, procedure, channel), counts in stats.items():
            total = months.setdefault((day.replace(day=1), agency, receiving, procedure, channel), {})
            for name, amount in counts.items():
                total[name] = total.get(name, 0) + amount
        for model, rows in ((DossierDayStat, stats), (DossierMonthStat, months)):
            self._add_counts(model, rows)

    def _add_counts(self, model: Any, stats: dict[tuple[date, int, int, int, str], dict[str, int]]) -> None:
        if not stats:
            return
        q = connection.ops.quote_name
        table = q(model._meta.db_table)
        key = ["day", "agency_id", "receiving_agency_id", "procedure_id", "channel"]
        columns = [*key, *COUNTERS]
        increments = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COUNTERS)
        rows: list[list[Any]] = [
            [*where, *(counts.get(c, 0) for c in COUNTERS)] for where, counts in sorted(stats.items())
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))}) "
                f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {increments}",
                rows,
            )

    def _counters(self, counters: dict[tuple[int, date], int]) -> None:
        """Raise each day counter to the last number used (never lower it)."""
        if not counters:
            return
        table = connection.ops.quote_name(DossierCounter._meta.db_table)
        rows = [(agency, day, last) for (agency, day), last in sorted(counters.items())]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = "
                f"CASE WHEN excluded.last > {table}.last THEN excluded.last ELSE {table}.last END",
                rows,
            )


# -- The command's entry point --------------------------------------------------------------------


_WRITTEN = (Dossier, DossierEvent, Consultation, DossierCounter, DossierDayStat, DossierMonthStat)


class NothingToSeed(Exception):
    pass


def _day_windows(timeline: Timeline, day: date, until: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(working periods, online hours 06:00-23:00) of a local day, cut at ``until``."""
    tz = timeline.tz
    working = [(s, min(e, until)) for s, e in timeline.day_periods(day) if s < until]
    start = int(datetime.combine(day, dtime(6), tz).timestamp())
    end = min(int(datetime.combine(day, dtime(23), tz).timestamp()), until)
    online = [(start, end)] if start < end else []
    return working, online


def _length(windows: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in windows)


def _instant(rng: random.Random, windows: list[tuple[int, int]]) -> int:
    offset = int(rng.random() * _length(windows))
    for s, e in windows:
        if offset < e - s:
            return s + offset
        offset -= e - s
    raise AssertionError("offset within the windows")


def synthetic_seed(
    *,
    dossiers: int,
    seed: int,
    agency_prefix: str = "",
    batch: int = 20_000,
    until: datetime | None = None,
    inbox_cap: int = 40,
    shares: Shares | None = None,
    analyze: bool = True,
    background: bool = False,
    progress: Callable[[str], None] | None = None,
    days: int = WINDOW_DAYS,
    agency_shares: dict[str, float] | None = None,
) -> SeedReport:
    """Add ``dossiers`` synthetic dossiers (with events and consultations) received over the ``days``
    (default ~18 months) before ``until``; the same database, arguments and seed give the same rows. See
    the module docstring. ``agency_shares`` (agency code → fraction) gives those agencies' offerings that
    share of the dossiers (``focus_weights``)."""
    if dossiers < 0 or batch < 1 or inbox_cap < 0 or days < 1:
        raise ValueError("dossiers ≥ 0, batch ≥ 1, inbox_cap ≥ 0 and days ≥ 1")
    check_columns()
    started = clock.perf_counter()
    shares = shares or Shares()
    until = until or timezone.now()
    until_ts = int(until.timestamp())
    deployment = deployment_calendar(None)
    tz = deployment.timezone
    last_day = until.astimezone(tz).date()
    first_day = last_day - timedelta(days=days)
    world = World(agency_prefix=agency_prefix, first=first_day - timedelta(days=7), last=last_day + timedelta(days=730))
    if not world.places:
        raise NothingToSeed(f"no agency{' under ' + agency_prefix if agency_prefix else ''} offers a procedure")
    if not world.desk_agencies:
        raise NothingToSeed("no agency has a desk")
    rng = random.Random(seed)
    generator = Generator(world, rng, shares, until_ts, inbox_cap, agency_shares)
    timeline = world.timeline(deployment)
    calendar_days = [first_day + timedelta(days=d) for d in range(days + 1)]
    windows = [_day_windows(timeline, day, until_ts) for day in calendar_days]
    # Desk and postal dossiers arrive on working days; online ones any day, fewer on days off.
    weights = [(1.0 if working else (shares.weekend_online if online else 0.0)) for working, online in windows]
    per_day = (
        Counter(rng.choices(range(len(calendar_days)), cum_weights=_cumulative(weights), k=dossiers))
        if dossiers
        else {}
    )
    off_share = sum(w for w, (working, _o) in zip(weights, windows, strict=True) if not working) / max(sum(weights), 1)
    online_on_working = max(0.0, (shares.online - off_share) / max(1 - off_share, 1e-9))
    desk_on_working = (1 - online_on_working) * shares.desk / max(1 - shares.online, 1e-9)
    counters = {
        (agency_id, day): last
        for agency_id, day, last in DossierCounter.objects.filter(day__gte=first_day).values_list(
            "agency_id", "day", "last"
        )
    }
    # Open dossiers people already hold count towards the cap.
    held = (
        Dossier.objects.exclude(status__in=_CLOSED)
        .exclude(assignee=None)
        .values_list("assignee")
        .annotate(n=Count("id"))
        .order_by()
    )
    generator.held.update(dict(held))
    writer = Writer(background=background)
    report = generator.report
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples and no cycles: the collector would only slow it down
    try:
        current = Batch()
        done = 0
        for index in range(len(calendar_days)):
            count = per_day.get(index, 0)
            if not count:
                continue
            working, online = windows[index]
            arrivals = []
            for _ in range(count):
                draw = rng.random()
                if not working or draw < online_on_working:
                    arrivals.append((_instant(rng, online), Channel.ONLINE))
                elif draw < online_on_working + desk_on_working:
                    arrivals.append((_instant(rng, working), Channel.DESK))
                else:
                    arrivals.append((_instant(rng, working), Channel.POSTAL))
            arrivals.sort()
            for submitted, channel in arrivals:
                generator.dossier(current, submitted, calendar_days[index], channel, counters)
            if report.first_submitted is None:
                report.first_submitted = datetime.fromtimestamp(arrivals[0][0], tz)
            report.last_submitted = datetime.fromtimestamp(arrivals[-1][0], tz)
            if len(current.dossiers) >= batch:
                writer.write(current)
                done += len(current.dossiers)
                current = Batch()
                if progress:
                    progress(f"{done} dossiers generated ({clock.perf_counter() - started:.0f} s)")
        if current.dossiers:
            writer.write(current)
    finally:
        try:
            writer.close()
        finally:
            if collecting:
                gc.enable()
    report.dossiers = dossiers
    # Every reference the rows hold exists (each batch's commit checked it already; this names a broken
    # row even inside a caller's transaction, where the checks are still deferred).
    connection.check_constraints(table_names=[m._meta.db_table for m in _WRITTEN])
    if analyze and writer.postgres:
        with connection.cursor() as cursor:
            for model in (Dossier, DossierEvent, Consultation, DossierCounter):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.seconds = clock.perf_counter() - started
    return report
