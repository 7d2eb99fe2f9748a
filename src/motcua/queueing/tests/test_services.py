"""Issuing, calling and finishing tickets (queueing.services): numbers, order, rules, and refusals that
change nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.queueing.constants import TicketStatus
from motcua.queueing.exceptions import GroupClosed, QueueEmpty, TicketNotCallable, TicketNotCalled
from motcua.queueing.models import Ticket, TicketSequence
from motcua.queueing.services import (
    call_next,
    call_number,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_served,
)
from tests.intake import HCM

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, second: int = 0, day: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=HCM)


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        Ticket.objects.order_by("pk").values_list(
            "pk",
            "status",
            "counter_id",
            "officer_id",
            "called_at",
            "announced_at",
            "finished_at",
            "wait_seconds",
            "service_seconds",
        )
    )


def test_numbers_count_per_group_and_restart_each_local_day(queue: dict[str, Any], morning: Any) -> None:
    labels = [ticket_issue(group=queue[g]).label for g in ("a", "a", "b", "a")]
    assert labels == ["A001", "A002", "B001", "A003"]
    # 23:59 and 00:01 local time: the day turns in Hà Nội (17:00 UTC), not at midnight UTC.
    morning.move_to(at(23, 59))
    assert ticket_issue(group=queue["a"]).label == "A004"
    morning.move_to(at(0, 1, day=10))
    tomorrow = ticket_issue(group=queue["a"])
    assert (tomorrow.label, tomorrow.day) == ("A001", date(2026, 3, 10))
    assert sorted(TicketSequence.objects.values_list("group__code", "day", "last")) == [
        ("A", date(2026, 3, 9), 4),
        ("A", date(2026, 3, 10), 1),
        ("B", date(2026, 3, 9), 1),
    ]


def test_a_closed_group_issues_nothing(queue: dict[str, Any], morning: Any) -> None:
    queue["b"].is_active = False
    queue["b"].save()
    with pytest.raises(GroupClosed):
        ticket_issue(group=queue["b"])
    assert Ticket.objects.count() == 0
    assert TicketSequence.objects.count() == 0


def test_call_next_takes_the_oldest_waiting_ticket_of_the_counters_groups(queue: dict[str, Any], morning: Any) -> None:
    b1 = ticket_issue(group=queue["b"])
    morning.move_to(at(8, 1))
    a1 = ticket_issue(group=queue["a"])
    morning.move_to(at(8, 2))
    a2 = ticket_issue(group=queue["a"])
    morning.move_to(at(8, 10))
    # Counter 2 serves group A only: it skips B001, older as it is.
    first = call_next(actor=queue["officer2"], counter=queue["two"])
    assert (first.pk, first.label, first.status, first.counter_id) == (
        a1.pk,
        "A001",
        TicketStatus.CALLED,
        queue["two"].pk,
    )
    assert (first.called_at, first.announced_at, first.wait_seconds) == (at(8, 10), at(8, 10), 9 * 60)
    assert first.officer_id == queue["officer2"].pk
    # Counter 1 serves both: B001 is the oldest.
    assert call_next(actor=queue["officer"], counter=queue["one"]).pk == b1.pk
    assert call_next(actor=queue["officer"], counter=queue["one"]).pk == a2.pk
    before = snapshot()
    with pytest.raises(QueueEmpty) as refused:
        call_next(actor=queue["officer"], counter=queue["one"])
    assert refused.value.code == "queue_empty"
    assert snapshot() == before


def test_yesterdays_waiting_tickets_are_not_called(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    morning.move_to(at(8, 0, day=10))
    with pytest.raises(QueueEmpty):
        call_next(actor=queue["officer"], counter=queue["one"])
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_only_a_desk_officer_of_the_desk_calls(queue: dict[str, Any], morning: Any) -> None:
    ticket = ticket_issue(group=queue["a"])
    before = snapshot()
    for actor in (queue["outsider"], queue["supervisor"]):
        with pytest.raises(PermissionDenied):
            call_next(actor=actor, counter=queue["one"])
        with pytest.raises(PermissionDenied):
            call_number(actor=actor, counter=queue["one"], label="A001")
    assert snapshot() == before
    call_next(actor=queue["officer"], counter=queue["one"])
    ticket.refresh_from_db()
    with pytest.raises(PermissionDenied):
        ticket_served(actor=queue["outsider"], ticket=ticket)
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_served_keeps_the_service_time_and_finishes_the_ticket(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    morning.move_to(at(8, 5))
    ticket = call_next(actor=queue["officer"], counter=queue["one"])
    morning.move_to(at(8, 12, 30))
    served = ticket_served(actor=queue["officer"], ticket=ticket)
    assert (served.status, served.finished_at, served.wait_seconds, served.service_seconds) == (
        TicketStatus.SERVED,
        at(8, 12, 30),
        300,
        450,
    )
    before = snapshot()
    # Served is final: not served twice, not absent, not called again by number.
    with pytest.raises(TicketNotCalled):
        ticket_served(actor=queue["officer"], ticket=served)
    with pytest.raises(TicketNotCalled):
        ticket_no_show(actor=queue["officer"], ticket=served)
    with pytest.raises(TicketNotCallable) as refused:
        call_number(actor=queue["officer"], counter=queue["one"], label="A001")
    assert refused.value.code == "ticket_not_callable"
    assert snapshot() == before


def test_another_counter_cannot_finish_a_ticket_it_did_not_call(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    ticket = call_next(actor=queue["officer"], counter=queue["one"])
    ticket.counter = queue["two"]  # as a forged form would name it
    before = snapshot()
    with pytest.raises(TicketNotCalled):
        ticket_served(actor=queue["officer2"], ticket=ticket)
    assert snapshot() == before


def test_a_waiting_ticket_cannot_be_finished(queue: dict[str, Any], morning: Any) -> None:
    ticket = ticket_issue(group=queue["a"])
    before = snapshot()
    with pytest.raises(TicketNotCalled) as refused:
        ticket_no_show(actor=queue["officer"], ticket=ticket)
    assert refused.value.code == "ticket_not_called"
    assert snapshot() == before


def test_a_no_show_called_again_by_number_keeps_its_first_wait(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    morning.move_to(at(8, 4))
    ticket = call_next(actor=queue["officer"], counter=queue["one"])
    morning.move_to(at(8, 7))
    absent = ticket_no_show(actor=queue["officer"], ticket=ticket)
    assert (absent.status, absent.finished_at, absent.service_seconds) == (TicketStatus.NO_SHOW, at(8, 7), None)
    # A no-show is not called by "next" …
    with pytest.raises(QueueEmpty):
        call_next(actor=queue["officer2"], counter=queue["two"])
    # … but by number, at another counter, when the person comes back.
    morning.move_to(at(8, 20))
    again = call_number(actor=queue["officer2"], counter=queue["two"], label=" a001 ")
    assert (again.status, again.counter_id, again.officer_id) == (
        TicketStatus.CALLED,
        queue["two"].pk,
        queue["officer2"].pk,
    )
    assert (again.called_at, again.announced_at, again.wait_seconds) == (at(8, 4), at(8, 20), 240)
    morning.move_to(at(8, 25))
    served = ticket_served(actor=queue["officer2"], ticket=again)
    assert served.service_seconds == 300  # from the last call


def test_recall_announces_again_without_changing_the_wait(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    morning.move_to(at(8, 3))
    ticket = call_next(actor=queue["officer"], counter=queue["one"])
    morning.move_to(at(8, 4))
    recalled = ticket_recall(actor=queue["officer"], ticket=ticket)
    assert (recalled.status, recalled.called_at, recalled.announced_at, recalled.wait_seconds) == (
        TicketStatus.CALLED,
        at(8, 3),
        at(8, 4),
        180,
    )


def test_call_by_number_refusals_change_nothing(queue: dict[str, Any], morning: Any) -> None:
    ticket_issue(group=queue["a"])
    call_next(actor=queue["officer"], counter=queue["one"])
    before = snapshot()
    with pytest.raises(ValidationFailed):
        call_number(actor=queue["officer"], counter=queue["one"], label="007")
    with pytest.raises(NotFound) as missing:
        call_number(actor=queue["officer"], counter=queue["one"], label="A999")
    assert missing.value.code == "ticket_not_found"
    with pytest.raises(TicketNotCallable):  # being served at counter 1
        call_number(actor=queue["officer2"], counter=queue["two"], label="A001")
    assert snapshot() == before


def test_a_ticket_of_another_desk_is_not_found_by_number(queue: dict[str, Any], province: Any, morning: Any) -> None:
    from motcua.queueing.tests.conftest import make_queue

    other = make_queue(province["commune_b"])
    ticket_issue(group=other["a"])
    with pytest.raises(NotFound):
        call_number(actor=queue["officer"], counter=queue["one"], label="A001")
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_a_past_ticket_is_recorded_with_its_times_and_numbered_in_its_day(queue: dict[str, Any], morning: Any) -> None:
    from motcua.queueing.services import ticket_record_past

    morning.move_to(at(12, 0, day=10))
    served = ticket_record_past(
        group=queue["a"],
        issued_at=at(8, 0),
        called_at=at(8, 12),
        counter=queue["one"],
        officer=queue["officer"],
        finished_at=at(8, 20),
    )
    absent = ticket_record_past(
        group=queue["a"],
        issued_at=at(8, 5),
        called_at=at(8, 30),
        counter=queue["two"],
        finished_at=at(8, 32),
        served=False,
    )
    assert (served.label, served.day, served.status, served.wait_seconds, served.service_seconds) == (
        "A001",
        date(2026, 3, 9),
        TicketStatus.SERVED,
        720,
        480,
    )
    assert (absent.label, absent.status, absent.wait_seconds, absent.service_seconds) == (
        "A002",
        TicketStatus.NO_SHOW,
        1500,
        None,
    )
    before = snapshot()
    for times in (
        {"issued_at": at(8, 0), "called_at": at(7, 0), "counter": queue["one"]},  # called before issued
        {"issued_at": at(13, 0, day=10)},  # in the future
        {"issued_at": at(8, 0), "finished_at": at(9, 0)},  # finished, never called
        {"issued_at": at(8, 0), "called_at": at(8, 1)},  # called, at no counter
    ):
        with pytest.raises(ValidationFailed):
            ticket_record_past(group=queue["a"], **times)
    assert snapshot() == before
    assert TicketSequence.objects.get(group=queue["a"], day=date(2026, 3, 9)).last == 2


def test_queue_setup_adds_what_is_missing_and_keeps_what_administrators_changed(
    queue: dict[str, Any], province: Any, django_assert_max_num_queries: Any
) -> None:
    from motcua.agencies.models import Desk
    from motcua.queueing.models import Counter, ServiceGroup
    from motcua.queueing.services import queue_setup_ensure

    desks = [queue["desk"], Desk.objects.get(agency=province["commune_b"])]
    queue["a"].name = "Hộ tịch"  # renamed by an administrator
    queue["a"].save()
    with django_assert_max_num_queries(9):  # the savepoint, 3 reads and 3 bulk writes, the release
        made = queue_setup_ensure(
            desks=desks, groups=[("A", "Nhóm A"), ("C", "Khác")], counters=[(1, ["A"]), (3, ["A", "C"])]
        )
    assert made == (3, 3)  # C at desk 1; A and C at desk 2 | counter 3 at desk 1; 1 and 3 at desk 2
    rows = ServiceGroup.objects.order_by("desk__code", "code").values_list("desk__code", "code", "name")
    assert list(rows) == [
        ("H99.101.MC", "A", "Hộ tịch"),
        ("H99.101.MC", "B", "Đất đai – Xây dựng"),
        ("H99.101.MC", "C", "Khác"),
        ("H99.102.MC", "A", "Nhóm A"),
        ("H99.102.MC", "C", "Khác"),
    ]
    served = {
        (c.desk.code, c.number): sorted(g.code for g in c.groups.all())
        for c in Counter.objects.select_related("desk").prefetch_related("groups")
    }
    assert served == {
        ("H99.101.MC", 1): ["A", "B"],  # kept as it was
        ("H99.101.MC", 2): ["A"],
        ("H99.101.MC", 3): ["A", "C"],
        ("H99.102.MC", 1): ["A"],
        ("H99.102.MC", 3): ["A", "C"],
    }
    assert queue_setup_ensure(desks=desks, groups=[("A", "x")], counters=[(1, ["A"])]) == (0, 0)
