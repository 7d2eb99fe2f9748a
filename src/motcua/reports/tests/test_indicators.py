"""A small history checked by hand: every indicator's exact value, targets, and the scorecard points."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for, period_parts, stat_sets
from motcua.reports.scorecard import scorecard_for
from motcua.workflow.models import DossierMonthStat
from tests.intake import HCM
from tests.reports import small_history


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    return small_history(province, people, settings, tmp_path, monday_morning)


def test_every_indicator_of_a_small_history(history) -> None:
    scope = Scope(agency=history["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31))
    report = indicators_for(scope)
    values = {key: (item.value, item.numerator, item.denominator) for key, item in report.indicators.items()}
    D = Decimal
    assert values == {
        K.RECEIVED: (D(4), None, None),
        K.RECEIVED_DESK: (D(1), None, None),
        K.RECEIVED_ONLINE: (D(3), None, None),
        K.RECEIVED_POSTAL: (D(0), None, None),
        K.ONLINE_SHARE: (D("75.00"), 3, 4),
        K.FINISHED_EARLY: (D(1), None, None),
        K.FINISHED_ON_TIME: (D(0), None, None),
        K.FINISHED_LATE: (D(0), None, None),
        K.ON_TIME_SHARE: (D("100.00"), 1, 1),
        K.OPEN_NOT_DUE: (D(1), None, None),
        K.OPEN_OVERDUE: (D(1), None, None),
        K.TIMELINESS: (D("50.00"), 2, 4),
        K.SUPPLEMENTS: (D(1), None, None),
        K.REFUSED: (D(1), None, None),
        K.WITHDRAWN: (D(1), None, None),
        K.STOPPED: (D(0), None, None),
        K.ONLINE_PROCEDURES_OFFERED: (D("66.67"), 2, 3),
        K.ONLINE_PROCEDURES_USED: (D("50.00"), 1, 2),
        K.E_RESULT_SHARE: (D("100.00"), 1, 1),  # the one result issued was signed by the leader
        K.RETURNED_ELECTRONIC_SHARE: (D("100.00"), 1, 1),
        K.DIGITIZED_SHARE: (D("75.00"), 3, 4),
        K.DESK_PRODUCTIVITY: (D(47), 4, 1),  # 4 received × 365 / 31 days / 1 desk officer
        K.APOLOGIES: (D(0), None, None),
        K.REUSE_SHARE: (D("0.00"), 0, 4),  # nothing taken from the data store
        K.NOT_ASKED_AGAIN: (None, 0, 0),  # the birth documents may not be taken from the store
        K.ECOPY_OFFERED: (D("0.00"), 0, 1),  # commune A certifies copies on paper only
        K.ECOPY_USED: (None, 0, 0),
        K.BACKFILE: (D(0), None, None),
        K.MOVED_ELECTRONIC: (None, 0, 0),  # every dossier stayed at commune A
        # The national sync is off in this history: not measured (reports/tests/test_sync_indicators.py).
        K.SYNC_SHARE: (None, None, None),
        K.SYNC_LAG_P95: (None, None, None),
        K.SYNC_DEAD_LETTERS: (None, None, None),
        # No fee in this history: the payment shares are not measured, nothing was collected
        # (reports/tests/test_payment_indicators.py).
        K.ONLINE_PAID_SHARE: (None, 0, 0),
        K.ONLINE_PAYMENT_PROCEDURES_SHARE: (None, 0, 0),
        K.COLLECTED_ONLINE: (D(0), None, None),
        K.COLLECTED_CASH: (D(0), None, None),
        K.COLLECTED_TRANSFER: (D(0), None, None),
        # Issue 17: nothing of the citizen's voice in this history (reports.tests.test_voice_indicators has it).
        K.FEEDBACK_RECEIVED: (D(0), None, None),
        K.FEEDBACK_ON_TIME_SHARE: (None, 0, 0),
        K.FEEDBACK_OPEN_OVERDUE: (D(0), None, None),
        K.RATINGS: (D(0), None, None),
        K.SATISFACTION_SHARE: (None, 0, 0),
        K.TICKETS_CALLED: (D(0), None, None),
        K.QUEUE_WAIT_AVERAGE: (None, None, None),
        K.QUEUE_SERVICE_AVERAGE: (None, None, None),
    }
    marks = {key: item.met for key, item in report.indicators.items() if item.met is not None}
    assert marks == {
        K.ONLINE_SHARE: True,  # 75 % ≥ 60 %
        K.ON_TIME_SHARE: True,
        K.OPEN_OVERDUE: False,  # target: none overdue
        K.ONLINE_PROCEDURES_USED: True,  # 50 % ≥ 50 %
        K.E_RESULT_SHARE: True,
        K.DIGITIZED_SHARE: False,  # 75 % < 100 %
        K.DESK_PRODUCTIVITY: False,  # 47 < 800 (commune level)
        K.REUSE_SHARE: False,  # 0 % < 50 %
        K.ECOPY_OFFERED: False,  # 0 % < 100 %
        K.FEEDBACK_OPEN_OVERDUE: True,  # 0 ≤ 0
    }


def test_the_scorecard_scores_what_is_measured_and_nothing_else(history) -> None:
    scope = Scope(agency=history["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31))
    groups = {g.code: g for g in scorecard_for(indicators_for(scope))}
    assert [(code, g.max_points) for code, g in groups.items()] == [
        ("publicity", Decimal(18)),
        ("timeliness", Decimal(20)),
        ("online", Decimal(12)),
        ("payment", Decimal(10)),
        ("satisfaction", Decimal(18)),
        ("digitization", Decimal(22)),
    ]
    assert groups["timeliness"].score == Decimal("10.00")  # 2 ÷ 4 × 20
    assert groups["online"].score == Decimal("8.67")  # 66.67 % × 4 + 50 % × 4 + full 4 (75 % ≥ 50 %)
    # 75 % digitized (7.5 of 8), e-results 100 % (7), reuse 0 % (0 of 7): measured, every item
    assert (groups["digitization"].score, groups["digitization"].unmeasured_points) == (Decimal("14.50"), Decimal(0))
    for code in ("publicity", "payment", "satisfaction"):
        assert (groups[code].score, groups[code].measured) == (None, False)  # "not measured yet", never 0


def test_a_sub_agency_rolls_up_into_its_parent_and_other_periods_are_empty(history) -> None:
    province = Scope(agency=history["province"], start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert indicators_for(province)[K.RECEIVED].value == Decimal(4)
    february = Scope(agency=history["commune_a"], start=date(2026, 2, 1), end=date(2026, 2, 28))
    report = indicators_for(february)
    assert (report[K.RECEIVED].value, report[K.ONLINE_SHARE].value, report[K.ONLINE_SHARE].met) == (0, None, None)
    other = Scope(agency=history["commune_b"], start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert indicators_for(other)[K.RECEIVED].value == Decimal(0)


def test_indicators_read_a_constant_number_of_queries(history, django_assert_num_queries) -> None:
    scope = Scope(agency=history["province"], start=date(2026, 1, 1), end=date(2026, 12, 31))
    now = datetime(2026, 3, 11, 10, 0, tzinfo=HCM)
    # 8, and 2 for the digitization indicators: the certifying agencies, the earlier results digitized,
    # and 2 for the payment indicators (issue 16): fee-bearing dossiers per procedure, amounts per method
    with django_assert_num_queries(15):  # + feedback, ratings, queue (issue 17)
        indicators_for(scope, now=now)


@pytest.mark.parametrize(
    ("start", "end", "today", "parts"),
    [
        # The usual dashboard: 1 January to today reads the monthly counts alone.
        (date(2026, 1, 1), date(2026, 11, 23), date(2026, 11, 23), ((date(2026, 1, 1), date(2026, 11, 23)), [])),
        # A period that ends before today: the last month's days from the daily counts.
        (
            date(2026, 1, 1),
            date(2026, 11, 23),
            date(2026, 11, 24),
            ((date(2026, 1, 1), date(2026, 10, 31)), [(date(2026, 11, 1), date(2026, 11, 23))]),
        ),
        (
            date(2026, 1, 1),
            date(2026, 11, 23),
            None,
            ((date(2026, 1, 1), date(2026, 10, 31)), [(date(2026, 11, 1), date(2026, 11, 23))]),
        ),
        # Within one month, from its middle: days only, today or not.
        (
            date(2026, 11, 10),
            date(2026, 11, 23),
            date(2026, 11, 23),
            (None, [(date(2026, 11, 10), date(2026, 11, 23))]),
        ),
        # A start in the middle of a month: its days, then whole months.
        (
            date(2026, 10, 15),
            date(2026, 11, 30),
            date(2026, 11, 20),
            ((date(2026, 11, 1), date(2026, 11, 30)), [(date(2026, 10, 15), date(2026, 10, 31))]),
        ),
    ],
)
def test_a_period_is_read_as_whole_months_and_days(start, end, today, parts) -> None:
    assert period_parts(start, end, today) == parts


def test_a_period_up_to_today_reads_the_month_so_far_from_the_monthly_counts(history) -> None:
    today = timezone.localdate()
    assert today == date(2026, 3, 11)  # the history ends on Wednesday 11 March
    up_to_today = Scope(agency=history["commune_a"], start=date(2026, 3, 1), end=today)
    sets = stat_sets(up_to_today)
    assert [rows.model for rows in sets] == [DossierMonthStat]
    whole_month = Scope(agency=history["commune_a"], start=date(2026, 3, 1), end=date(2026, 3, 31))
    figures = {key: item.value for key, item in indicators_for(up_to_today).indicators.items()}
    assert figures[K.RECEIVED] == Decimal(4)
    expected = {key: item.value for key, item in indicators_for(whole_month).indicators.items()}
    expected[K.DESK_PRODUCTIVITY] = figures[K.DESK_PRODUCTIVITY]  # annualised over the period's length
    assert figures == expected
