"""The queue report on a hand-built day: exact counts and times per desk, counter, officer and hour; equal
to the dashboard's queue indicators; its page scoped to the reader's units, with a pinned query count."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.queueing.report import percentile, queue_report
from motcua.queueing.services import call_next, call_number, ticket_issue, ticket_no_show, ticket_served
from motcua.queueing.tests import conftest as queue_fixtures
from motcua.reports.voice import queue_figures
from tests.factories import make_staff
from tests.intake import HCM

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 9)

# The queueing tests' fixtures: a desk with groups and counters, and a frozen Monday morning.
queue = queue_fixtures.queue
morning = queue_fixtures.morning


def at(hour: int, minute: int = 0, day: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def history(queue: dict[str, Any], morning: Any) -> dict[str, Any]:
    """Monday 9 March: five tickets, four called (waits 5, 10, 20 and 40 minutes), two served (6 and 12 min),
    one absent, one still waiting; one ticket of the previous day, outside the period."""
    officer, officer2, one, two = queue["officer"], queue["officer2"], queue["one"], queue["two"]
    morning.move_to(at(8, 0, day=8))
    ticket_issue(group=queue["a"])  # Sunday's, never called
    morning.move_to(at(8, 0))
    for group in ("a", "b", "a"):
        ticket_issue(group=queue[group])  # A001 B001 A002 at 08:00
    morning.move_to(at(8, 5))
    a1 = call_next(actor=officer2, counter=two)  # A001 waited 5 min, counter 2
    morning.move_to(at(8, 10))
    b1 = call_next(actor=officer, counter=one)  # B001 waited 10 min, counter 1
    morning.move_to(at(8, 11))
    ticket_served(actor=officer2, ticket=a1)  # served in 6 min
    morning.move_to(at(8, 20))
    a2 = call_next(actor=officer2, counter=two)  # A002 waited 20 min
    morning.move_to(at(8, 22))
    ticket_served(actor=officer, ticket=b1)  # served in 12 min
    ticket_no_show(actor=officer2, ticket=a2)
    morning.move_to(at(9, 0))
    ticket_issue(group=queue["a"])  # A003 at 09:00
    ticket_issue(group=queue["b"])  # B002 at 09:00, waiting
    morning.move_to(at(9, 40))
    call_number(actor=officer, counter=one, label="A003")  # waited 40 min, still at counter 1
    return queue


def test_the_report_counts_exactly(history: dict[str, Any]) -> None:
    report = queue_report(
        agency_paths=[history["desk"].agency.path], first_day=DAY, last_day=DAY, target_minutes=Decimal(15)
    )
    total = report.total
    assert (total.issued, total.called, total.served, total.no_show) == (5, 4, 2, 1)
    assert sorted(total.waits) == [300, 600, 1200, 2400]
    assert total.wait_average == Decimal("18.8")  # 75 min / 4
    assert total.wait_p90 == Decimal("40.0")  # nearest rank: ceil(0.9 × 4) = 4th
    assert total.service_average == Decimal("9.0")  # (6 + 12) / 2
    assert total.within_target_share == Decimal("50.0")  # 5 and 10 minutes of 4 calls
    assert [(line.label, line.issued, line.called) for line in report.desks] == [("Desk H99.101 (H99.101.MC)", 5, 4)]
    counters = [(line.label, line.called, line.served, line.no_show, line.wait_average) for line in report.counters]
    assert counters == [
        ("H99.101.MC · Quầy 1", 2, 1, 0, Decimal("25.0")),
        ("H99.101.MC · Quầy 2", 2, 1, 1, Decimal("12.5")),
    ]
    officers = sorted((line.called, line.served, line.service_average) for line in report.officers)
    assert officers == [(2, 1, Decimal("6.0")), (2, 1, Decimal("12.0"))]
    hours = [(line.label, line.issued, line.called, line.wait_average) for line in report.hours]
    assert hours == [("08:00–09:00", 3, 3, Decimal("11.7")), ("09:00–10:00", 2, 1, Decimal("40.0"))]


def test_the_report_equals_the_dashboards_queue_indicators(history: dict[str, Any]) -> None:
    path = history["desk"].agency.path
    report = queue_report(agency_paths=[path], first_day=DAY, last_day=DAY)
    figures = queue_figures(path, at(0, 0), at(0, 0, day=10))
    assert (figures.called, figures.wait_minutes, figures.served, figures.service_minutes) == (
        report.total.called,
        report.total.wait_average,
        report.total.served,
        report.total.service_average,
    )
    assert report.total.within_target_share is None  # no target given: no share


def test_no_ticket_outside_the_scope_or_the_period(history: dict[str, Any], province: dict[str, Any]) -> None:
    other = queue_report(agency_paths=[province["commune_b"].path], first_day=DAY, last_day=DAY)
    assert (other.total.issued, other.desks, other.total.wait_average) == (0, [], None)
    sunday = queue_report(
        agency_paths=[province["province"].path], first_day=date(2026, 3, 8), last_day=date(2026, 3, 8)
    )
    assert (sunday.total.issued, sunday.total.called, sunday.total.wait_p90) == (1, 0, None)
    assert queue_report(agency_paths=[], first_day=DAY, last_day=DAY).total.issued == 0


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile([], 90) is None
    assert percentile([7], 90) == 7
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile(list(range(1, 21)), 90) == 18


def test_the_report_page_is_scoped_and_its_query_count_pinned(
    history: dict[str, Any], province: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from motcua.identity.constants import Role

    url = reverse("backoffice:queue-report") + "?agency=H99&start=2026-03-09&end=2026-03-09"
    client = Client()
    client.force_login(history["supervisor"])
    client.get(url)  # warm the session and the grants' cache
    # session, user, second factor, grants, agencies, target, tickets, then the names of desks, counters and
    # officers met: as many for a day as for a year of a province.
    with django_assert_num_queries(QUERIES):
        page = client.get(url).content.decode()
    assert "Chỉ tiêu của năm: thời gian chờ trung bình không quá 15,00 phút." in page
    assert '<td class="num">18,8</td>' in page
    assert "50,0 %" in page
    leader_b = Client()
    leader_b.force_login(make_staff(Role.UNIT_LEADER, province["commune_b"]))
    refused = leader_b.get(url)
    assert refused.status_code == 200
    assert "Desk H99.101" not in refused.content.decode()  # H99 is not among its choices: the form says so


QUERIES = 10
