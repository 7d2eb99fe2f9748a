"""The synthetic history: reproducible, consistent with the writer's rules, and safe for real dossiers."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.agencies.calendar import deployment_calendar
from motcua.agencies.models import Agency
from motcua.catalog.processes import process_steps
from motcua.core.working_time import DurationUnit
from motcua.demo import synthetic
from motcua.demo.synthetic import DOSSIER_COLUMNS, synthetic_seed
from motcua.dossiers.constants import FINAL_STATUSES, NATIONAL_STATUS, Status
from motcua.dossiers.models import Consultation, Dossier, DossierCounter, DossierEvent
from motcua.identity.constants import Role
from motcua.workflow.constants import Action
from motcua.workflow.deadlines import pauses_of
from motcua.workflow.models import COUNTERS, DossierDayStat, DossierMonthStat
from motcua.workflow.services import dossier_submit_online
from motcua.workflow.stats import stats_from_events
from motcua.workflow.steps import current_step, step_agency, step_due
from tests.factories import make_citizen, make_staff
from tests.intake import birth_application

pytestmark = pytest.mark.usefixtures("monday_morning")

OPEN_AT_A_STEP = {
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION,
    Status.RESULT_READY,
}


@pytest.fixture
def staff(province: dict[str, Any], catalog: Any) -> dict[str, Any]:
    """A commune with every step's role, a second commune's desk, a consulted department."""
    a = province["commune_a"]
    return {
        "desk": make_staff(Role.DESK_OFFICER, a),
        "specialist": make_staff(Role.SPECIALIST, a),
        "specialist2": make_staff(Role.SPECIALIST, a),
        "leader": make_staff(Role.UNIT_LEADER, a),
        "clerk": make_staff(Role.CLERK, a),
        "desk_b": make_staff(Role.DESK_OFFICER, province["commune_b"]),
        "dept": make_staff(Role.SPECIALIST, province["department"]),
    }


def history() -> list[tuple[Any, ...]]:
    """What a seed produced, without the ids of rows it creates."""
    rows = Dossier.objects.order_by("code").values_list(
        "code",
        "status",
        "national_status",
        "channel",
        "submitted_at",
        "received_at",
        "due_at",
        "warn_at",
        "step_position",
        "holder_agency_id",
        "holder_role",
        "assignee_id",
        "applicant_name",
    )
    events = Counter(DossierEvent.objects.values_list("dossier__code", "action", "at"))
    return [*rows, tuple(sorted(events.items()))]


def seeded_then_undone(**options: Any) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    with transaction.atomic():
        synthetic_seed(**options)
        seen = history(), Counter(Dossier.objects.values_list("status", flat=True))
        transaction.set_rollback(True)
    process_steps.cache_clear()  # the processes made by the seed were rolled back too
    return seen


def test_the_same_seed_gives_the_same_history_and_another_seed_another(staff: dict[str, Any]) -> None:
    first, statuses = seeded_then_undone(dossiers=300, seed=7)
    again, statuses_again = seeded_then_undone(dossiers=300, seed=7)
    other, other_statuses = seeded_then_undone(dossiers=300, seed=8)

    assert len(first) == 301 and Dossier.objects.count() == 0
    assert (again, statuses_again) == (first, statuses)
    assert sum(statuses.values()) == sum(other_statuses.values()) == 300
    assert [row[0] for row in other[:-1]] != [row[0] for row in first[:-1]]
    assert other != first


def test_every_dossier_agrees_with_its_timeline(staff: dict[str, Any]) -> None:
    report = synthetic_seed(dossiers=400, seed=3, inbox_cap=3)

    dossiers = {d.pk: d for d in Dossier.objects.all()}
    assert (report.dossiers, len(dossiers)) == (400, 400)
    assert report.events == DossierEvent.objects.count()
    timelines: dict[int, list[DossierEvent]] = {}
    for event in DossierEvent.objects.order_by("at", "id"):
        timelines.setdefault(event.dossier_id, []).append(event)
    assert set(timelines) == set(dossiers)
    for pk, events in timelines.items():
        dossier = dossiers[pk]
        latest = events[-1]
        assert events[0].action == Action.SUBMIT and events[0].from_status == ""
        # Each event starts where the previous one left the dossier.
        assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
        assert all(e.national_status == NATIONAL_STATUS[e.to_status] for e in events)
        assert (latest.to_status, latest.national_status) == (dossier.status, dossier.national_status)
        assert (latest.step, latest.holder_agency_id, latest.assignee_id, latest.due_at, latest.step_due_at) == (
            dossier.step_position,
            dossier.holder_agency_id,
            dossier.assignee_id,
            dossier.due_at,
            dossier.step_due_at,
        )
        assert dossier.updated_at == latest.at and dossier.submitted_at == events[0].at
        assert sum(e.action == Action.REQUEST_SUPPLEMENT for e in events) <= 1
        assert sum(e.action == Action.APOLOGIZE for e in events) == (dossier.original_due_at is not None)
    # Nobody holds more open dossiers than the cap; the rest wait in the unit's pool.
    held = Counter(d.assignee_id for d in dossiers.values() if d.assignee_id and d.status not in FINAL_STATUSES)
    assert held and max(held.values()) <= 3
    answered = Consultation.objects.exclude(answered_at=None).count()
    assert answered == DossierEvent.objects.filter(action=Action.ANSWER_CONSULTATION).count()


def test_open_dossiers_sit_at_a_step_of_their_process_and_closed_ones_nowhere(staff: dict[str, Any]) -> None:
    synthetic_seed(dossiers=400, seed=5)

    dossiers = Dossier.objects.select_related(
        "procedure_version", "receiving_agency", "competent_agency", "holder_agency"
    )
    statuses = Counter(d.status for d in dossiers)
    assert statuses[Status.RETURNED] > 300
    assert statuses.keys() - {Status.RETURNED}  # the last weeks are still open
    for dossier in dossiers:
        if dossier.status in OPEN_AT_A_STEP:
            step = current_step(dossier)
            assert step is not None, dossier.code
            assert (dossier.holder_agency, dossier.holder_role) == (step_agency(dossier, step), step.role)
            if dossier.assignee_id is not None:
                assert dossier.assignee.grants.filter(role=step.role).exists()
        elif dossier.status in FINAL_STATUSES or dossier.status == Status.SUBMITTED:
            assert (dossier.holder_agency_id, dossier.holder_role, dossier.assignee_id) == (None, "", None)


def test_due_times_and_step_deadlines_are_the_calendars(staff: dict[str, Any]) -> None:
    synthetic_seed(dossiers=400, seed=11)

    checked = redated = 0
    dossiers = Dossier.objects.exclude(received_at=None).select_related(
        "procedure_version", "competent_agency", "receiving_agency"
    )
    for dossier in dossiers:
        calendar = deployment_calendar(dossier.competent_agency)
        version = dossier.procedure_version
        if dossier.original_due_at is None:
            due = calendar.due_at(
                dossier.received_at,
                version.time_amount,
                DurationUnit(version.time_unit),
                cutoff=version.cutoff,
                pauses=pauses_of(dossier),
            )
            assert dossier.due_at == due, dossier.code
            checked += 1
        else:
            redated += 1
            assert dossier.due_at > dossier.original_due_at
        assert dossier.warn_at == calendar.at_risk_from(dossier.due_at)
        step = current_step(dossier)
        if step is not None and dossier.step_started_at is not None:
            expected = step_due(dossier, step, dossier.step_started_at, first=dossier.step_position == 1)
            assert dossier.step_due_at == expected, dossier.code
    assert checked > 300 and checked + redated == dossiers.count()


def test_channel_shares_and_lateness(staff: dict[str, Any]) -> None:
    report = synthetic_seed(dossiers=1000, seed=2)

    shares = Counter(Dossier.objects.values_list("channel", flat=True))
    assert abs(shares["online"] / 1000 - 0.65) < 0.05
    assert abs(shares["desk"] / 1000 - 0.30) < 0.05
    assert abs(shares["postal"] / 1000 - 0.05) < 0.025
    assert report.by_channel == shares
    finished = Dossier.objects.exclude(finished_at=None).exclude(due_at=None)
    late = sum(d.finished_at > (d.original_due_at or d.due_at) for d in finished)
    assert 0.04 < late / finished.count() < 0.11
    assert report.late == late
    assert report.redated == Dossier.objects.exclude(original_due_at=None).count() > 0


def test_a_real_dossier_after_the_seed_gets_a_fresh_code(staff: dict[str, Any], monday_morning: Any) -> None:
    synthetic_seed(dossiers=300, seed=4)
    seeded = set(Dossier.objects.values_list("code", flat=True))
    commune = Agency.objects.get(code="H99.101")
    latest = Dossier.objects.filter(receiving_agency=commune).latest("submitted_at")
    day = latest.code.split("-")[1]
    used = max(int(code.rsplit("-", 1)[1]) for code in seeded if code.startswith(f"H99.101-{day}-"))
    assert DossierCounter.objects.filter(agency=commune).aggregate(n=Max("last"))["n"] >= used

    monday_morning.move_to(latest.submitted_at + timedelta(minutes=1))  # the same day as seeded dossiers
    dossier = dossier_submit_online(actor=make_citizen(), application=birth_application())

    assert dossier.code == f"H99.101-{day}-{used + 1:04d}"
    assert dossier.code not in seeded


def test_the_command_prints_a_summary(staff: dict[str, Any]) -> None:
    out = StringIO()
    call_command("seed_synthetic", "--dossiers", "60", "--seed", "9", "--batch", "25", stdout=out)

    assert out.getvalue().startswith("synthetic history: 60 dossiers, ")
    assert "channels: desk " in out.getvalue()
    assert Dossier.objects.count() == 60


def test_the_command_refuses_a_history_that_ends_in_the_future(staff: dict[str, Any]) -> None:
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="--until must not be in the future"):
        call_command("seed_synthetic", "--dossiers", "5", "--until", tomorrow, stdout=StringIO())
    assert Dossier.objects.count() == 0


def test_copy_lines_match_the_generic_formatter(staff: dict[str, Any], monkeypatch: Any) -> None:
    batches: list[synthetic.Batch] = []
    monkeypatch.setattr(synthetic.Writer, "_write", lambda self, batch: batches.append(batch))
    synthetic_seed(dossiers=80, seed=1)

    datetimes = frozenset(i for i, c in enumerate(DOSSIER_COLUMNS) if c in synthetic._DATETIME_COLUMNS)
    rows = [row for batch in batches for row in batch.dossiers]
    assert len(rows) == 80
    for row in rows:
        assert synthetic._dossier_line(row, 1000 + row[0]) == synthetic._generic_line(
            (1000 + row[0], *row[1:]), datetimes
        )


def test_the_daily_and_monthly_counts_equal_a_rebuild_from_the_events(staff: dict[str, Any]) -> None:
    synthetic_seed(dossiers=300, seed=6, batch=70)
    synthetic_seed(dossiers=100, seed=7, batch=70)  # a second run adds to the same days

    fields = ["day", "agency_id", "receiving_agency_id", "procedure_id", "channel", *COUNTERS]

    def kept(model: Any) -> list[dict[str, Any]]:
        return sorted(model.objects.values(*fields), key=lambda r: tuple(map(str, r.values())))

    rebuilt = sorted(stats_from_events(), key=lambda r: tuple(map(str, r.values())))
    months: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rebuilt:
        month = {**row, "day": row["day"].replace(day=1)}
        total = months.setdefault(tuple(month[f] for f in fields[:5]), {**month, **dict.fromkeys(COUNTERS, 0)})
        for name in COUNTERS:
            total[name] += row[name]
    assert kept(DossierDayStat) == rebuilt
    assert kept(DossierMonthStat) == sorted(months.values(), key=lambda r: tuple(map(str, r.values())))
    assert sum(r["submitted"] for r in rebuilt) == 400
