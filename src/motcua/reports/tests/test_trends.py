"""The monthly trend and the ranking of units: the indicators' figures, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure
from motcua.dossiers.constants import Channel
from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.trends import MonthPoint, monthly_trend, unit_ranking
from motcua.workflow.models import DossierDayStat, DossierMonthStat
from tests.factories import make_agency
from tests.intake import HCM
from tests.reports import small_history

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=HCM)


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


def test_the_monthly_trend_of_the_small_history(history, django_assert_num_queries) -> None:
    scope = Scope(history["province"], *MARCH)
    with django_assert_num_queries(1):
        points = monthly_trend(scope, months=3)
    assert points == [
        MonthPoint(date(2026, 1, 1), 0, 0, 0, 0),
        MonthPoint(date(2026, 2, 1), 0, 0, 0, 0),
        MonthPoint(date(2026, 3, 1), received=4, online=3, finished_in_time=1, finished_late=0),
    ]
    # Twelve months up to the period's end, across the year boundary.
    year = monthly_trend(Scope(history["commune_a"], date(2026, 1, 1), date(2026, 5, 31)))
    assert [p.month for p in year][:2] == [date(2025, 6, 1), date(2025, 7, 1)]
    assert [(p.month, p.received) for p in year if p.received] == [(date(2026, 3, 1), 4)]
    assert len(year) == 12
    assert all(p.received == 0 for p in monthly_trend(Scope(history["commune_b"], *MARCH)))


def test_the_ranking_rolls_sub_agencies_up_into_each_child_unit(history, django_assert_num_queries) -> None:
    # Two dossiers received by the department's inner unit on 2 March (the day's and the month's count
    # rows, as the writer keeps them).
    for model, day in ((DossierDayStat, date(2026, 3, 2)), (DossierMonthStat, date(2026, 3, 1))):
        model.objects.create(
            day=day,
            agency=history["unit"],
            receiving_agency=history["unit"],
            procedure=Procedure.objects.get(code="2.000815"),
            channel=Channel.ONLINE,
            received=2,
            finished_on_time=1,
            finished_late=1,
        )
    scope = Scope(history["province"], *MARCH)
    with django_assert_num_queries(3):
        ranking = unit_ranking(scope, now=NOW)
    rows = [(r.agency.code, r.received, r.online_share, r.on_time_share, r.open_overdue, r.timeliness) for r in ranking]
    D = Decimal
    assert rows == [
        ("H99.101", 4, D("75.00"), D("100.00"), 1, D("50.00")),  # 2 timely of 4
        ("H99.01", 2, D("100.00"), D("50.00"), 0, D("50.00")),  # 1 in time of 2 (the inner unit's)
        ("H99.102", 0, None, None, 0, None),  # nothing received: last
    ]
    assert [r.rank for r in ranking] == [1, 2, None]  # and without a rank
    for row in ranking:  # each line is what the unit's own indicators say
        report = indicators_for(Scope(row.agency, *MARCH), now=NOW)
        assert (row.received, row.online_share, row.on_time_share, row.open_overdue, row.timeliness) == (
            int(report[K.RECEIVED].value),
            report[K.ONLINE_SHARE].value,
            report[K.ON_TIME_SHARE].value,
            int(report[K.OPEN_OVERDUE].value),
            report[K.TIMELINESS].value,
        )


def test_the_ranking_reads_the_same_number_of_queries_for_more_units(history, django_assert_num_queries) -> None:
    for n in range(3, 8):
        make_agency(f"H99.1{n:02d}", parent="H99", name=f"Xã {n}")
    scope = Scope(history["province"], *MARCH)
    with django_assert_num_queries(3):
        ranking = unit_ranking(scope, now=NOW)
    assert len(ranking) == 8
    # The units without dossiers come after every ranked one, by code, and have no rank.
    assert [(r.agency.code, r.rank) for r in ranking] == [
        ("H99.101", 1),
        ("H99.01", None),
        ("H99.102", None),
        ("H99.103", None),
        ("H99.104", None),
        ("H99.105", None),
        ("H99.106", None),
        ("H99.107", None),
    ]
    assert unit_ranking(Scope(history["commune_a"], *MARCH), now=NOW) == []  # no sub-agency
