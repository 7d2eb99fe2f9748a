"""The synthetic history obeys the transition table the writer obeys, and its references hold.

The generator writes its rows without the writer (``demo/synthetic.py``): each dossier's events are
replayed here against ``workflow.transitions.TABLE`` (the same table ``guard`` reads), so that a
history the writer could not have produced fails.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from motcua.catalog.processes import process_steps
from motcua.demo import synthetic
from motcua.demo.synthetic import synthetic_seed
from motcua.dossiers.constants import NATIONAL_STATUS
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.identity.constants import Role
from motcua.workflow.transitions import PREVIOUS, SAME, TABLE
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.fixture
def staff(province: dict[str, Any], catalog: Any) -> None:
    a = province["commune_a"]
    for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.SPECIALIST, Role.UNIT_LEADER, Role.CLERK):
        make_staff(role, a)
    make_staff(Role.DESK_OFFICER, province["commune_b"])
    make_staff(Role.SPECIALIST, province["department"])


def replay(dossier: Dossier, events: list[DossierEvent]) -> Counter[str]:
    """The kinds of rule each step of ``events`` breaks, replayed from "no status" by the table."""
    broken: Counter[str] = Counter()
    status, paused_from = "", ""
    done: set[str] = set()
    step: int | None = None
    steps = process_steps(dossier.process_id) if dossier.process_id else ()
    previous_at = None
    for event in events:
        if previous_at is not None and event.at <= previous_at:
            broken["time not increasing"] += 1
        previous_at = event.at
        transition = TABLE.get(event.action)
        if transition is None:
            broken[f"unknown action {event.action}"] += 1
            continue
        if event.from_status != status:
            broken[f"{event.action}: from {event.from_status!r} but the dossier was {status!r}"] += 1
        if status not in transition.sources:
            broken[f"{event.action} not allowed from {status!r}"] += 1
        if transition.once and event.action in done:
            broken[f"{event.action} twice"] += 1
        if transition.note_required and not event.note.strip():
            broken[f"{event.action} without a note"] += 1
        if transition.step_roles is not None:
            role: str | None = steps[step - 1].role if step and 0 < step <= len(steps) else None
            if role not in transition.step_roles:
                broken[f"{event.action} at a {role} step"] += 1
        if transition.target == PREVIOUS:
            target = paused_from
        elif transition.target == SAME:
            target = status
        else:
            target = transition.target
        if transition.clock == "pause":
            paused_from = status
        if event.to_status != target:
            broken[f"{event.action}: to {event.to_status!r}, the table gives {target!r}"] += 1
        if event.national_status != NATIONAL_STATUS[event.to_status]:
            broken[f"{event.action}: national status"] += 1
        status, step = event.to_status, event.step
        done.add(event.action)
    if status != dossier.status:
        broken["final status differs from the dossier's"] += 1
    return broken


def violations() -> Counter[str]:
    timelines: dict[int, list[DossierEvent]] = {}
    for event in DossierEvent.objects.order_by("at", "id"):
        timelines.setdefault(event.dossier_id, []).append(event)
    broken: Counter[str] = Counter()
    for dossier in Dossier.objects.all():
        broken += replay(dossier, timelines.get(dossier.pk, []))
    return broken


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("staff")
def test_every_synthetic_event_sequence_is_one_the_transition_table_allows() -> None:
    report = synthetic_seed(dossiers=300, seed=5, inbox_cap=3)

    assert report.dossiers == Dossier.objects.count() == 300
    assert DossierEvent.objects.count() > 300 * 3
    assert dict(violations()) == {}


@pytest.mark.usefixtures("staff")
def test_the_replay_catches_a_step_the_table_refuses() -> None:
    synthetic_seed(dossiers=50, seed=11)
    dossier = Dossier.objects.filter(status="returned").order_by("id").first()
    assert dossier is not None
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-at").first()
    assert last is not None
    DossierEvent.objects.create(
        dossier=dossier,
        at=last.at + timedelta(minutes=1),
        action="receive",
        from_status="returned",
        to_status="received",
        national_status=NATIONAL_STATUS["received"],
    )

    assert violations() == {"receive not allowed from 'returned'": 1, "final status differs from the dossier's": 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("staff")
def test_the_seeded_history_leaves_no_dangling_reference() -> None:
    synthetic_seed(dossiers=200, seed=4)

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
    connection.check_constraints()


@pytest.mark.usefixtures("staff")
def test_a_dangling_reference_stops_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Foreign keys are checked on both databases, even inside a caller's transaction (where they are
    deferred): a person who does not exist cannot hold a synthetic dossier."""
    monkeypatch.setattr(synthetic.Generator, "person", lambda self, agency_id, role: 10**9)

    with pytest.raises(IntegrityError), transaction.atomic():
        synthetic_seed(dossiers=20, seed=4)
    assert Dossier.objects.count() == DossierEvent.objects.count() == 0
