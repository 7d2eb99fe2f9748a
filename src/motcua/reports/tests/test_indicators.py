"""A small history checked by hand: every indicator's exact value, targets, and the scorecard points."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from motcua.reports.constants import IndicatorKey as K
from motcua.reports.indicators import Scope, indicators_for
from motcua.reports.scorecard import scorecard_for
from motcua.workflow.constants import ReturnVia
from motcua.workflow.processing import dossier_approve, dossier_forward, dossier_issue_result, dossier_return_result
from motcua.workflow.services import (
    dossier_receive,
    dossier_receive_at_desk,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_online,
    dossier_withdraw,
)
from tests.intake import HCM, birth_application, birth_documents
from tests.processing import process_staff


@pytest.fixture
def history(province, people, settings, tmp_path, monday_morning):
    staff = process_staff(province, settings, tmp_path)
    desk, citizen = people["desk"], people["citizen"]

    def online():
        return dossier_submit_online(actor=citizen, application=birth_application())

    d1 = online()  # received, decided, issued the same day (early), returned electronically
    dossier_receive(actor=desk, code=d1.code)
    dossier_forward(actor=desk, code=d1.code, assignee=people["specialist"])
    dossier_forward(actor=people["specialist"], code=d1.code, assignee=staff["leader"])
    dossier_approve(actor=staff["leader"], code=d1.code, assignee=staff["clerk"])
    dossier_issue_result(actor=staff["clerk"], code=d1.code)
    dossier_return_result(actor=desk, code=d1.code, via=ReturnVia.ELECTRONIC)
    d2 = online()  # received, waiting for a supplement (paused: not overdue)
    dossier_receive(actor=desk, code=d2.code)
    dossier_request_supplement(actor=desk, code=d2.code, missing=["Giấy chứng sinh"], note="")
    d3 = online()  # refused at reception
    dossier_refuse(actor=desk, code=d3.code, reason="Sai thẩm quyền")
    walk_in = birth_application(uploads=[])  # originals seen, nothing scanned: not digitized
    dossier_receive_at_desk(
        officer=desk,
        applicant=citizen,
        desk_code="H99.101.MC",
        application=walk_in,
        originals_seen=[doc.pk for doc in birth_documents()],
    )
    d5 = online()  # received then withdrawn
    dossier_receive(actor=desk, code=d5.code)
    dossier_withdraw(actor=citizen, code=d5.code, reason="Công dân yêu cầu rút hồ sơ")
    monday_morning.shift(timedelta(days=2, hours=1))  # Wednesday 10:00: the walk-in is overdue
    return province


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
        K.E_RESULT_SHARE: (D("100.00"), 1, 1),
        K.DIGITIZED_SHARE: (D("75.00"), 3, 4),
        K.DESK_PRODUCTIVITY: (D(47), 4, 1),  # 4 received × 365 / 31 days / 1 desk officer
        K.APOLOGIES: (D(0), None, None),
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
    assert (groups["digitization"].score, groups["digitization"].unmeasured_points) == (Decimal("14.50"), Decimal(7))
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
    with django_assert_num_queries(10):
        indicators_for(scope, now=now)
