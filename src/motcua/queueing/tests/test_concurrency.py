"""The acceptance test of the desk queue: counters calling at once never get the same ticket, and kiosks
issuing at once never print the same number (PostgreSQL, real transactions in threads)."""

from __future__ import annotations

from collections import Counter as Tally
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier
from typing import Any

import pytest
import time_machine
from django.db import connection, connections

from motcua.queueing.constants import TicketStatus
from motcua.queueing.exceptions import QueueEmpty
from motcua.queueing.models import Ticket, TicketSequence
from motcua.queueing.services import call_next, ticket_issue
from tests.intake import HCM

TICKETS = 200
CALLERS_PER_COUNTER = 3  # two desks' counters, three officers' clicks racing on each
KIOSKS = 40


def _skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL (CI runs the suite there too)")


@pytest.fixture
def working_morning() -> Any:
    """A working morning in Hà Nội, the clock running (the threads see it too): far from local midnight."""
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=HCM), tick=True):
        yield


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_calling_at_once_never_share_a_ticket(queue: dict[str, Any], working_morning: Any) -> None:
    _skip_unless_postgresql()
    queue["two"].groups.set([queue["a"], queue["b"]])  # both counters compete for every ticket
    for n in range(TICKETS):
        ticket_issue(group=queue["a"] if n % 3 else queue["b"])
    callers = [(queue["one"], queue["officer"]), (queue["two"], queue["officer2"])] * CALLERS_PER_COUNTER
    start = Barrier(len(callers))

    def keep_calling(index: int) -> list[tuple[int, int]]:
        counter, officer = callers[index]
        taken: list[tuple[int, int]] = []
        try:
            start.wait()
            while True:
                try:
                    ticket = call_next(actor=officer, counter=counter)
                except QueueEmpty:
                    return taken
                taken.append((ticket.pk, ticket.counter_id))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(callers)) as pool:
        results = list(pool.map(keep_calling, range(len(callers))))

    called = [pk for taken in results for pk, _counter in taken]
    assert len(called) == TICKETS
    assert len(set(called)) == TICKETS  # nobody got a ticket twice
    assert set(called) == set(Ticket.objects.values_list("pk", flat=True))
    # Each call's answer is what the database holds: the ticket is at the counter that got it.
    got_by = {pk: counter for taken in results for pk, counter in taken}
    assert dict(Ticket.objects.values_list("pk", "counter_id")) == got_by
    per_counter = Tally(got_by.values())
    assert sum(per_counter.values()) == TICKETS
    assert per_counter == Tally(Ticket.objects.values_list("counter_id", flat=True))
    assert set(Ticket.objects.values_list("status", flat=True)) == {TicketStatus.CALLED}
    assert Ticket.objects.filter(called_at__isnull=True).count() == 0
    # Both counters took part (three clicks each racing the other desk's three).
    assert set(per_counter) == {queue["one"].pk, queue["two"].pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_kiosks_issuing_at_once_never_print_the_same_number(queue: dict[str, Any], working_morning: Any) -> None:
    _skip_unless_postgresql()
    start = Barrier(KIOSKS)

    def issue(_index: int) -> int:
        try:
            start.wait()  # all at once, the day's sequence row not made yet
            return ticket_issue(group=queue["a"]).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=KIOSKS) as pool:
        numbers = list(pool.map(issue, range(KIOSKS)))

    assert sorted(numbers) == list(range(1, KIOSKS + 1))
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, KIOSKS + 1))
    assert list(TicketSequence.objects.values_list("last", flat=True)) == [KIOSKS]
