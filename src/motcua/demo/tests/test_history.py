"""The demo's history: loaded once by ``make setup`` (a second run adds nothing), ending before now, with
counts equal to a rebuild and a few open dossiers for each demo login. Small sizes: the real 10,000 are
timed by hand (docs/benchmarks.md), not in the suite."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Sum
from django.utils import timezone

from motcua.demo import synthetic
from motcua.demo.history import demo_history_load, history_end
from motcua.demo.models import DemoHistory
from motcua.demo.synthetic import DOSSIER_COLUMNS, Extra, extra_columns, focus_weights
from motcua.dossiers.constants import FINAL_STATUSES
from motcua.dossiers.models import Consultation, Dossier, DossierCounter, DossierEvent
from motcua.identity.constants import Role
from motcua.workflow.constants import Action
from motcua.workflow.models import COUNTERS, BookEntry, DossierDayStat, DossierMonthStat
from motcua.workflow.stats import stats_from_events
from tests.factories import make_staff
from tests.intake import HCM

pytestmark = pytest.mark.usefixtures("monday_morning")

MONDAY_9 = datetime(2026, 3, 9, 9, 0, tzinfo=HCM)


@pytest.fixture
def demo_staff(province: dict[str, Any], catalog: Any) -> dict[str, Any]:
    """The demo's logins on the test province: every role at the first commune and at the justice
    department (``demo_agencies`` picks the same two)."""
    a, dept = province["commune_a"], province["department"]
    roles = [Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK]
    return {
        **{f"commune {role}": make_staff(role, a) for role in roles},
        **{f"department {role}": make_staff(role, dept) for role in roles},
    }


def row_counts() -> dict[str, int]:
    models = [Dossier, DossierEvent, Consultation, DossierCounter, DossierDayStat, DossierMonthStat, DemoHistory]
    return {model.__name__: model.objects.count() for model in models}


def test_the_history_is_loaded_once_and_a_second_run_adds_nothing(demo_staff: dict[str, Any]) -> None:
    first = demo_history_load(dossiers=150)
    after_first = row_counts()
    second = demo_history_load(dossiers=150)

    assert first.created and not second.created
    assert after_first["Dossier"] == 150 and after_first["DemoHistory"] == 1
    assert first.report is not None and after_first["DossierEvent"] == first.report.events > 150
    assert row_counts() == after_first
    assert second.record.pk == first.record.pk
    record = DemoHistory.objects.get()
    assert (record.seed, record.dossiers, record.days, record.until) == (1, 150, 365, MONDAY_9)
    assert second.lines() == [f"demo history already loaded: {record} (nothing added)"]


def test_the_history_ends_at_the_start_of_the_hour_and_covers_a_year(
    demo_staff: dict[str, Any], monday_morning: Any
) -> None:
    monday_morning.move_to(MONDAY_9 + timedelta(minutes=47))
    demo_history_load(dossiers=200)

    assert history_end(timezone.now()) == MONDAY_9
    assert DossierEvent.objects.aggregate(last=Max("at"))["last"] <= MONDAY_9
    first = Dossier.objects.order_by("submitted_at").first()
    assert first is not None and first.submitted_at >= MONDAY_9 - timedelta(days=366)
    assert Dossier.objects.filter(submitted_at__lt=MONDAY_9 - timedelta(days=300)).exists()


def test_the_counts_equal_a_rebuild_from_the_event_log(demo_staff: dict[str, Any]) -> None:
    demo_history_load(dossiers=200)

    fields = ["day", "agency_id", "receiving_agency_id", "procedure_id", "channel", *COUNTERS]
    kept = sorted(DossierDayStat.objects.values_list(*fields))
    rebuilt = sorted(tuple(row[f] for f in fields) for row in stats_from_events())
    assert kept == rebuilt and len(kept) > 0
    month_received = DossierMonthStat.objects.aggregate(n=Count("id"))["n"]
    assert month_received > 0
    assert sum(DossierMonthStat.objects.values_list("received", flat=True)) == sum(
        DossierDayStat.objects.values_list("received", flat=True)
    )


def test_the_demo_units_get_their_share_and_nobody_holds_more_than_the_cap(
    demo_staff: dict[str, Any], province: dict[str, Any]
) -> None:
    demo_history_load(dossiers=600, inbox_cap=1)

    open_ = Dossier.objects.exclude(status__in=FINAL_STATUSES)
    held = dict(open_.exclude(assignee=None).values_list("assignee").annotate(n=Count("id")).order_by())
    commune_staff = {user.pk for name, user in demo_staff.items() if name.startswith("commune")}
    assert set(held.values()) == {1} and set(held) & commune_staff, held
    assert open_.filter(assignee=None, holder_agency__isnull=False).exists()  # the rest wait in a pool
    # The first commune gets 6 % of the dossiers (its offerings alone would draw far less here); the
    # test department offers nothing, so its share is left to the others.
    commune = Dossier.objects.filter(competent_agency=province["commune_a"]).count()
    assert 0.04 * 600 <= commune <= 0.08 * 600
    assert not Dossier.objects.filter(competent_agency=province["department"]).exists()


def test_a_history_ending_in_the_future_is_refused_and_writes_nothing(demo_staff: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="before now"):
        demo_history_load(dossiers=20, until=timezone.now() + timedelta(minutes=1))

    assert set(row_counts().values()) == {0}


def test_the_command_loads_then_says_already_loaded(demo_staff: dict[str, Any]) -> None:
    out = StringIO()
    call_command("load_demo_history", "--dossiers", "40", stdout=out)
    call_command("load_demo_history", "--dossiers", "40", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("synthetic history: 40 dossiers, ")
    assert lines[-1] == (
        "demo history already loaded: 40 dossiers over 365 days up to 2026-03-09 09:00 (seed 1) (nothing added)"
    )
    assert Dossier.objects.count() == 40


def test_focus_weights_give_the_named_agencies_their_share() -> None:
    class Agency:
        def __init__(self, code: str) -> None:
            self.code = code

    class Place:
        def __init__(self, code: str) -> None:
            self.agency = Agency(code)

    places: Any = [Place("A"), Place("A"), Place("B"), Place("C")]
    weights = focus_weights(places, [1.0, 3.0, 2.0, 6.0], {"B": 0.2})

    assert weights[:2] == [1.0, 3.0] and weights[3] == 6.0
    assert weights[2] == pytest.approx(2.5)  # 2.5 of 12.5
    assert focus_weights(places, [1.0, 1.0, 1.0, 1.0], {}) == [1.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError):
        focus_weights(places, [1.0, 1.0, 1.0, 1.0], {"B": 0.6, "C": 0.5})


@pytest.mark.django_db
def test_columns_added_later_are_written_with_their_defaults() -> None:
    known = [c for c in DOSSIER_COLUMNS if c not in ("applicant_email", "form_data", "paused_at")]
    # idempotency_fingerprint, channel_reference: added after the generator, written with their defaults.
    extras = {extra.column: extra for extra in extra_columns(Dossier, known)}

    assert sorted(extras) == [
        "applicant_email",
        "channel_reference",
        "form_data",
        "idempotency_fingerprint",
        "paused_at",
    ]
    assert (extras["channel_reference"].text, extras["channel_reference"].value) == ("", "")
    assert (extras["applicant_email"].text, extras["applicant_email"].value) == ("", "")
    assert extras["form_data"].text == "{}"
    assert extras["paused_at"] == Extra("paused_at", "\\N", None)
    with pytest.raises(RuntimeError, match=r"Dossier\.procedure has no default"):
        extra_columns(Dossier, [c for c in DOSSIER_COLUMNS if c != "procedure_id"])
    with pytest.raises(RuntimeError, match="columns gone"):
        extra_columns(Dossier, [*DOSSIER_COLUMNS, "no_such_column"])
    synthetic.check_columns()  # the generator knows every column of today's tables


def test_seed_synthetic_takes_the_length_of_the_history_in_days(demo_staff: dict[str, Any]) -> None:
    call_command("seed_synthetic", "--dossiers", "60", "--days", "30", stdout=StringIO())

    first = Dossier.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    assert Dossier.objects.count() == 60
    assert first is not None and first >= MONDAY_9 - timedelta(days=31)
    with pytest.raises(CommandError, match="--days ≥ 1"):
        call_command("seed_synthetic", "--dossiers", "5", "--days", "0", stdout=StringIO())
    assert Dossier.objects.count() == 60


def test_the_history_numbers_its_book_entries_and_says_which_results_were_issued_electronically(
    demo_staff: dict[str, Any],
) -> None:
    demo_history_load(dossiers=200)

    received = Dossier.objects.filter(received_at__isnull=False).count()
    assert BookEntry.objects.count() == received > 0
    issued = DossierEvent.objects.filter(action=Action.ISSUE_RESULT)
    electronic = issued.filter(payload__electronic=True).count()
    paper = issued.filter(payload__electronic=False).count()
    assert electronic + paper == issued.count()
    assert electronic > 0 and paper >= 0
    assert DossierDayStat.objects.aggregate(total=Sum("issued_electronic"))["total"] == electronic
